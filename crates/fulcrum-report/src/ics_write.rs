//! An RFC 5545 writer for the events Fulcrum proposes (focus blocks,
//! facilitation notes): CRLF line ends, lines folded at 75 octets without
//! splitting a UTF-8 character, TEXT values escaped, times in UTC with `Z`
//! (no VTIMEZONE needed, so Outlook cannot shift them), a DTSTAMP on every
//! event, and UIDs the caller keeps stable so a re-import updates.

use chrono::{DateTime, Utc};
use std::io::{self, Write};

/// One event to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// A UID stable across runs for the same proposal.
    pub uid: String,
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// `SUMMARY`.
    pub summary: String,
    /// `DESCRIPTION`, when any.
    pub description: Option<String>,
    /// `CATEGORIES`.
    pub categories: Vec<String>,
    /// `TRANSP:OPAQUE` (busy) when true, `TRANSPARENT` otherwise.
    pub busy: bool,
    /// `URL`: the page of the object the event is about, when any.
    pub url: Option<String>,
}

/// Escapes a TEXT value (RFC 5545 3.3.11).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes one content line folded at 75 octets (the CRLF not counted; a
/// continuation's leading space counts), never inside a UTF-8 character.
pub fn write_line(w: &mut impl Write, line: &str) -> io::Result<()> {
    let mut rest = line;
    let mut limit = 75;
    loop {
        if rest.len() <= limit {
            w.write_all(rest.as_bytes())?;
            w.write_all(b"\r\n")?;
            return Ok(());
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        w.write_all(&rest.as_bytes()[..cut])?;
        w.write_all(b"\r\n ")?;
        rest = &rest[cut..];
        limit = 74;
    }
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Writes a VCALENDAR holding `events`, stamped `dtstamp`.
pub fn write_calendar(
    w: &mut impl Write,
    name: &str,
    dtstamp: DateTime<Utc>,
    events: &[IcsEvent],
) -> io::Result<()> {
    write_line(w, "BEGIN:VCALENDAR")?;
    write_line(w, "VERSION:2.0")?;
    write_line(w, "PRODID:-//Fulcrum//Fulcrum moves//EN")?;
    write_line(w, "CALSCALE:GREGORIAN")?;
    write_line(w, "METHOD:PUBLISH")?;
    write_line(w, &format!("X-WR-CALNAME:{}", escape_text(name)))?;
    for e in events {
        write_line(w, "BEGIN:VEVENT")?;
        write_line(w, &format!("UID:{}", e.uid))?;
        write_line(w, &format!("DTSTAMP:{}", utc(dtstamp)))?;
        write_line(w, &format!("DTSTART:{}", utc(e.start)))?;
        write_line(w, &format!("DTEND:{}", utc(e.end)))?;
        write_line(w, &format!("SUMMARY:{}", escape_text(&e.summary)))?;
        if let Some(d) = &e.description {
            write_line(w, &format!("DESCRIPTION:{}", escape_text(d)))?;
        }
        if let Some(u) = &e.url {
            write_line(w, &format!("URL:{u}"))?;
        }
        if !e.categories.is_empty() {
            let list: Vec<String> = e.categories.iter().map(|c| escape_text(c)).collect();
            write_line(w, &format!("CATEGORIES:{}", list.join(",")))?;
        }
        write_line(
            w,
            if e.busy {
                "TRANSP:OPAQUE"
            } else {
                "TRANSP:TRANSPARENT"
            },
        )?;
        if e.busy {
            write_line(w, "X-MICROSOFT-CDO-BUSYSTATUS:BUSY")?;
        }
        write_line(w, "STATUS:CONFIRMED")?;
        write_line(w, "END:VEVENT")?;
    }
    write_line(w, "END:VCALENDAR")
}

/// A UID from parts that identify a proposal (person, kind, start): the
/// same parts give the same UID on every run. FNV-1a 64, hex.
pub fn stable_uid(parts: &[&str], domain: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}@{domain}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut out = Vec::new();
        // "SUMMARY:" is 8 octets, then 40 two-octet characters: 88 octets.
        let line = format!("SUMMARY:{}", "é".repeat(40));
        write_line(&mut out, &line).expect("write");
        let text = String::from_utf8(out).expect("utf8");
        let lines: Vec<&str> = text.split("\r\n").collect();
        // 8 + 33*2 = 74 fits (75 would split an é), rest 7 é after a space.
        assert_eq!(lines[0].len(), 74);
        assert_eq!(lines[1], format!(" {}", "é".repeat(7)));
        assert_eq!(lines[2], "");
    }

    #[test]
    fn escapes_text_and_uids_are_stable() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(
            stable_uid(&["ana@x", "focus", "2025"], "fulcrum"),
            stable_uid(&["ana@x", "focus", "2025"], "fulcrum")
        );
        assert_ne!(
            stable_uid(&["ana@x", "focus"], "fulcrum"),
            stable_uid(&["ana@xfocus"], "fulcrum")
        );
    }
}
