//! Occurrences as JSON lines or a plain table (`fulcrum ics expand`).

use fulcrum_model::{CalTime, Occurrence};
use std::io::{self, Write};

/// Writes one JSON object per occurrence, keys in the documented order:
/// `uid`, `recurrence_id`, `start`, `end`, `summary`, `status`.
///
/// Strings are escaped straight into `out` exactly as `serde_json` escapes
/// them; nothing is allocated per occurrence.
pub fn write_jsonl(out: &mut impl Write, occurrences: &[Occurrence]) -> io::Result<()> {
    for o in occurrences {
        out.write_all(b"{\"uid\": ")?;
        write_json_str(out, &o.uid)?;
        out.write_all(b", \"recurrence_id\": ")?;
        match &o.recurrence_id {
            Some(r) => write_json_time(out, r)?,
            None => out.write_all(b"null")?,
        }
        out.write_all(b", \"start\": ")?;
        write_json_time(out, &o.start)?;
        out.write_all(b", \"end\": ")?;
        write_json_time(out, &o.end)?;
        out.write_all(b", \"summary\": ")?;
        write_json_str(out, &o.details.summary)?;
        out.write_all(b", \"status\": ")?;
        write_json_str(out, o.details.status.as_str())?;
        out.write_all(b"}\n")?;
    }
    Ok(())
}

/// Writes `s` as a JSON string, quotes included, escaped as `serde_json`
/// escapes it: `\"` and `\\`; `\b`, `\f`, `\n`, `\r`, `\t`; other control
/// characters below U+0020 as `\u00xx` (lower-case hex); everything else,
/// DEL and non-ASCII included, as the UTF-8 it is.
fn write_json_str(out: &mut impl Write, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    let bytes = s.as_bytes();
    // Most strings need no escaping at all: find the first byte that does.
    let Some(first) = bytes.iter().position(|&b| needs_escape(b)) else {
        out.write_all(bytes)?;
        return out.write_all(b"\"");
    };
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate().skip(first) {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\t' => b"\\t",
            b'\r' => b"\\r",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        if run < i {
            out.write_all(&bytes[run..i])?;
        }
        run = i + 1;
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.write_all(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ])?;
        } else {
            out.write_all(short)?;
        }
    }
    if run < bytes.len() {
        out.write_all(&bytes[run..])?;
    }
    out.write_all(b"\"")
}

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Writes a [`CalTime`] as a JSON string. Its text is only ASCII digits,
/// `-`, `+`, `:` and `T`, none of which JSON escapes.
fn write_json_time(out: &mut impl Write, t: &CalTime) -> io::Result<()> {
    let text = t.text();
    let bytes = text.as_bytes();
    debug_assert!(!bytes.iter().any(|&b| needs_escape(b)));
    out.write_all(b"\"")?;
    out.write_all(bytes)?;
    out.write_all(b"\"")
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
    use fulcrum_model::EventDetails;
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

    fn ours(s: &str) -> String {
        let mut buf = Vec::new();
        write_json_str(&mut buf, s).unwrap();
        String::from_utf8(buf).unwrap()
    }

    fn serde(s: &str) -> String {
        serde_json::Value::String(s.to_owned()).to_string()
    }

    #[test]
    fn json_str_escapes_by_hand() {
        assert_eq!(ours(""), r#""""#);
        assert_eq!(ours("plain"), r#""plain""#);
        assert_eq!(ours("say \"hi\""), r#""say \"hi\"""#);
        assert_eq!(ours(r"C:\dir\"), r#""C:\\dir\\""#);
        assert_eq!(ours("a\nb\tc\rd"), r#""a\nb\tc\rd""#);
        assert_eq!(ours("\u{8}\u{c}"), r#""\b\f""#);
        assert_eq!(ours("\u{1}"), r#""\u0001""#);
        assert_eq!(ours("\u{0}x\u{1f}"), r#""\u0000x\u001f""#);
        assert_eq!(ours("\u{b}\u{1b}"), r#""\u000b\u001b""#);
        // DEL, '/' and non-ASCII pass through as UTF-8.
        assert_eq!(ours("\u{7f}/"), "\"\u{7f}/\"");
        assert_eq!(ours("Café ☕ 会議 🎉"), "\"Café ☕ 会議 🎉\"");
        assert_eq!(
            ours("\u{2028}\u{2029}\u{feff}"),
            "\"\u{2028}\u{2029}\u{feff}\""
        );
    }

    #[test]
    fn json_str_matches_serde_json() {
        let mut tricky: Vec<String> = [
            "",
            "\"",
            "\\",
            "\\\"",
            "\"\"\"",
            "end\\",
            "\n",
            "\r\n",
            "\t\tindent",
            "\u{0}",
            "\u{1}",
            "\u{7}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{e}",
            "\u{1f}\u{20}\u{7e}\u{7f}\u{80}",
            "Standup: \"Q3\" plan\\next\nline",
            "ünïcödé – “quotes” ‘single’",
            "日本語の会議\u{1}",
            "emoji 🎉👩‍👩‍👧 mixed\t\"",
            "\u{10ffff}\u{fffd}",
            "</script>",
            "a/b",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        // Every control character alone, and between multi-byte characters.
        for b in 0u8..0x20 {
            let c = char::from(b);
            tricky.push(c.to_string());
            tricky.push(format!("é{c}€{c}{c}🎉"));
        }
        for s in &tricky {
            assert_eq!(ours(s), serde(s), "{s:?}");
        }
    }

    #[test]
    fn jsonl_matches_serde_json_field_by_field() {
        use chrono::{FixedOffset, TimeZone, Utc};
        let start = CalTime::zoned(
            Utc.with_ymd_and_hms(2024, 3, 1, 3, 15, 0).unwrap(),
            FixedOffset::east_opt(5 * 3600 + 45 * 60).unwrap(),
        );
        let end = CalTime::zoned(
            Utc.with_ymd_and_hms(2024, 3, 1, 4, 15, 0).unwrap(),
            FixedOffset::west_opt(3 * 3600 + 30 * 60).unwrap(),
        );
        let o = Occurrence {
            uid: Arc::from("uid\\with\u{1}ctl"),
            recurrence_id: Some(start),
            start,
            end,
            details: Arc::new(EventDetails {
                summary: "Réunion \"Q1\"\tnext 🎉".into(),
                ..Default::default()
            }),
        };
        let mut buf = Vec::new();
        write_jsonl(&mut buf, std::slice::from_ref(&o)).unwrap();
        let expected = format!(
            "{{\"uid\": {}, \"recurrence_id\": {}, \"start\": {}, \"end\": {}, \"summary\": {}, \"status\": {}}}\n",
            serde(&o.uid),
            serde(&start.to_string()),
            serde(&start.to_string()),
            serde(&end.to_string()),
            serde(&o.details.summary),
            serde(o.details.status.as_str()),
        );
        assert_eq!(String::from_utf8(buf).unwrap(), expected);
        assert!(expected.contains("\"start\": \"2024-03-01T09:00:00+05:45\""));
        assert!(expected.contains("\"end\": \"2024-03-01T00:45:00-03:30\""));
    }
}
