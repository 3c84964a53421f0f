//! The one JSON shape every tool writes (`lint`, `audit`, `focus`,
//! `overlap`, `rotate`, `route`, `chat summary`): a single object, the same
//! for one input or many, that names the tool and the schema version and
//! carries the window and the input problems in the same place for all of
//! them. Each tool's own fields sit next to these (`docs/moves.md`, "JSON
//! output").

use chrono::NaiveDate;
use fulcrum_model::diagnostic::Diagnostic;
use serde_json::{Map, Value, json};
use std::io::{self, Write};

/// The version of the tools' JSON; bumped when a field changes meaning or
/// goes away (new fields may appear within a version).
pub const TOOLS_SCHEMA_VERSION: u32 = 1;

/// The dates a tool looked at, and how they were chosen.
#[derive(Debug, Clone, Copy)]
pub struct WindowJson<'a> {
    /// First date.
    pub from: NaiveDate,
    /// Last date, included.
    pub to: NaiveDate,
    /// How the window was chosen.
    pub rule: &'a str,
}

/// The object of one run: `tool`, `version`, `window` (or null),
/// `problems`, and the fields of `body` (an object). Keys are written in
/// sorted order, as in every JSON output of Fulcrum.
pub fn envelope(
    tool: &str,
    window: Option<WindowJson<'_>>,
    problems: &[Diagnostic],
    body: Value,
) -> Value {
    let mut map = Map::new();
    map.insert("tool".into(), json!(tool));
    map.insert("version".into(), json!(TOOLS_SCHEMA_VERSION));
    map.insert(
        "window".into(),
        window.map_or(
            Value::Null,
            |w| json!({"from": w.from.to_string(), "to": w.to.to_string(), "rule": w.rule}),
        ),
    );
    map.insert(
        "problems".into(),
        Value::Array(
            problems
                .iter()
                .map(crate::report::json::diagnostic)
                .collect(),
        ),
    );
    if let Value::Object(fields) = body {
        map.extend(fields);
    }
    Value::Object(map)
}

/// Writes a value as pretty JSON and a newline.
pub fn write(out: &mut impl Write, value: &Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_fields_sit_next_to_the_body() {
        let v = envelope(
            "lint",
            Some(WindowJson {
                from: NaiveDate::from_ymd_opt(2025, 6, 2).unwrap_or_default(),
                to: NaiveDate::from_ymd_opt(2025, 6, 8).unwrap_or_default(),
                rule: "as given",
            }),
            &[],
            json!({"findings": []}),
        );
        // serde_json without `preserve_order` writes keys sorted.
        let keys: Vec<&str> = v
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(keys, ["findings", "problems", "tool", "version", "window"]);
        assert_eq!(v["window"]["from"], "2025-06-02");
        assert_eq!(v["version"], 1);
    }
}
