//! The pulse: a weekly survey of one to five questions, each answered
//! with a score from 1 to 5 (WORKFLOW.md). One [`PulseResponse`] per
//! person per ISO week (the Monday of the week in the person's own zone);
//! a second answer in the same week edits the first.
//!
//! Answers are personal: a person sees their own, and a team sees only
//! the aggregate of a week's question ([`pulse_summary`]) when at least
//! `[policy] min_group_size` people answered it; below that nothing of
//! the week is shown, not even how many answered.
//!
//! The stored shape is the one `fulcrum_rows::read_pulse` reads from CSV
//! (email, week's Monday, a score 1-5): a person's morale for the week is
//! the mean of their scores ([`PulseResponse::morale`]).

use crate::workflow::FieldProblem;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// The question of the pulse when `[policy.pulse]` names none.
pub const DEFAULT_PULSE_QUESTIONS: [&str; 1] =
    ["How sustainable was your pace this week? (1 = not at all, 5 = fully)"];
/// Most questions a team's pulse may have.
pub const MAX_PULSE_QUESTIONS: usize = 5;
/// The lowest score.
pub const MIN_SCORE: u8 = 1;
/// The highest score.
pub const MAX_SCORE: u8 = 5;

/// The Monday of the ISO week `date` falls in.
pub fn week_of(date: NaiveDate) -> NaiveDate {
    date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// One answer of a pulse: a question of the team's template and its score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PulseAnswer {
    /// The question it answers.
    pub question: String,
    /// The score, 1 to 5.
    pub score: u8,
}

/// One person's answers to the team's pulse for one week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PulseResponse {
    /// The team it belongs to.
    pub team: String,
    /// Who answered (primary email). Never shown to anyone else.
    pub author: String,
    /// The Monday of the week (in the author's own zone).
    pub week: NaiveDate,
    /// One score per question of the template, in its order.
    pub answers: Vec<PulseAnswer>,
    /// When it was last answered.
    pub answered_at: DateTime<Utc>,
}

impl PulseResponse {
    /// Every problem of the response against the team's `questions`: a
    /// week that is not a Monday, a score outside 1-5, an answer to a
    /// question the pulse does not ask or answered twice, a question left
    /// unanswered. Each names its field and, for answers, the question's
    /// number in the template.
    pub fn check(&self, questions: &[String]) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        if week_of(self.week) != self.week {
            out.push(FieldProblem::new(
                "week",
                format!(
                    "{} is not a Monday; its week starts on {}",
                    self.week,
                    week_of(self.week)
                ),
            ));
        }
        let number = |q: &str| questions.iter().position(|x| x == q).map(|i| i + 1);
        let mut seen: Vec<&str> = Vec::new();
        for a in &self.answers {
            let Some(n) = number(&a.question) else {
                out.push(FieldProblem::new(
                    "answers",
                    format!("{:?} is not a question of the team's pulse", a.question),
                ));
                continue;
            };
            if seen.contains(&a.question.as_str()) {
                out.push(FieldProblem::new(
                    "answers",
                    format!("question {n} is answered twice"),
                ));
            }
            seen.push(&a.question);
            if !(MIN_SCORE..=MAX_SCORE).contains(&a.score) {
                out.push(FieldProblem::new(
                    "answers",
                    format!(
                        "question {n}: a score of {}; choose {MIN_SCORE} to {MAX_SCORE}",
                        a.score
                    ),
                ));
            }
        }
        for (i, q) in questions.iter().enumerate() {
            if !seen.contains(&q.as_str()) {
                out.push(FieldProblem::new(
                    "answers",
                    format!(
                        "question {} is not answered; choose {MIN_SCORE} to {MAX_SCORE}",
                        i + 1
                    ),
                ));
            }
        }
        out
    }

    /// The score given to `question`, when answered.
    pub fn score(&self, question: &str) -> Option<u8> {
        self.answers
            .iter()
            .find(|a| a.question == question)
            .map(|a| a.score)
    }

    /// The person's morale for the week: the mean of their scores (`None`
    /// without any).
    pub fn morale(&self) -> Option<f64> {
        if self.answers.is_empty() {
            return None;
        }
        let sum: u32 = self.answers.iter().map(|a| u32::from(a.score)).sum();
        Some(f64::from(sum) / self.answers.len() as f64)
    }

    /// Edits the response of the same week: the new answers replace the
    /// old ones, checked against the team's `questions`; a refused edit
    /// changes nothing.
    pub fn edit(
        &mut self,
        answers: Vec<PulseAnswer>,
        at: DateTime<Utc>,
        questions: &[String],
    ) -> Result<(), Vec<FieldProblem>> {
        let edited = PulseResponse {
            answers,
            answered_at: at,
            ..self.clone()
        };
        let problems = edited.check(questions);
        if !problems.is_empty() {
            return Err(problems);
        }
        *self = edited;
        Ok(())
    }
}

/// The aggregate of one question in one week.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionSummary {
    /// The question.
    pub question: String,
    /// How many people answered it (at least the minimum group size).
    pub respondents: u32,
    /// The mean score.
    pub mean: f64,
    /// How many gave each score: `distribution[0]` the 1s ...
    /// `distribution[4]` the 5s.
    pub distribution: [u32; 5],
}

/// The aggregates of one week that may be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekSummary {
    /// The Monday of the week.
    pub week: NaiveDate,
    /// The questions answered by at least the minimum group size, in the
    /// order they were first met (the template's).
    pub questions: Vec<QuestionSummary>,
}

/// The team's pulse by week, newest week first: per question, how many
/// answered, the mean and the distribution of scores. A (week, question)
/// answered by fewer than `min_group` people is left out entirely, and a
/// week with nothing left is not listed: no count below the minimum is
/// ever given. A person counts once per week: of two responses of theirs
/// for the same week (two first answers sent at once), the later one is
/// taken, so a duplicate never lifts a group to the minimum. Scores
/// outside 1-5 (never stored: the check refuses them) are not counted.
pub fn pulse_summary(responses: &[PulseResponse], min_group: u32) -> Vec<WeekSummary> {
    use std::collections::BTreeMap;
    // (week, author) -> their latest response.
    let mut latest: BTreeMap<(NaiveDate, String), &PulseResponse> = BTreeMap::new();
    for r in responses {
        let key = (r.week, r.author.to_lowercase());
        match latest.get(&key) {
            Some(seen) if seen.answered_at >= r.answered_at => {}
            _ => {
                latest.insert(key, r);
            }
        }
    }
    // week -> question (in first-met order) -> distribution.
    let mut weeks: BTreeMap<NaiveDate, Vec<(String, [u32; 5])>> = BTreeMap::new();
    for r in latest.into_values() {
        let questions = weeks.entry(r.week).or_default();
        for a in &r.answers {
            if !(MIN_SCORE..=MAX_SCORE).contains(&a.score) {
                continue;
            }
            let i = match questions.iter().position(|(q, _)| *q == a.question) {
                Some(i) => i,
                None => {
                    questions.push((a.question.clone(), [0; 5]));
                    questions.len() - 1
                }
            };
            questions[i].1[usize::from(a.score - MIN_SCORE)] += 1;
        }
    }
    let min_group = min_group.max(1);
    weeks
        .into_iter()
        .rev()
        .filter_map(|(week, questions)| {
            let shown: Vec<QuestionSummary> = questions
                .into_iter()
                .filter_map(|(question, distribution)| {
                    let respondents: u32 = distribution.iter().sum();
                    if respondents < min_group {
                        return None;
                    }
                    let total: u32 = distribution
                        .iter()
                        .zip(1u32..)
                        .map(|(n, score)| n * score)
                        .sum();
                    Some(QuestionSummary {
                        question,
                        respondents,
                        mean: f64::from(total) / f64::from(respondents),
                        distribution,
                    })
                })
                .collect();
            (!shown.is_empty()).then_some(WeekSummary {
                week,
                questions: shown,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const Q1: &str = "pace";
    const Q2: &str = "clarity";

    fn qs() -> Vec<String> {
        vec![Q1.to_owned(), Q2.to_owned()]
    }

    fn monday() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    fn response(author: &str, week: NaiveDate, scores: &[(&str, u8)]) -> PulseResponse {
        PulseResponse {
            team: "payments".into(),
            author: author.into(),
            week,
            answers: scores
                .iter()
                .map(|(q, s)| PulseAnswer {
                    question: (*q).to_owned(),
                    score: *s,
                })
                .collect(),
            answered_at: Utc.with_ymd_and_hms(2026, 12, 9, 10, 0, 0).unwrap(),
        }
    }

    #[test]
    fn the_week_is_its_monday() {
        // Sunday 13 December 2026 belongs to the week of Monday 7 December.
        let sunday = NaiveDate::from_ymd_opt(2026, 12, 13).unwrap();
        assert_eq!(week_of(sunday), monday());
        assert_eq!(week_of(monday()), monday());
    }

    #[test]
    fn a_full_answer_passes_and_its_morale_is_the_mean() {
        let r = response("ana@x.io", monday(), &[(Q1, 4), (Q2, 1)]);
        assert_eq!(r.check(&qs()), Vec::new());
        // (4 + 1) / 2 = 2.5
        assert_eq!(r.morale(), Some(2.5));
        assert_eq!(r.score(Q2), Some(1));
    }

    #[test]
    fn each_problem_names_its_field_and_question() {
        let tuesday = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let r = response("ana@x.io", tuesday, &[(Q1, 0), (Q1, 6), ("other", 3)]);
        let got: Vec<String> = r.check(&qs()).iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "week: 2026-12-08 is not a Monday; its week starts on 2026-12-07",
                "answers: question 1: a score of 0; choose 1 to 5",
                "answers: question 1 is answered twice",
                "answers: question 1: a score of 6; choose 1 to 5",
                "answers: \"other\" is not a question of the team's pulse",
                "answers: question 2 is not answered; choose 1 to 5",
            ]
        );
    }

    #[test]
    fn a_refused_edit_changes_nothing() {
        let mut r = response("ana@x.io", monday(), &[(Q1, 4), (Q2, 4)]);
        let before = r.clone();
        let later = Utc.with_ymd_and_hms(2026, 12, 10, 9, 0, 0).unwrap();
        let bad = vec![PulseAnswer {
            question: Q1.into(),
            score: 9,
        }];
        assert!(r.edit(bad, later, &qs()).is_err());
        assert_eq!(r, before);
        let good = vec![
            PulseAnswer {
                question: Q1.into(),
                score: 2,
            },
            PulseAnswer {
                question: Q2.into(),
                score: 5,
            },
        ];
        r.edit(good, later, &qs()).unwrap();
        assert_eq!((r.score(Q1), r.answered_at), (Some(2), later));
    }

    #[test]
    fn the_summary_shows_only_groups_of_the_minimum_size() {
        let last = monday() - chrono::Duration::days(7);
        let responses = vec![
            // This week: three answer Q1, only two answer Q2 (one answer
            // leaves Q2 out, which the check would refuse; the summary
            // still counts per question).
            response("a@x.io", monday(), &[(Q1, 5), (Q2, 3)]),
            response("b@x.io", monday(), &[(Q1, 2), (Q2, 4)]),
            response("c@x.io", monday(), &[(Q1, 4)]),
            // Last week: two only.
            response("a@x.io", last, &[(Q1, 1), (Q2, 1)]),
            response("b@x.io", last, &[(Q1, 1), (Q2, 1)]),
        ];
        let got = pulse_summary(&responses, 3);
        // Last week (2 < 3) is gone altogether; this week shows Q1 only.
        // Q1: 5 + 2 + 4 = 11 over 3 people = 3.666...; one 2, one 4, one 5.
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].week, monday());
        assert_eq!(got[0].questions.len(), 1);
        let q = &got[0].questions[0];
        assert_eq!((q.question.as_str(), q.respondents), (Q1, 3));
        assert!((q.mean - 11.0 / 3.0).abs() < 1e-12, "{}", q.mean);
        assert_eq!(q.distribution, [0, 1, 0, 1, 1]);
        // With a minimum of 2, last week shows too, newest week first:
        // Q2 this week is (3 + 4) / 2 = 3.5; last week both questions
        // are (1 + 1) / 2 = 1.
        let got = pulse_summary(&responses, 2);
        let weeks: Vec<NaiveDate> = got.iter().map(|w| w.week).collect();
        assert_eq!(weeks, [monday(), last]);
        assert_eq!(got[0].questions[1].mean, 3.5);
        assert_eq!(got[1].questions[0].mean, 1.0);
        assert_eq!(got[1].questions[1].distribution, [2, 0, 0, 0, 0]);
    }

    #[test]
    fn a_person_counts_once_per_week() {
        // Two people, one of them twice: still two, below a minimum of 3;
        // with a minimum of 2, Ana's later answer (1) is the one counted:
        // (1 + 5) / 2 = 3.
        let early = response("ana@x.io", monday(), &[(Q1, 4)]);
        let mut late = response("Ana@X.io", monday(), &[(Q1, 1)]);
        late.answered_at += chrono::Duration::hours(1);
        let bo = response("bo@x.io", monday(), &[(Q1, 5)]);
        let all = [early, late, bo];
        assert!(pulse_summary(&all, 3).is_empty());
        let got = pulse_summary(&all, 2);
        assert_eq!(got[0].questions[0].respondents, 2);
        assert_eq!(got[0].questions[0].mean, 3.0);
        assert_eq!(got[0].questions[0].distribution, [1, 0, 0, 0, 1]);
    }

    #[test]
    fn nothing_is_shown_without_answers() {
        assert!(pulse_summary(&[], 1).is_empty());
    }
}
