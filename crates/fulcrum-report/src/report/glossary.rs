//! The glossary of the HTML report, generated from the project's copy of
//! the spec (`docs/SIGNALS.md`, compiled in): every row of its signal
//! tables (id, unit, definition) and of its finding table, so the report
//! explains each signal in the words the code is held to.

/// The spec, as compiled in.
pub const SPEC: &str = include_str!("../../../../docs/SIGNALS.md");

/// One row of a spec table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The section it is in ("Calendar signals", "Findings", ...).
    pub section: String,
    /// First column, without backticks.
    pub name: String,
    /// The other columns, as written (Markdown with backticks).
    pub columns: Vec<String>,
}

fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_owned()).collect()
}

/// Every table row of the spec, by section, header and separator rows left out.
pub fn entries() -> Vec<Entry> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut header_seen = false;
    for line in SPEC.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            section = h.trim().to_owned();
            header_seen = false;
            continue;
        }
        if !line.trim_start().starts_with('|') {
            header_seen = false;
            continue;
        }
        if !header_seen {
            header_seen = true; // the header row
            continue;
        }
        let c = cells(line);
        if c.iter().all(|x| x.chars().all(|ch| ch == '-' || ch == ':')) {
            continue;
        }
        let Some((first, rest)) = c.split_first() else {
            continue;
        };
        out.push(Entry {
            section: section.clone(),
            name: first.trim_matches('`').to_owned(),
            columns: rest.to_vec(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signal_and_finding_row_is_read() {
        let e = entries();
        let m = e.iter().find(|x| x.name == "meeting_hours").unwrap();
        assert_eq!(m.section, "Calendar signals");
        assert_eq!(m.columns[0], "h");
        assert!(m.columns[1].starts_with("meeting time in the week"));
        assert!(
            e.iter()
                .any(|x| x.name == "morale" && x.section.starts_with("Team signals"))
        );
        let findings: Vec<&Entry> = e.iter().filter(|x| x.section == "Findings").collect();
        assert_eq!(findings.len(), 13);
        assert_eq!(findings[0].name, "meetings clear small blockers");
    }
}
