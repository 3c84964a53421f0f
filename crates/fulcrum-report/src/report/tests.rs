//! Tests of the view model and renderers on a small hand-built fixture:
//! two teams of five over two weeks. `alpha` has 4 short meetings per
//! person-week (median) both weeks, so `meetings_clear_small_blockers`
//! fires: 4 vs 3 is 33% past (not far), in 2 of 2 weeks (steady): medium.
//! Its `meeting_share` is suppressed in the first week (3 members with
//! data, minimum 5). `beta` has 1 short meeting: no findings.

use super::*;
use fulcrum_analysis::calendar::CalendarWeek;
use fulcrum_analysis::findings::{Examples, Place, evaluate};
use fulcrum_analysis::team::{Aggregate, TeamSignal, TeamWeek, TeamWeeks};
use fulcrum_analysis::{Coverage, PersonWeek, PersonWeeks, Sensitivity};

fn week(n: u32) -> Week {
    Week {
        year: 2026,
        week: n,
    }
}

fn agg(median: f64) -> Result<TeamValue, Unknown> {
    Ok(TeamValue::Aggregate(Aggregate {
        median: Some(median),
        mean: Some(median),
        p90: Some(median + 1.0),
        total: median * 5.0,
        pooled: None,
        latency: None,
    }))
}

fn team(name: &str, short: f64, members: Vec<usize>) -> TeamWeeks {
    TeamWeeks {
        team: name.to_owned(),
        members,
        weeks: (0..2)
            .map(|i| TeamWeek {
                members_away: 0,
                week: week(36 + i),
                signals: vec![
                    TeamSignal {
                        id: SignalId::ShortMeetings,
                        members_with_data: 5,
                        value: agg(short),
                    },
                    TeamSignal {
                        id: SignalId::MeetingShare,
                        members_with_data: if i == 0 { 3 } else { 5 },
                        value: if i == 0 {
                            Err(Unknown::Suppressed {
                                members_with_data: 3,
                                min_group_size: 5,
                            })
                        } else {
                            agg(0.25)
                        },
                    },
                ],
            })
            .collect(),
    }
}

fn person(i: usize, team: &str) -> Person {
    Person {
        email: format!("person{i}@acme.example"),
        name: format!("Person Number{i}"),
        team: team.to_owned(),
        tz: chrono_tz::UTC,
        working_hours: Default::default(),
        aliases: Vec::new(),
    }
}

struct Fixture {
    signals: Signals,
    people: Vec<Person>,
    assessments: Vec<TeamAssessment>,
    activity: Activity,
    thresholds: Thresholds,
}

fn fixture() -> Fixture {
    let people: Vec<Person> = (0..10)
        .map(|i| person(i, if i < 5 { "alpha" } else { "beta" }))
        .collect();
    let person_weeks = people
        .iter()
        .enumerate()
        .map(|(i, p)| PersonWeeks {
            person: i,
            email: p.email.clone(),
            team: p.team.clone(),
            sensitivity: Sensitivity::Individual,
            weeks: (0..2)
                .map(|w| PersonWeek {
                    week: week(36 + w),
                    calendar: Ok(CalendarWeek {
                        working_hours: 40.0,
                        meeting_hours: 10.0 + i as f64,
                        short_meetings: 4,
                        ..CalendarWeek::default()
                    }),
                    chat: Err(Unknown::NoChat),
                    uninterrupted_hours: Err(Unknown::NoChat),
                    interrupted_hours: Err(Unknown::NoChat),
                    meeting_quality: Err(Unknown::NoChat),
                    flexibility: Err(Unknown::NoActivity),
                    sync_share: Err(Unknown::NoChat),
                    away: false,
                })
                .collect(),
        })
        .collect();
    let signals = Signals {
        weeks: vec![week(36), week(37)],
        people: person_weeks,
        teams: vec![
            team("alpha", 4.0, (0..5).collect()),
            team("beta", 1.0, (5..10).collect()),
        ],
        coverage: Coverage::default(),
        escalations: Vec::new(),
        pulse: Vec::new(),
    };
    let mut examples = Examples::default();
    examples.add(
        "alpha",
        FindingId::MeetingsClearSmallBlockers,
        vec![Example {
            when: When::At {
                at: chrono::DateTime::parse_from_rfc3339("2026-09-01T14:30:00Z")
                    .unwrap()
                    .with_timezone(&chrono::Utc),
                zone: chrono_tz::Europe::Berlin,
            },
            place: Place::Meeting("#abcdef".into()),
            detail: "one-off, 15 min, 2 participants".into(),
        }],
    );
    let thresholds = Thresholds::default();
    let assessments = evaluate(&signals, &thresholds, &examples);
    Fixture {
        signals,
        people,
        assessments,
        activity: Activity::default(),
        thresholds,
    }
}

use fulcrum_analysis::findings::FindingId;

fn report(f: &Fixture, privacy: Privacy) -> Report {
    build(
        &ReportInput {
            title: "acme".into(),
            window: Window {
                from: NaiveDate::from_ymd_opt(2026, 8, 31).unwrap(),
                to: NaiveDate::from_ymd_opt(2026, 9, 13).unwrap(),
            },
            window_rule: "as given".into(),
            signals: &f.signals,
            assessments: &f.assessments,
            activity: &f.activity,
            people: &f.people,
            thresholds: &f.thresholds,
            min_group_size: 5,
            key: HashKey([7; 16]),
            key_source: "test".into(),
            inputs: vec![("calendars".into(), "calendars/person1.ics read".into())],
            problems: vec![
                fulcrum_model::diagnostic::Diagnostic::warning(
                    "calendars/person3.ics",
                    "1 problem",
                ),
                // A calendar named after someone not on the list.
                fulcrum_model::diagnostic::Diagnostic::error(
                    "./calendars/Jane Doe (work).ics",
                    "cannot tell whose calendar this is; file skipped",
                )
                .with_help("see `fulcrum ics expand ./calendars/Jane Doe (work).ics`"),
            ],
            experiments: &[],
        },
        &privacy,
    )
}

fn teams_only() -> Privacy {
    Privacy {
        individuals: Individuals::None,
        pseudonymize: false,
        team: None,
    }
}

fn render(r: &Report, f: fn(&Report, &mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    f(r, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn json_shape_and_values() {
    let f = fixture();
    let v: serde_json::Value =
        serde_json::from_str(&render(&report(&f, teams_only()), json::write)).unwrap();
    assert_eq!(v["version"], 2);
    assert_eq!(
        v["window"]["weeks"],
        serde_json::json!(["2026-W36", "2026-W37"])
    );
    assert_eq!(v["privacy"]["min_group_size"], 5);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    let x = &findings[0];
    assert_eq!(x["id"], "meetings_clear_small_blockers");
    assert_eq!(x["team"], "alpha");
    assert_eq!(x["severity"], "medium");
    let check = &x["evidence"]["checks"][0];
    assert_eq!(check["signal"], "short_meetings");
    assert_eq!(check["value"], 4.0);
    assert_eq!(check["threshold"], 3.0);
    assert_eq!(check["op"], ">=");
    assert_eq!(check["weeks_past"], 2);
    let example = &x["evidence"]["examples"][0];
    // 14:30 UTC is 16:30 in Berlin (CEST) on Tuesday 1 September 2026.
    assert_eq!(example["when"], "Tue 2026-09-01 16:30 Europe/Berlin");
    assert_eq!(example["place"], "meeting #abcdef");
    assert!(x["moves"].as_array().unwrap().len() >= 2);
    assert_eq!(x["experiment"]["weeks"], 4);
    assert!(
        x["experiment"]["watch"]
            .as_array()
            .unwrap()
            .contains(&"short_meetings".into())
    );
    // Team weeks: known values, and a suppressed one as null with its reason.
    let alpha = &v["teams"][0];
    assert_eq!(alpha["team"], "alpha");
    assert_eq!(alpha["verdict"], "findings");
    let w0 = &alpha["weeks"][0]["signals"];
    assert_eq!(w0["short_meetings"]["value"], 4.0);
    assert_eq!(w0["short_meetings"]["p90"], 5.0);
    assert_eq!(w0["meeting_share"]["value"], serde_json::Value::Null);
    assert_eq!(w0["meeting_share"]["reason"], "suppressed");
    assert_eq!(w0["meeting_share"]["members_with_data"], 3);
    assert_eq!(alpha["weeks"][1]["signals"]["meeting_share"]["value"], 0.25);
    assert_eq!(v["teams"][1]["verdict"], "no_findings");
    // No individuals: no people key at all.
    assert!(v.get("people").is_none());
}

#[test]
fn people_only_when_allowed_and_pseudonyms_everywhere() {
    let f = fixture();
    let mine = report(
        &f,
        Privacy {
            individuals: Individuals::Person(2),
            pseudonymize: false,
            team: None,
        },
    );
    let people = mine.people.as_ref().unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].email, "person2@acme.example");
    assert!(mine.privacy.warning.is_none());

    let all = report(
        &f,
        Privacy {
            individuals: Individuals::All,
            pseudonymize: true,
            team: Some("alpha".into()),
        },
    );
    assert!(
        all.privacy
            .warning
            .as_deref()
            .unwrap()
            .starts_with("WARNING")
    );
    assert_eq!(all.people.as_ref().unwrap().len(), 5);
    assert_eq!(all.teams.len(), 1);
    let text = render(&all, json::write);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Person signals per person-week: meeting_hours of person 0 is 10.
    assert_eq!(
        v["people"][0]["weeks"][0]["signals"]["meeting_hours"]["value"],
        10.0
    );
    assert_eq!(
        v["people"][0]["weeks"][0]["signals"]["messages_sent"]["reason"],
        "no_chat"
    );
    // In place of a calendar's name a keyed one, the folder kept, in the
    // problem's source and wherever its text repeats it.
    let problem = &v["problems"][1];
    let alias = problem["source"].as_str().unwrap();
    assert!(
        alias.starts_with("./calendars/calendar-") && alias.ends_with(".ics"),
        "{problem}"
    );
    assert!(
        problem["help"].as_str().unwrap().contains(alias),
        "{problem}"
    );
    for out in [text, render(&all, csv::write), render(&all, html::write)] {
        assert!(!out.contains("acme.example"), "an email leaked");
        assert!(!out.contains("Number"), "a name leaked");
        assert!(
            !out.contains("calendars/person3.ics"),
            "a file named after a person leaked"
        );
        assert!(!out.contains("Jane"), "a calendar file name leaked");
        assert!(out.contains(&pseudonym(&HashKey([7; 16]), "person0@acme.example")));
    }
    // Stable for the same key, different for another.
    assert_eq!(
        pseudonym(&HashKey([7; 16]), "Person0@acme.example "),
        pseudonym(&HashKey([7; 16]), "person0@acme.example")
    );
    assert_ne!(
        pseudonym(&HashKey([8; 16]), "person0@acme.example"),
        pseudonym(&HashKey([7; 16]), "person0@acme.example")
    );
}

#[test]
fn csv_columns_and_unknown_reasons() {
    let f = fixture();
    let text = render(&report(&f, teams_only()), csv::write);
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(header.len(), 4 + SignalId::ALL.len() + 1);
    assert_eq!(&header[..4], ["scope", "team", "person", "week"]);
    assert_eq!(header.last(), Some(&"unknown"));
    // 2 teams x 2 weeks, no person rows.
    assert_eq!(lines.len(), 1 + 4);
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let first: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(&first[..4], ["team", "alpha", "", "2026-W36"]);
    assert_eq!(first[col("short_meetings")], "4");
    assert_eq!(first[col("meeting_share")], "", "unknown is empty, not 0");
    assert!(first[col("unknown")].contains("meeting_share=suppressed"));
    let second: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(second[col("meeting_share")], "0.25");
}

#[test]
fn term_is_plain_when_piped_and_findings_come_first() {
    let f = fixture();
    let r = report(&f, teams_only());
    let mut out = Vec::new();
    term::write(
        &r,
        &mut out,
        term::TermOptions {
            color: false,
            all: false,
        },
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        !text.contains('\x1b'),
        "no escape codes when not a terminal"
    );
    let findings = text.find("FINDINGS").unwrap();
    let table = text.find("KEY SIGNALS").unwrap();
    assert!(findings < table);
    let line = text
        .lines()
        .find(|l| l.contains("meetings_clear_small_blockers"))
        .unwrap();
    assert!(
        line.contains("alpha")
            && line.contains("MEDIUM")
            && line.contains("short_meetings 4 (>= 3), 2 of 2 weeks"),
        "{line}"
    );
    assert!(text.contains("try first:"));
    let beta = text
        .lines()
        .find(|l| l.contains("beta") && l.contains("OK"))
        .unwrap();
    assert!(beta.contains("no findings"), "{beta}");
    // The key-signal row of alpha: meeting share 25% (second week only), short 4.0.
    let row = text
        .lines()
        .rfind(|l| l.trim_start().starts_with("alpha"))
        .unwrap();
    assert!(row.contains("25") && row.contains("4.0"), "{row}");
    let mut colored = Vec::new();
    term::write(
        &r,
        &mut colored,
        term::TermOptions {
            color: true,
            all: false,
        },
    )
    .unwrap();
    let colored = String::from_utf8(colored).unwrap();
    assert!(colored.contains("\x1b[33mMEDIUM") && colored.contains("\x1b[0m"));
}

#[test]
fn html_is_self_contained_with_charts_and_glossary() {
    let f = fixture();
    let text = render(&report(&f, teams_only()), html::write);
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(text.contains("<svg"));
    assert!(text.contains(r#"name="viewport""#));
    assert!(text.contains("@media print"));
    assert!(!text.contains("<script"), "no scripts");
    for attr in ["src=", "href=", "url("] {
        for (i, _) in text.match_indices(attr) {
            let rest = &text[i + attr.len()..(i + attr.len() + 12).min(text.len())];
            assert!(
                !rest.contains("http") && !rest.contains("//"),
                "external reference: {attr}{rest}"
            );
        }
    }
    assert!(!text.contains("http://") && !text.contains("https://"));
    // Charts are labelled for screen readers.
    assert!(text.contains(r#"role="img" aria-label="Short meetings by week for alpha"#));
    // Findings, evidence, moves and the glossary from SIGNALS.md.
    assert!(text.contains("Meetings clear small blockers"));
    assert!(text.contains("<th scope=\"col\">"));
    assert!(text.contains("Try first"));
    assert!(text.contains(r#"<code>meeting_hours</code> (h)"#));
    assert!(text.contains("suppressed"));
}

#[test]
fn trends_compare_halves() {
    assert_eq!(
        Trend::of(SignalId::FocusHours, Some(10.0), Some(12.0)),
        Trend::Up
    );
    assert_eq!(
        Trend::of(SignalId::FocusHours, Some(10.0), Some(10.4)),
        Trend::Flat
    );
    assert_eq!(
        Trend::of(SignalId::MeetingShare, Some(0.30), Some(0.25)),
        Trend::Down
    );
    // Half a percentage point is no trend for a share.
    assert_eq!(
        Trend::of(SignalId::MeetingShare, Some(0.050), Some(0.055)),
        Trend::Flat
    );
    assert_eq!(
        Trend::of(SignalId::FocusHours, None, Some(1.0)),
        Trend::Unknown
    );
}

#[test]
fn a_share_of_nothing_says_why() {
    // A person with a chat account and no asks that week: 0 of 0.
    let none = person_cell(&Ok(Value::Ratio(Ratio::new(0.0, 0.0))));
    assert_eq!((none.value, none.reason), (None, Some("no_denominator")));
    let some = person_cell(&Ok(Value::Ratio(Ratio::new(1.0, 4.0))));
    assert_eq!((some.value, some.reason), (Some(0.25), None));
    // The same for a team aggregate whose pooled whole is 0.
    let empty = Ok(TeamValue::Aggregate(Aggregate {
        median: None,
        mean: None,
        p90: None,
        total: 0.0,
        pooled: Some(Ratio::new(0.0, 0.0)),
        latency: None,
    }));
    let cell = team_cell(SignalId::CrossTzAsks, &empty, 5);
    assert_eq!((cell.value, cell.reason), (None, Some("no_denominator")));
}

/// The text of every `<text>` and `<title>` in the page's charts, and every
/// chart's `aria-label`.
fn chart_words(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for svg in html.split("<svg").skip(1) {
        let svg = &svg[..svg.find("</svg>").unwrap_or(svg.len())];
        if let Some(i) = svg.find("aria-label=\"") {
            let rest = &svg[i + 12..];
            out.push(rest[..rest.find('"').unwrap()].to_owned());
        }
        for tag in ["<text", "<title>"] {
            for part in svg.split(tag).skip(1) {
                let start = part.find('>').map_or(0, |i| i + 1);
                let end = part[start..].find('<').map_or(part.len(), |i| start + i);
                out.push(part[start..end].to_owned());
            }
        }
    }
    out
}

#[test]
fn the_html_opens_with_an_overview_of_one_row_per_team() {
    let f = fixture();
    let r = report(&f, teams_only());
    let text = render(&r, html::write);
    let main = &text[text.find("<main>").unwrap()..];
    // The first section is the overview, before any finding.
    assert!(
        main.starts_with(r#"<main><section id="overview">"#),
        "{}",
        &main[..200]
    );
    let overview = &main[..main.find("</section>").unwrap()];
    assert!(overview.find("<section").unwrap() < main.find("id=\"findings\"").unwrap());
    let body = &overview[overview.find("<tbody>").unwrap()..overview.find("</tbody>").unwrap()];
    assert_eq!(body.matches("<tr>").count(), r.teams.len(), "{body}");
    for t in &r.teams {
        assert!(body.contains(&format!(">{}</a></th>", t.name)), "{body}");
    }
    // Coloured by the distance to the threshold, with a legend of the scale.
    assert!(overview.contains(r#"class="scale""#));
    assert!(
        body.contains("st-far-past") || body.contains("st-past"),
        "{body}"
    );
    assert!(
        body.contains("st-clear") || body.contains("st-near"),
        "{body}"
    );
    // alpha's finding is counted; beta has none.
    assert!(body.contains("1 medium"), "{body}");
    // What to try next for alpha's finding.
    assert!(overview.contains("to run</strong> (alpha"), "{overview}");
    // Details are collapsible without script.
    assert!(text.contains(r#"<details class="finding sev-medium""#));
    assert!(text.contains(r#"<details class="team" id="team-alpha">"#));
    assert!(!text.contains("<script"));
}

#[test]
fn every_chart_title_is_in_words_not_snake_case_ids() {
    let f = fixture();
    let text = render(&report(&f, teams_only()), html::write);
    let words = chart_words(&text);
    assert!(words.len() > 50, "{}", words.len());
    for w in &words {
        let snake = w
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|t| t.contains('_') && t.chars().next().is_some_and(|c| c.is_ascii_lowercase()));
        assert!(!snake, "a chart says a snake_case id: {w:?}");
    }
    // Units, more than two ticks and a legend for the threshold.
    let chart = text
        .split("<svg")
        .find(|c| c.contains("Short meetings by week for alpha"))
        .unwrap();
    assert!(chart.contains(">count a week<"), "{chart}");
    assert!(chart.contains("finding threshold 3"), "{chart}");
    let ticks = chart.matches(r#"class="grid""#).count();
    assert!(ticks > 2, "{ticks} ticks");
    // Every heatmap carries its colour scale.
    for heat in text
        .split("<svg")
        .filter(|c| c.contains("hour of the week"))
    {
        assert!(
            heat.contains(">scale<") && heat.contains(" an hour<"),
            "{heat}"
        );
    }
}

#[test]
fn the_load_histogram_is_wide_enough_for_its_axis_label() {
    // Regression: with two bins the label was cut to "meeting hou".
    let svg = svg::histogram("load", &[1.0, 2.5, 3.0]);
    let width: f64 = svg
        .split("viewBox=\"0 0 ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|w| w.parse().ok())
        .unwrap();
    let label = "mean meeting hours a week";
    // About 5.5 px a character at 9 px, from x = 30.
    assert!(30.0 + 5.5 * label.len() as f64 <= width, "{width}");
    assert!(svg.contains(label));
}

#[test]
fn trend_arrows_are_good_or_bad_by_the_signals_better_side() {
    assert_eq!(trend_is_good(SignalId::FocusHours, Trend::Up), Some(true));
    assert_eq!(
        trend_is_good(SignalId::MeetingShare, Trend::Up),
        Some(false)
    );
    assert_eq!(
        trend_is_good(SignalId::SlaBreachRate, Trend::Down),
        Some(true)
    );
    assert_eq!(trend_is_good(SignalId::MeetingCount, Trend::Up), None);
    assert_eq!(trend_is_good(SignalId::FocusHours, Trend::Flat), None);
    // Standing: focus hours fire below 10 h; meeting share above 40%.
    let t = Some(10.0);
    assert_eq!(
        Standing::of(SignalId::FocusHours, Some(14.0), t),
        Standing::Clear
    );
    assert_eq!(
        Standing::of(SignalId::FocusHours, Some(11.0), t),
        Standing::Near
    );
    assert_eq!(
        Standing::of(SignalId::FocusHours, Some(8.0), t),
        Standing::Past
    );
    assert_eq!(
        Standing::of(SignalId::FocusHours, Some(4.0), t),
        Standing::FarPast
    );
    assert_eq!(
        Standing::of(SignalId::MeetingShare, Some(0.7), Some(0.4)),
        Standing::FarPast
    );
    assert_eq!(
        Standing::of(SignalId::MeetingShare, None, Some(0.4)),
        Standing::Unknown
    );
    assert_eq!(signal_title(SignalId::SlaBreachRate), "SLA breach rate");
}

/// The fixture's report with its teams copied `n` times over (each copy
/// with its findings), as a report of many teams.
fn many_teams(n: usize) -> Report {
    let f = fixture();
    let mut r = report(&f, teams_only());
    let (teams, findings) = (r.teams.clone(), r.findings.clone());
    r.teams.clear();
    r.findings.clear();
    for i in 0..n {
        for t in &teams {
            let mut t = t.clone();
            t.name = format!("{}-{i:02}", t.name);
            r.teams.push(t);
        }
        for f in &findings {
            let mut f = f.clone();
            f.team = format!("{}-{i:02}", f.team);
            r.findings.push(f);
        }
    }
    r
}

fn term_text(r: &Report, all: bool) -> String {
    let mut out = Vec::new();
    term::write(r, &mut out, term::TermOptions { color: false, all }).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_term_summary_of_many_teams_fits_one_screen_without_all() {
    let r = many_teams(60);
    assert_eq!(r.teams.len(), 120);
    let short = term_text(&r, false);
    let lines = short.lines().count();
    assert!(lines <= 40, "{lines} lines:\n{short}");
    assert!(short.contains("(--all lists them)"), "{short}");
    // Worst first: the teams with findings lead.
    let first = short
        .lines()
        .find(|l| l.contains("MEDIUM"))
        .unwrap_or_default();
    assert!(first.contains("alpha-"), "{short}");
    let long = term_text(&r, true);
    for t in &r.teams {
        assert!(
            long.lines().any(|l| l.trim_start().starts_with(&t.name)),
            "{} missing with --all",
            t.name
        );
    }
    assert!(!long.contains("--all lists them"));
    // A report of a few teams is the same either way.
    let one = many_teams(1);
    assert_eq!(term_text(&one, false), term_text(&one, true));
}
