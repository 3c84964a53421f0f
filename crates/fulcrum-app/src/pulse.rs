//! The weekly pulse's use cases for the team server: a response as typed
//! (a score per question of `[policy.pulse]`, as text from a form or a
//! number from the API), checked and turned into a
//! [`fulcrum_model::pulse::PulseResponse`] for the author's current week
//! on their own clock, and a team's summary by week, shown only for
//! groups of at least the snapshot's minimum size.
//!
//! Pure: the snapshot and the time come in as values; the server reads the
//! clock and the store.

use crate::dashboard::Snapshot;
use chrono::{DateTime, NaiveDate, Utc};
use fulcrum_model::pulse::{PulseAnswer, PulseResponse, WeekSummary, pulse_summary, week_of};
use fulcrum_model::workflow::FieldProblem;

/// A pulse response as typed: the score given to each question, by
/// question, as typed (`"4"`); a question left out is unanswered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PulseInput {
    /// Question -> score as typed.
    pub scores: Vec<(String, String)>,
}

/// The week `email` answers the pulse for at `now`: the Monday of the ISO
/// week of their own local date (the `[team]` clock for someone not on
/// the people list).
pub fn pulse_week(snapshot: &Snapshot, email: &str, now: DateTime<Utc>) -> NaiveDate {
    let clock = snapshot
        .person(email)
        .map_or(&snapshot.team_clock, |p| &p.clock);
    week_of(clock.local_date(now))
}

/// The answers typed in `input`, in the order of the team's `questions`
/// (those to other questions after them, so that the check names them),
/// or the problem of each score that is not a whole number.
fn answers(
    questions: &[String],
    input: &PulseInput,
) -> Result<Vec<PulseAnswer>, Vec<FieldProblem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let ordered = questions
        .iter()
        .filter_map(|q| input.scores.iter().find(|(k, _)| k == q))
        .chain(input.scores.iter().filter(|(k, _)| !questions.contains(k)));
    for (question, typed) in ordered {
        let typed = typed.trim();
        if typed.is_empty() {
            // Unanswered: the check names it with its number.
            continue;
        }
        match typed.parse::<u8>() {
            Ok(score) => out.push(PulseAnswer {
                question: question.clone(),
                score,
            }),
            Err(_) => {
                let which = questions.iter().position(|q| q == question).map_or_else(
                    || format!("{question:?}"),
                    |i| format!("question {}", i + 1),
                );
                problems.push(FieldProblem::new(
                    "answers",
                    format!("{which}: {typed:?} is not a score; choose 1 to 5"),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The response `author` gives in `team` at `now` from `input`, for their
/// own current week, one score per question in the template's order; or
/// every problem. A second response in the same week edits the first: the
/// caller finds it and applies [`PulseResponse::edit`] with these answers.
pub fn new_pulse(
    snapshot: &Snapshot,
    author: &str,
    team: &str,
    input: &PulseInput,
    now: DateTime<Utc>,
) -> Result<PulseResponse, Vec<FieldProblem>> {
    let author = author.trim().to_lowercase();
    let questions = &snapshot.pulse_rules.questions;
    let response = PulseResponse {
        team: team.to_owned(),
        week: pulse_week(snapshot, &author, now),
        author,
        answers: answers(questions, input)?,
        answered_at: now,
    };
    let problems = response.check(questions);
    if problems.is_empty() {
        Ok(response)
    } else {
        Err(problems)
    }
}

/// A team's pulse by week, newest first, from its stored `responses`:
/// only the (week, question) pairs at least `[policy] min_group_size`
/// people answered.
pub fn team_pulse(snapshot: &Snapshot, responses: &[PulseResponse]) -> Vec<WeekSummary> {
    pulse_summary(responses, snapshot.min_group_size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::PersonSnapshot;
    use chrono::TimeZone;
    use fulcrum_analysis::WorkClock;
    use fulcrum_model::WorkingHours;
    use std::collections::BTreeSet;

    fn snapshot() -> Snapshot {
        let mut s = Snapshot::empty(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
        s.people = vec![PersonSnapshot {
            email: "bo@x.io".into(),
            name: "Bo".into(),
            team: "payments".into(),
            zone: "Asia/Tokyo".into(),
            weeks: Vec::new(),
            focus: None,
            clock: WorkClock::new(
                chrono_tz::Tz::Asia__Tokyo,
                WorkingHours::standard(),
                BTreeSet::new(),
            ),
        }];
        s.by_email = [("bo@x.io".to_owned(), 0)].into();
        s.pulse_rules.questions = vec!["pace".into(), "clarity".into()];
        s
    }

    fn input(pace: &str, clarity: &str) -> PulseInput {
        PulseInput {
            scores: vec![
                ("clarity".into(), clarity.into()),
                ("pace".into(), pace.into()),
            ],
        }
    }

    #[test]
    fn the_week_is_the_authors_own() {
        // Sunday 2026-12-13 20:00 UTC is Monday 05:00 in Tokyo (UTC+9):
        // Bo answers for the week of Monday 14 December; on the UTC
        // `[team]` clock it is still the week of Monday 7 December.
        let now = Utc.with_ymd_and_hms(2026, 12, 13, 20, 0, 0).unwrap();
        let s = snapshot();
        let r = new_pulse(&s, "Bo@X.io", "payments", &input("4", "2"), now).unwrap();
        assert_eq!(r.author, "bo@x.io");
        assert_eq!(r.week, NaiveDate::from_ymd_opt(2026, 12, 14).unwrap());
        assert_eq!(
            pulse_week(&s, "nobody@x.io", now),
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
        );
        // In the template's order, whatever the order typed; morale is
        // (4 + 2) / 2 = 3.
        let questions: Vec<&str> = r.answers.iter().map(|a| a.question.as_str()).collect();
        assert_eq!(questions, ["pace", "clarity"]);
        assert_eq!(r.morale(), Some(3.0));
    }

    #[test]
    fn bad_scores_are_named_by_question() {
        let now = Utc.with_ymd_and_hms(2026, 12, 9, 10, 0, 0).unwrap();
        let s = snapshot();
        let err = new_pulse(&s, "bo@x.io", "payments", &input("four", "2"), now).unwrap_err();
        assert_eq!(
            err[0].to_string(),
            "answers: question 1: \"four\" is not a score; choose 1 to 5"
        );
        let err = new_pulse(&s, "bo@x.io", "payments", &input("", "7"), now).unwrap_err();
        let got: Vec<String> = err.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "answers: question 2: a score of 7; choose 1 to 5",
                "answers: question 1 is not answered; choose 1 to 5",
            ]
        );
    }

    #[test]
    fn the_team_summary_uses_the_snapshots_minimum() {
        let now = Utc.with_ymd_and_hms(2026, 12, 9, 10, 0, 0).unwrap();
        let mut s = snapshot();
        let r = new_pulse(&s, "bo@x.io", "payments", &input("4", "2"), now).unwrap();
        s.min_group_size = 2;
        assert!(team_pulse(&s, std::slice::from_ref(&r)).is_empty());
        let other = PulseResponse {
            author: "cy@x.io".into(),
            ..r.clone()
        };
        // Two people: pace (4 + 4) / 2 = 4.
        let got = team_pulse(&s, &[r, other]);
        assert_eq!(got[0].questions[0].mean, 4.0);
        assert_eq!(got[0].questions[0].respondents, 2);
    }
}
