//! Occurrences as JSON lines or a plain table (`fulcrum ics expand`).

use fulcrum_model::Occurrence;
use std::io::{self, Write};

/// Writes one JSON object per occurrence, keys in the documented order:
/// `uid`, `recurrence_id`, `start`, `end`, `summary`, `status`.
pub fn write_jsonl(out: &mut impl Write, occurrences: &[Occurrence]) -> io::Result<()> {
    for o in occurrences {
        let rid = match &o.recurrence_id {
            Some(r) => json_str(&r.to_string()),
            None => "null".to_owned(),
        };
        writeln!(
            out,
            "{{\"uid\": {}, \"recurrence_id\": {}, \"start\": {}, \"end\": {}, \"summary\": {}, \"status\": {}}}",
            json_str(&o.uid),
            rid,
            json_str(&o.start.to_string()),
            json_str(&o.end.to_string()),
            json_str(&o.details.summary),
            json_str(o.details.status.as_str()),
        )?;
    }
    Ok(())
}

fn json_str(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

/// Writes a fixed-width table: start, end, status, summary, uid.
pub fn write_table(out: &mut impl Write, occurrences: &[Occurrence]) -> io::Result<()> {
    let width = |f: fn(&Occurrence) -> String| {
        occurrences
            .iter()
            .map(|o| f(o).chars().count())
            .max()
            .unwrap_or(0)
    };
    let start_w = width(|o| o.start.to_string()).max("START".len());
    let end_w = width(|o| o.end.to_string()).max("END".len());
    writeln!(
        out,
        "{:start_w$}  {:end_w$}  {:9}  {:40}  UID",
        "START", "END", "STATUS", "SUMMARY"
    )?;
    for o in occurrences {
        let summary: String = o.details.summary.chars().take(40).collect();
        writeln!(
            out,
            "{:start_w$}  {:end_w$}  {:9}  {:40}  {}",
            o.start.to_string(),
            o.end.to_string(),
            o.details.status.as_str(),
            summary,
            o.uid
        )?;
    }
    writeln!(out, "{} occurrence(s)", occurrences.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use fulcrum_model::{CalTime, EventDetails};
    use std::sync::Arc;

    #[test]
    fn jsonl_escapes_and_orders_keys() {
        let d = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
        let o = Occurrence {
            uid: Arc::from("a\"b"),
            recurrence_id: None,
            start: CalTime::Date(d),
            end: CalTime::Date(d.succ_opt().unwrap()),
            details: Arc::new(EventDetails {
                summary: "Plan\nnext".into(),
                ..Default::default()
            }),
        };
        let mut buf = Vec::new();
        write_jsonl(&mut buf, &[o]).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "{\"uid\": \"a\\\"b\", \"recurrence_id\": null, \"start\": \"2024-05-06\", \"end\": \"2024-05-07\", \"summary\": \"Plan\\nnext\", \"status\": \"CONFIRMED\"}\n"
        );
    }
}
