//! `fulcrum chat summary` and `fulcrum chat identities` output: JSON (the
//! inspection contract) and plain tables. No message text exists here to
//! print: the model holds none.

use fulcrum_model::chat::ExportSummary;
use fulcrum_workspace::IdentityReport;
use serde::Serialize;
use std::io::{self, Write};

/// One export's outcome: read (with a summary) or not readable at all.
#[derive(Debug, Clone, Copy)]
pub enum SummaryItem<'a> {
    /// The export was read.
    Read(&'a ExportSummary),
    /// Nothing could be read.
    Unreadable {
        /// The export as given.
        export: &'a str,
        /// Why.
        error: &'a str,
    },
}

#[derive(Serialize)]
struct ConversationJson<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    messages: u64,
    people_messages: u64,
    threads: u64,
    replies: u64,
}

#[derive(Serialize)]
struct SummaryJson<'a> {
    export: &'a str,
    source: &'a str,
    users: u64,
    messages: u64,
    people_messages: u64,
    bot_messages: u64,
    system_messages: u64,
    threads: u64,
    replies: u64,
    asks: u64,
    skipped: u64,
    conversations: Vec<ConversationJson<'a>>,
    diagnostics: Vec<serde_json::Value>,
}

#[derive(Serialize)]
struct UnreadableJson<'a> {
    export: &'a str,
    error: &'a str,
}

/// One element of the output; serialized directly (not through
/// `serde_json::Value`, whose maps sort keys) so the key order is kept.
#[derive(Serialize)]
#[serde(untagged)]
enum ItemJson<'a> {
    Read(SummaryJson<'a>),
    Unreadable(UnreadableJson<'a>),
}

fn to_json<'a>(item: &SummaryItem<'a>) -> ItemJson<'a> {
    match *item {
        SummaryItem::Read(s) => ItemJson::Read(SummaryJson {
            export: &s.export,
            source: s.platform.as_str(),
            users: s.users,
            messages: s.messages,
            people_messages: s.people_messages,
            bot_messages: s.bot_messages,
            system_messages: s.system_messages,
            threads: s.threads,
            replies: s.replies,
            asks: s.asks,
            skipped: s.skipped,
            conversations: s
                .conversations
                .iter()
                .map(|c| ConversationJson {
                    id: &c.id,
                    name: &c.name,
                    kind: c.kind.as_str(),
                    messages: c.messages,
                    people_messages: c.people_messages,
                    threads: c.threads,
                    replies: c.replies,
                })
                .collect(),
            diagnostics: s
                .diagnostics
                .iter()
                .map(|d| crate::report::json::diagnostic(&d.located(&s.export)))
                .collect(),
        }),
        SummaryItem::Unreadable { export, error } => {
            ItemJson::Unreadable(UnreadableJson { export, error })
        }
    }
}

/// The tools' JSON object for `chat summary` (`docs/moves.md`, "JSON
/// output"): the same shape for one export or many, each export's object
/// in `exports` with its keys in the documented order.
#[derive(Serialize)]
struct ToolJson<'a> {
    tool: &'static str,
    version: u32,
    window: Option<()>,
    problems: Vec<serde_json::Value>,
    exports: Vec<ItemJson<'a>>,
}

/// Writes the JSON contract: one object with the exports in `exports`.
pub fn write_json(out: &mut impl Write, items: &[SummaryItem<'_>]) -> io::Result<()> {
    let doc = ToolJson {
        tool: "chat summary",
        version: crate::tool_json::TOOLS_SCHEMA_VERSION,
        window: None,
        problems: Vec::new(),
        exports: items.iter().map(to_json).collect(),
    };
    let text = serde_json::to_string_pretty(&doc).map_err(io::Error::from)?;
    writeln!(out, "{text}")
}

/// Writes a plain-text summary per export.
pub fn write_table(out: &mut impl Write, items: &[SummaryItem<'_>]) -> io::Result<()> {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let s = match item {
            SummaryItem::Read(s) => s,
            SummaryItem::Unreadable { export, error } => {
                writeln!(out, "{export}: not read: {error}")?;
                continue;
            }
        };
        writeln!(out, "{} ({} export)", s.export, s.platform.as_str())?;
        writeln!(
            out,
            "  users {}  messages {} (people {}, bots {}, system {})  threads {}  replies {}  asks {}  skipped {}",
            s.users,
            s.messages,
            s.people_messages,
            s.bot_messages,
            s.system_messages,
            s.threads,
            s.replies,
            s.asks,
            s.skipped
        )?;
        let name_w = s
            .conversations
            .iter()
            .map(|c| c.name.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(12, 40);
        writeln!(
            out,
            "  {:name_w$}  {:8}  {:>8}  {:>8}  {:>7}  {:>7}",
            "CONVERSATION", "KIND", "MESSAGES", "PEOPLE", "THREADS", "REPLIES"
        )?;
        for c in &s.conversations {
            let name: String = c.name.chars().take(40).collect();
            writeln!(
                out,
                "  {:name_w$}  {:8}  {:>8}  {:>8}  {:>7}  {:>7}",
                name,
                c.kind.as_str(),
                c.messages,
                c.people_messages,
                c.threads,
                c.replies
            )?;
        }
        if !s.diagnostics.is_empty() {
            writeln!(out, "  {} diagnostic(s):", s.diagnostics.len())?;
            for d in &s.diagnostics {
                for line in d.located(&s.export).rustc_style().lines() {
                    writeln!(out, "    {line}")?;
                }
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct CountedJson<'a> {
    count: u64,
    examples: &'a [String],
}

fn counted(x: &fulcrum_workspace::identity::Counted) -> CountedJson<'_> {
    CountedJson {
        count: x.count,
        examples: &x.examples,
    }
}

#[derive(Serialize)]
struct IdentitiesJson<'a> {
    domains: &'a [String],
    accounts_matched: u64,
    people_seen: u64,
    people_not_seen: &'a [String],
    unlisted: CountedJson<'a>,
    external: CountedJson<'a>,
    bots: CountedJson<'a>,
    unknown: CountedJson<'a>,
    tz_from_sources: &'a std::collections::BTreeMap<String, String>,
    tz_defaulted: &'a [String],
}

/// Writes an identity report as JSON.
pub fn write_identities_json(
    out: &mut impl Write,
    domains: &[String],
    r: &IdentityReport,
) -> io::Result<()> {
    let view = IdentitiesJson {
        domains,
        accounts_matched: r.accounts_matched,
        people_seen: r.people_seen,
        people_not_seen: &r.people_not_seen,
        unlisted: counted(&r.unlisted),
        external: counted(&r.external),
        bots: counted(&r.bots),
        unknown: counted(&r.unknown),
        tz_from_sources: &r.tz_from_sources,
        tz_defaulted: &r.tz_defaulted,
    };
    let text = serde_json::to_string_pretty(&view).map_err(io::Error::from)?;
    writeln!(out, "{text}")
}

/// Writes an identity report as text.
pub fn write_identities_table(
    out: &mut impl Write,
    domains: &[String],
    r: &IdentityReport,
) -> io::Result<()> {
    writeln!(
        out,
        "organisation domains: {}",
        if domains.is_empty() {
            "(none)".to_owned()
        } else {
            domains.join(", ")
        }
    )?;
    writeln!(
        out,
        "{} accounts matched {} listed people; {} listed people not seen in the exports",
        r.accounts_matched,
        r.people_seen,
        r.people_not_seen.len()
    )?;
    for (label, rule, c) in [
        (
            "unlisted",
            "in-domain, not on the people list: kept out of team aggregates",
            &r.unlisted,
        ),
        (
            "external",
            "outside the organisation's domains",
            &r.external,
        ),
        ("bots", "bot and app accounts", &r.bots),
        ("unknown", "no email and no alias match", &r.unknown),
    ] {
        write!(out, "{label:9} {:>5}  ({rule})", c.count)?;
        if !c.examples.is_empty() {
            write!(out, " e.g. {}", c.examples.join(", "))?;
        }
        writeln!(out)?;
    }
    for (email, note) in &r.tz_from_sources {
        writeln!(out, "time zone of {email}: {note}")?;
    }
    if !r.tz_defaulted.is_empty() {
        writeln!(
            out,
            "no time zone anywhere, [team] tz used: {}",
            r.tz_defaulted.join(", ")
        )?;
    }
    if !r.people_not_seen.is_empty() {
        writeln!(out, "not seen: {}", r.people_not_seen.join(", "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fulcrum_model::chat::{
        ChatPlatform, ConversationKind, ConversationSummary, EntryDiagnostic,
    };

    fn sample() -> ExportSummary {
        ExportSummary {
            export: "x.zip".into(),
            platform: ChatPlatform::Slack,
            users: 2,
            messages: 3,
            people_messages: 2,
            bot_messages: 0,
            system_messages: 1,
            threads: 1,
            replies: 1,
            asks: 1,
            skipped: 0,
            conversations: vec![ConversationSummary {
                id: "C1".into(),
                name: "general".into(),
                kind: ConversationKind::Channel,
                messages: 3,
                people_messages: 2,
                threads: 1,
                replies: 1,
            }],
            diagnostics: vec![EntryDiagnostic {
                entry: "general/2024-05-06.json".into(),
                message: "m".into(),
            }],
        }
    }

    #[test]
    fn json_keeps_the_contract_order() {
        let s = sample();
        let mut out = Vec::new();
        write_json(&mut out, &[SummaryItem::Read(&s)]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let keys = [
            "\"export\"",
            "\"source\"",
            "\"users\"",
            "\"messages\"",
            "\"people_messages\"",
            "\"bot_messages\"",
            "\"system_messages\"",
            "\"threads\"",
            "\"replies\"",
            "\"asks\"",
            "\"skipped\"",
            "\"conversations\"",
            "\"diagnostics\"",
        ];
        let positions: Vec<usize> = keys.iter().map(|k| text.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["tool"], "chat summary");
        assert_eq!(v["version"], 1);
        assert_eq!(v["exports"][0]["conversations"][0]["kind"], "channel");
        assert_eq!(v["exports"][0]["source"], "slack");
    }

    #[test]
    fn one_export_or_several_have_the_same_shape() {
        let s = sample();
        let mut out = Vec::new();
        write_json(
            &mut out,
            &[
                SummaryItem::Read(&s),
                SummaryItem::Unreadable {
                    export: "y",
                    error: "bad",
                },
            ],
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["exports"].as_array().unwrap().len(), 2);
        assert_eq!(v["exports"][1]["error"], "bad");
    }

    #[test]
    fn table_lists_conversations_and_diagnostics() {
        let s = sample();
        let mut out = Vec::new();
        write_table(&mut out, &[SummaryItem::Read(&s)]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("general"));
        // rustc-style: what, then where (export, then entry).
        assert!(
            text.contains("    warning: m\n      --> ")
                && text.contains(": general/2024-05-06.json\n"),
            "{text}"
        );
    }

    #[test]
    fn json_diagnostics_are_the_shared_object() {
        let s = sample();
        let mut out = Vec::new();
        write_json(&mut out, &[SummaryItem::Read(&s)]).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let v = &v["exports"][0];
        let d = &v["diagnostics"][0];
        assert_eq!(d["severity"], "warning");
        assert_eq!(d["source"], v["export"]);
        assert_eq!(d["entry"], "general/2024-05-06.json");
        assert_eq!(d["line"], serde_json::Value::Null);
        assert_eq!(d["message"], "m");
    }
}
