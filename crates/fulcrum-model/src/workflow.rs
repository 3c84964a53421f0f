//! The async workflow's objects: asks, decisions, meeting records,
//! incidents and written updates, the shared artifacts that give the moves a home on the team
//! server (WORKFLOW.md).
//!
//! Pure values with their rules: what a valid object holds
//! ([`Ask::check`], [`Decision::check`], each problem naming its field and
//! what is allowed), how it moves from state to state ([`Ask::answer`],
//! [`Decision::take_stance`], ...), and what is derived rather than kept
//! (an ask is overdue at a given instant, never "marked" overdue). The
//! answer-by time itself is counted on the recipient's business-hours
//! clock by `fulcrum_analysis::workflow`, which owns the clocks; here it is
//! only a value.
//!
//! Unlike chat text, which Fulcrum never keeps, the text of these objects
//! is the team's own working text: it is stored, exported, and erased with
//! the person who wrote it.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::fmt;

/// Longest one-line title (a proposal's), in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest free text (context, the answer needed, an answer, an outcome),
/// in characters: a long page, not a document.
pub const MAX_TEXT_CHARS: usize = 4000;
/// Longest reason given with a stance, in characters.
pub const MAX_REASON_CHARS: usize = 1000;
/// Longest short field (where to respond, a decision type, who decides),
/// in characters.
pub const MAX_SHORT_CHARS: usize = 200;

/// A problem with one field of a workflow object: which field, and what is
/// allowed there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field, as forms and the JSON API name it (`context`,
    /// `answer_by`, ...).
    pub field: &'static str,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl FieldProblem {
    /// A problem with `field`.
    pub fn new(field: &'static str, message: impl Into<String>) -> FieldProblem {
        FieldProblem {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// A change that the object's state does not allow (answering a withdrawn
/// ask, a stance on a closed decision).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateError(pub String);

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a text field: at most `max` characters, no control characters
/// other than line breaks and tabs; `required` refuses blank text.
fn check_text(
    field: &'static str,
    text: &str,
    max: usize,
    required: bool,
    out: &mut Vec<FieldProblem>,
) {
    let n = text.chars().count();
    if n > max {
        out.push(FieldProblem::new(
            field,
            format!("{n} characters; at most {max} are allowed"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        out.push(FieldProblem::new(
            field,
            "control characters are not allowed (line breaks and tabs are)",
        ));
    }
    if required && text.trim().is_empty() {
        out.push(FieldProblem::new(field, "must not be empty"));
    }
}

/// A one-line field: no line breaks either.
fn check_line(
    field: &'static str,
    text: &str,
    max: usize,
    required: bool,
    out: &mut Vec<FieldProblem>,
) {
    check_text(field, text, max, required, out);
    if text.contains(['\n', '\r']) {
        out.push(FieldProblem::new(field, "must be one line"));
    }
}

// ---- the clear ask --------------------------------------------------------

/// One part of a clear ask: the template `fulcrum route` prints and the
/// ask form coaches with are both this table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AskPart {
    /// The field that holds it (`context`, `needed`, `answer_by`,
    /// `respond_in`).
    pub field: &'static str,
    /// Its label.
    pub label: &'static str,
    /// What to write there.
    pub hint: &'static str,
    /// Why it matters, said when it is missing.
    pub missing: &'static str,
}

/// The parts of a clear ask, in the order an ask reads.
pub const ASK_PARTS: [AskPart; 4] = [
    AskPart {
        field: "context",
        label: "Context",
        hint: "what is going on, what is already known, links to the facts, so nobody needs a meeting to catch up",
        missing: "no context: the reader has to ask back (or call a meeting) before they can answer",
    },
    AskPart {
        field: "needed",
        label: "Decision needed",
        hint: "the question, phrased as a choice between options, with your recommendation",
        missing: "no decision or answer named: say what you need, ideally as a choice with your recommendation",
    },
    AskPart {
        field: "answer_by",
        label: "Deadline",
        hint: "an SLA class of the team's policy, or a date and time",
        missing: "no answer-by time: the reader cannot tell how urgent it is; pick an SLA class or a deadline",
    },
    AskPart {
        field: "respond_in",
        label: "Where to respond",
        hint: "the document, thread or channel where the answer goes",
        missing: "no place to respond: the answer may land where others will not find it",
    },
];

/// The part of [`ASK_PARTS`] held in `field`.
pub fn ask_part(field: &str) -> Option<&'static AskPart> {
    ASK_PARTS.iter().find(|p| p.field == field)
}

/// Context shorter than this many characters counts as missing: "see
/// thread" is not context.
pub const MIN_CONTEXT_CHARS: usize = 20;

/// Who an ask is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// One person, by primary email (lower-cased).
    Person(String),
    /// Anyone of the ask's team.
    Team,
}

/// How the answer-by time is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerBy {
    /// An SLA class of `[policy.sla]` (`urgent`, `normal`, ...), counted in
    /// business hours on the recipient's clock.
    Sla(String),
    /// A fixed instant.
    Deadline(DateTime<Utc>),
}

/// An answer to an ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Who answered (primary email).
    pub by: String,
    /// The answer.
    pub text: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Where an ask stands. Overdue is not a state: see [`Ask::is_overdue`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AskState {
    /// Waiting for an answer.
    Open,
    /// Answered.
    Answered(Answer),
    /// Taken back by its author.
    Withdrawn {
        /// When.
        at: DateTime<Utc>,
    },
}

impl AskState {
    /// `open`, `answered` or `withdrawn`.
    pub fn as_str(&self) -> &'static str {
        match self {
            AskState::Open => "open",
            AskState::Answered(_) => "answered",
            AskState::Withdrawn { .. } => "withdrawn",
        }
    }
}

/// A written ask, to a person or the team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    /// The team it belongs to.
    pub team: String,
    /// Who asked (primary email).
    pub author: String,
    /// Who it is for.
    pub to: Recipient,
    /// What is going on.
    pub context: String,
    /// The decision or answer needed.
    pub needed: String,
    /// Where to respond.
    pub respond_in: String,
    /// How the answer-by time was set; `None` when it was not.
    pub answer_by: Option<AnswerBy>,
    /// The answer-by instant, counted when the ask was made (on the
    /// recipient's clock for an SLA class).
    pub due: Option<DateTime<Utc>>,
    /// When it was asked.
    pub asked_at: DateTime<Utc>,
    /// Where it stands.
    pub state: AskState,
}

impl Ask {
    /// Every problem of the ask's fields: lengths, control characters, an
    /// ask that says nothing (neither context nor the answer needed), a
    /// deadline before it was asked, an answer that is blank.
    pub fn check(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        check_text("context", &self.context, MAX_TEXT_CHARS, false, &mut out);
        check_text("needed", &self.needed, MAX_TEXT_CHARS, false, &mut out);
        check_line(
            "respond_in",
            &self.respond_in,
            MAX_SHORT_CHARS,
            false,
            &mut out,
        );
        if self.context.trim().is_empty() && self.needed.trim().is_empty() {
            out.push(FieldProblem::new(
                "needed",
                "an ask needs at least the decision or answer needed (or its context)",
            ));
        }
        if let Some(AnswerBy::Sla(class)) = &self.answer_by {
            check_line("answer_by", class, MAX_SHORT_CHARS, true, &mut out);
        }
        if let Some(AnswerBy::Deadline(at)) = &self.answer_by
            && *at <= self.asked_at
        {
            out.push(FieldProblem::new(
                "answer_by",
                "the deadline must be after the time of asking",
            ));
        }
        if let AskState::Answered(a) = &self.state {
            check_text("answer", &a.text, MAX_TEXT_CHARS, true, &mut out);
        }
        out
    }

    /// The parts of a clear ask this one lacks, in [`ASK_PARTS`] order:
    /// warnings, not errors (the ask may still be sent).
    pub fn coaching(&self) -> Vec<&'static AskPart> {
        let missing = |field: &str| match field {
            "context" => self.context.trim().chars().count() < MIN_CONTEXT_CHARS,
            "needed" => self.needed.trim().is_empty(),
            "answer_by" => self.answer_by.is_none(),
            "respond_in" => self.respond_in.trim().is_empty(),
            _ => false,
        };
        ASK_PARTS.iter().filter(|p| missing(p.field)).collect()
    }

    /// True when the ask is open past its answer-by time at `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        matches!(self.state, AskState::Open) && self.due.is_some_and(|due| now > due)
    }

    /// Whether `email` may answer: the recipient, or anyone of the team for
    /// an ask to the team; never the author.
    pub fn may_answer(&self, email: &str) -> bool {
        email != self.author
            && match &self.to {
                Recipient::Person(p) => p == email,
                Recipient::Team => true,
            }
    }

    /// Records the answer of an open ask.
    pub fn answer(&mut self, answer: Answer) -> Result<(), StateError> {
        match self.state {
            AskState::Open => {
                self.state = AskState::Answered(answer);
                Ok(())
            }
            ref other => Err(StateError(format!(
                "the ask is {}; only an open ask can be answered",
                other.as_str()
            ))),
        }
    }

    /// Takes back an open ask.
    pub fn withdraw(&mut self, at: DateTime<Utc>) -> Result<(), StateError> {
        match self.state {
            AskState::Open => {
                self.state = AskState::Withdrawn { at };
                Ok(())
            }
            ref other => Err(StateError(format!(
                "the ask is {}; only an open ask can be withdrawn",
                other.as_str()
            ))),
        }
    }
}

// ---- decisions ------------------------------------------------------------

/// A stance on a proposal (Loomio's four).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Position {
    /// In favour.
    Agree,
    /// Neither; fine either way.
    Abstain,
    /// Against, but will not stop it.
    Disagree,
    /// Against, and it should not go ahead as it is.
    Block,
}

impl Position {
    /// Every position, in order.
    pub const ALL: [Position; 4] = [
        Position::Agree,
        Position::Abstain,
        Position::Disagree,
        Position::Block,
    ];

    /// `agree`, `abstain`, `disagree` or `block`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Position::Agree => "agree",
            Position::Abstain => "abstain",
            Position::Disagree => "disagree",
            Position::Block => "block",
        }
    }

    /// Reads [`Position::as_str`].
    pub fn parse(s: &str) -> Option<Position> {
        Position::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// One person's stance on a proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stance {
    /// Who (primary email).
    pub person: String,
    /// Their position.
    pub position: Position,
    /// Why (required for a block).
    pub reason: String,
    /// When it was taken (or last changed).
    pub at: DateTime<Utc>,
}

/// The outcome of a closed proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// What was decided.
    pub text: String,
    /// When to look at it again.
    pub review_on: Option<NaiveDate>,
    /// Who closed it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Where a decision stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionState {
    /// Taking stances.
    Open,
    /// Decided, with its outcome.
    Closed(Outcome),
    /// Taken back by its author.
    Withdrawn {
        /// When.
        at: DateTime<Utc>,
    },
}

impl DecisionState {
    /// `open`, `closed` or `withdrawn`.
    pub fn as_str(&self) -> &'static str {
        match self {
            DecisionState::Open => "open",
            DecisionState::Closed(_) => "closed",
            DecisionState::Withdrawn { .. } => "withdrawn",
        }
    }
}

/// A proposal to decide in writing (Loomio-style): stances until its
/// closing time, then an outcome with a review date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The team it belongs to.
    pub team: String,
    /// Who proposed it (primary email).
    pub author: String,
    /// The proposal, in one line.
    pub title: String,
    /// Context and options.
    pub context: String,
    /// The decision type of `[policy.decisions]`, when one was named.
    pub decision_type: Option<String>,
    /// Who decides.
    pub who_decides: String,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// When stances close.
    pub closes_at: DateTime<Utc>,
    /// The stances, one per person, in the order first taken.
    pub stances: Vec<Stance>,
    /// Where it stands.
    pub state: DecisionState,
}

/// How many stances of each position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Agree.
    pub agree: usize,
    /// Abstain.
    pub abstain: usize,
    /// Disagree.
    pub disagree: usize,
    /// Block.
    pub block: usize,
}

impl Decision {
    /// Every problem of the decision's fields.
    pub fn check(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        check_line("title", &self.title, MAX_TITLE_CHARS, true, &mut out);
        check_text("context", &self.context, MAX_TEXT_CHARS, false, &mut out);
        if let Some(t) = &self.decision_type {
            check_line("decision_type", t, MAX_SHORT_CHARS, true, &mut out);
        }
        check_line(
            "who_decides",
            &self.who_decides,
            MAX_SHORT_CHARS,
            false,
            &mut out,
        );
        if self.closes_at <= self.opened_at {
            out.push(FieldProblem::new(
                "closes_at",
                "the closing time must be after the proposal is opened",
            ));
        }
        for s in &self.stances {
            check_stance(s, &mut out);
        }
        if let DecisionState::Closed(o) = &self.state {
            check_outcome(o, &mut out);
        }
        out
    }

    /// How many stances of each position.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for s in &self.stances {
            match s.position {
                Position::Agree => t.agree += 1,
                Position::Abstain => t.abstain += 1,
                Position::Disagree => t.disagree += 1,
                Position::Block => t.block += 1,
            }
        }
        t
    }

    /// True when the proposal is open past its closing time at `now`:
    /// waiting for its outcome.
    pub fn is_past_closing(&self, now: DateTime<Utc>) -> bool {
        matches!(self.state, DecisionState::Open) && now >= self.closes_at
    }

    /// Takes (or changes) a person's stance on an open proposal.
    pub fn take_stance(&mut self, stance: Stance) -> Result<(), TakeError> {
        if !matches!(self.state, DecisionState::Open) {
            return Err(TakeError::State(StateError(format!(
                "the proposal is {}; stances are taken only while it is open",
                self.state.as_str()
            ))));
        }
        let mut problems = Vec::new();
        check_stance(&stance, &mut problems);
        if !problems.is_empty() {
            return Err(TakeError::Invalid(problems));
        }
        match self.stances.iter_mut().find(|s| s.person == stance.person) {
            Some(s) => *s = stance,
            None => self.stances.push(stance),
        }
        Ok(())
    }

    /// Closes an open proposal with its outcome.
    pub fn close(&mut self, outcome: Outcome) -> Result<(), TakeError> {
        if !matches!(self.state, DecisionState::Open) {
            return Err(TakeError::State(StateError(format!(
                "the proposal is {}; only an open proposal can be closed",
                self.state.as_str()
            ))));
        }
        let mut problems = Vec::new();
        check_outcome(&outcome, &mut problems);
        if !problems.is_empty() {
            return Err(TakeError::Invalid(problems));
        }
        self.state = DecisionState::Closed(outcome);
        Ok(())
    }

    /// Takes back an open proposal.
    pub fn withdraw(&mut self, at: DateTime<Utc>) -> Result<(), StateError> {
        match self.state {
            DecisionState::Open => {
                self.state = DecisionState::Withdrawn { at };
                Ok(())
            }
            ref other => Err(StateError(format!(
                "the proposal is {}; only an open proposal can be withdrawn",
                other.as_str()
            ))),
        }
    }
}

/// Why a change to a decision or an incident was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TakeError {
    /// The object's state does not allow it.
    State(StateError),
    /// The input breaks a rule.
    Invalid(Vec<FieldProblem>),
}

fn check_stance(s: &Stance, out: &mut Vec<FieldProblem>) {
    check_text("reason", &s.reason, MAX_REASON_CHARS, false, out);
    if s.position == Position::Block && s.reason.trim().is_empty() {
        out.push(FieldProblem::new(
            "reason",
            "a block needs a reason: say what would have to change",
        ));
    }
}

fn check_outcome(o: &Outcome, out: &mut Vec<FieldProblem>) {
    check_text("outcome", &o.text, MAX_TEXT_CHARS, true, out);
    if let Some(review) = o.review_on
        && review <= o.at.date_naive()
    {
        out.push(FieldProblem::new(
            "review_on",
            "the review date must be after the day the decision is closed",
        ));
    }
}

// ---- meeting records ------------------------------------------------------------

/// Most attendees a record lists.
pub const MAX_ATTENDEES: usize = 200;
/// Most action items a record holds.
pub const MAX_ACTION_ITEMS: usize = 100;
/// Longest action item, in characters.
pub const MAX_ACTION_CHARS: usize = 500;
/// Longest timebox a record accepts, in minutes: a working day.
pub const MAX_TIMEBOX_MINUTES: u32 = 600;

/// The calendar meeting a record belongs to: its UID and, for one instance
/// of a series, the instance's start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRef {
    /// The event's UID.
    pub uid: String,
    /// The occurrence (its start), for an instance of a series.
    pub occurrence: Option<DateTime<Utc>>,
}

/// An action item of a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    /// What is to be done.
    pub text: String,
    /// Who does it (an email, or blank).
    pub owner: String,
    /// By when.
    pub due: Option<NaiveDate>,
    /// Done.
    pub done: bool,
}

/// The record of a meeting: the checklist of `fulcrum lint` filled in
/// before (desired outcome, agenda, pre-read, timebox, attendees), then the
/// summary, the decisions it took (proposals, by id) and its action items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRecord {
    /// The team it belongs to.
    pub team: String,
    /// Who opened it (primary email).
    pub author: String,
    /// The meeting's name, one line.
    pub title: String,
    /// The calendar meeting, or `None` for a standalone record.
    pub meeting: Option<MeetingRef>,
    /// When the meeting starts (or started).
    pub held_at: DateTime<Utc>,
    /// The desired outcome.
    pub desired_outcome: String,
    /// The agenda.
    pub agenda: String,
    /// The pre-read (a link or a note).
    pub pre_read: String,
    /// The timebox, in minutes.
    pub timebox_minutes: Option<u32>,
    /// Who attends (emails or names), one each.
    pub attendees: Vec<String>,
    /// The summary, written after; blank until then.
    pub summary: String,
    /// Proposals decided in it, by id.
    pub decisions: Vec<i64>,
    /// Action items.
    pub action_items: Vec<ActionItem>,
}

/// One line of a record's checklist: a rule of `fulcrum lint` and whether
/// the record meets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChecklistItem {
    /// The lint rule (its id and help).
    pub rule: &'static crate::policy::LintRule,
    /// Whether the record meets it.
    pub met: bool,
}

impl MeetingRecord {
    /// Every problem of the record's fields.
    pub fn check(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        check_line("title", &self.title, MAX_TITLE_CHARS, true, &mut out);
        if let Some(m) = &self.meeting {
            check_line("meeting_uid", &m.uid, MAX_SHORT_CHARS * 5, true, &mut out);
        }
        for (field, text) in [
            ("desired_outcome", &self.desired_outcome),
            ("agenda", &self.agenda),
            ("pre_read", &self.pre_read),
            ("summary", &self.summary),
        ] {
            check_text(field, text, MAX_TEXT_CHARS, false, &mut out);
        }
        if let Some(t) = self.timebox_minutes
            && !(1..=MAX_TIMEBOX_MINUTES).contains(&t)
        {
            out.push(FieldProblem::new(
                "timebox_minutes",
                format!("{t}: a timebox is 1 to {MAX_TIMEBOX_MINUTES} minutes"),
            ));
        }
        if self.attendees.len() > MAX_ATTENDEES {
            out.push(FieldProblem::new(
                "attendees",
                format!(
                    "{} attendees; at most {MAX_ATTENDEES}",
                    self.attendees.len()
                ),
            ));
        }
        for a in &self.attendees {
            check_line("attendees", a, MAX_SHORT_CHARS, true, &mut out);
        }
        if self.action_items.len() > MAX_ACTION_ITEMS {
            out.push(FieldProblem::new(
                "action_items",
                format!(
                    "{} action items; at most {MAX_ACTION_ITEMS}",
                    self.action_items.len()
                ),
            ));
        }
        for item in &self.action_items {
            check_line("action_items", &item.text, MAX_ACTION_CHARS, true, &mut out);
            check_line(
                "action_items",
                &item.owner,
                MAX_SHORT_CHARS,
                false,
                &mut out,
            );
        }
        out
    }

    /// The checklist of `fulcrum lint` as this record fills it in: a
    /// desired outcome, an agenda, a pre-read, a timebox within
    /// `max_minutes`, at most `max_attendees` attendees. The rules are the
    /// lint's own ([`crate::policy::LINT_RULES`]), with their help.
    pub fn checklist(&self, max_minutes: u32, max_attendees: u32) -> Vec<ChecklistItem> {
        let met = |id: &str| match id {
            "missing_outcome" => !self.desired_outcome.trim().is_empty(),
            "missing_agenda" => !self.agenda.trim().is_empty(),
            "missing_preread" => !self.pre_read.trim().is_empty(),
            "over_timebox" => self.timebox_minutes.is_some_and(|t| t <= max_minutes),
            "too_many_invitees" => {
                !self.attendees.is_empty() && self.attendees.len() <= max_attendees as usize
            }
            _ => true,
        };
        crate::policy::LINT_RULES
            .iter()
            .filter(|r| {
                [
                    "missing_outcome",
                    "missing_agenda",
                    "missing_preread",
                    "over_timebox",
                    "too_many_invitees",
                ]
                .contains(&r.id)
            })
            .map(|rule| ChecklistItem {
                rule,
                met: met(rule.id),
            })
            .collect()
    }

    /// `summarized` once it has a summary, else `open`.
    pub fn state(&self) -> &'static str {
        if self.summary.trim().is_empty() {
            "open"
        } else {
            "summarized"
        }
    }

    /// True when the record still has no summary at `now`, past `due`
    /// (two business days after the meeting, counted by the caller on the
    /// team's clock).
    pub fn is_summary_missing(&self, now: DateTime<Utc>, due: DateTime<Utc>) -> bool {
        self.summary.trim().is_empty() && now > due
    }
}

// ---- incidents ------------------------------------------------------------

/// How bad an incident is: `sev1` (customers cannot work, all hands now),
/// `sev2` (a major part is degraded), `sev3` (minor, a workaround exists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Customers cannot work; everyone needed joins the call now.
    Sev1,
    /// A major part is degraded.
    Sev2,
    /// Minor; a workaround exists.
    Sev3,
}

impl Severity {
    /// Every severity, worst first.
    pub const ALL: [Severity; 3] = [Severity::Sev1, Severity::Sev2, Severity::Sev3];

    /// `sev1`, `sev2` or `sev3`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Sev1 => "sev1",
            Severity::Sev2 => "sev2",
            Severity::Sev3 => "sev3",
        }
    }

    /// Reads [`Severity::as_str`].
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Who resolved an incident, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// Who (primary email).
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The written review of a resolved incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentReview {
    /// What happened when.
    pub timeline: String,
    /// Why it happened.
    pub cause: String,
    /// What is done so it does not happen again.
    pub follow_ups: String,
    /// Who wrote it (primary email).
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// An incident: sync-first (its call may be immediate), then, once
/// resolved, a written review (timeline, cause, follow-ups) due within the
/// policy's business days. States: open, resolved, reviewed; "review
/// overdue" is derived ([`Incident::is_review_overdue`]), never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    /// The team it belongs to.
    pub team: String,
    /// Who opened it (primary email).
    pub author: String,
    /// What is broken, in one line.
    pub title: String,
    /// How bad it is.
    pub severity: Severity,
    /// What is known so far, where the call is.
    pub description: String,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// Set when it is resolved.
    pub resolved: Option<Resolution>,
    /// Set when its review is written (only after it is resolved).
    pub review: Option<IncidentReview>,
}

impl Incident {
    /// Every problem of the incident's fields: lengths, control characters,
    /// a resolution before it was opened, a review without a resolution or
    /// with a blank part.
    pub fn check(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        check_line("title", &self.title, MAX_TITLE_CHARS, true, &mut out);
        check_text(
            "description",
            &self.description,
            MAX_TEXT_CHARS,
            false,
            &mut out,
        );
        if let Some(r) = &self.resolved
            && r.at < self.opened_at
        {
            out.push(FieldProblem::new(
                "resolved_at",
                "an incident cannot be resolved before it was opened",
            ));
        }
        if let Some(review) = &self.review {
            if self.resolved.is_none() {
                out.push(FieldProblem::new(
                    "review",
                    "only a resolved incident can have its review",
                ));
            }
            check_review(review, &mut out);
        }
        out
    }

    /// `open`, `resolved` or `reviewed`.
    pub fn state(&self) -> &'static str {
        match (&self.resolved, &self.review) {
            (_, Some(_)) => "reviewed",
            (Some(_), None) => "resolved",
            (None, None) => "open",
        }
    }

    /// Resolves an open incident.
    pub fn resolve(&mut self, resolution: Resolution) -> Result<(), TakeError> {
        if self.resolved.is_some() {
            return Err(TakeError::State(StateError(format!(
                "the incident is {}; only an open incident can be resolved",
                self.state()
            ))));
        }
        if resolution.at < self.opened_at {
            return Err(TakeError::Invalid(vec![FieldProblem::new(
                "resolved_at",
                "an incident cannot be resolved before it was opened",
            )]));
        }
        self.resolved = Some(resolution);
        Ok(())
    }

    /// Records the written review of a resolved incident; a later review
    /// replaces an earlier one. Every part is required.
    pub fn write_review(&mut self, review: IncidentReview) -> Result<(), TakeError> {
        if self.resolved.is_none() {
            return Err(TakeError::State(StateError(
                "the incident is open; resolve it before writing its review".into(),
            )));
        }
        let mut problems = Vec::new();
        check_review(&review, &mut problems);
        if !problems.is_empty() {
            return Err(TakeError::Invalid(problems));
        }
        self.review = Some(review);
        Ok(())
    }

    /// True when the incident is resolved, has no review at `now`, and `due`
    /// (the policy's business days after its resolution, counted by the
    /// caller on the team's clock) has passed.
    pub fn is_review_overdue(&self, now: DateTime<Utc>, due: DateTime<Utc>) -> bool {
        self.resolved.is_some() && self.review.is_none() && now > due
    }
}

fn check_review(review: &IncidentReview, out: &mut Vec<FieldProblem>) {
    check_text("timeline", &review.timeline, MAX_TEXT_CHARS, true, out);
    check_text("cause", &review.cause, MAX_TEXT_CHARS, true, out);
    check_text("follow_ups", &review.follow_ups, MAX_TEXT_CHARS, true, out);
}

// ---- written updates ------------------------------------------------------

/// The questions of a written update when `[policy.updates]` names none.
pub const DEFAULT_UPDATE_QUESTIONS: [&str; 3] = ["status", "blockers", "decisions"];
/// The question whose non-blank answer puts an update at the top of its
/// round.
pub const BLOCKERS_QUESTION: &str = "blockers";
/// Most questions a team's update template may have.
pub const MAX_UPDATE_QUESTIONS: usize = 10;

/// How often each person writes an update: one per local day, or one per
/// local week (Monday to Sunday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cadence {
    /// One update per day.
    Daily,
    /// One update per week.
    Weekly,
}

impl Cadence {
    /// Every cadence.
    pub const ALL: [Cadence; 2] = [Cadence::Daily, Cadence::Weekly];

    /// `daily` or `weekly`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
        }
    }

    /// Reads [`Cadence::as_str`].
    pub fn parse(s: &str) -> Option<Cadence> {
        Cadence::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The first local date of the period `date` falls in: the date itself
    /// (daily) or the Monday of its week (weekly).
    pub fn period_of(&self, date: NaiveDate) -> NaiveDate {
        match self {
            Cadence::Daily => date,
            Cadence::Weekly => {
                date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()))
            }
        }
    }

    /// The local dates of the period starting on `start`, in order.
    pub fn dates(&self, start: NaiveDate) -> impl Iterator<Item = NaiveDate> {
        let n = match self {
            Cadence::Daily => 1,
            Cadence::Weekly => 7,
        };
        start.iter_days().take(n)
    }
}

/// One answer of a written update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateAnswer {
    /// The question of the team's template it answers.
    pub question: String,
    /// The answer (may be blank: nothing to say).
    pub text: String,
}

/// A written check-in: a person's answers to the team's questions (status,
/// blockers, decisions by default), one per person per cadence period; a
/// second one in the same period edits the first. "Due" and "missing" are
/// derived ([`is_update_missing`]), never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    /// The team it belongs to.
    pub team: String,
    /// Who wrote it (primary email).
    pub author: String,
    /// The cadence it was written for.
    pub cadence: Cadence,
    /// The first local date (the author's) of its period.
    pub period: NaiveDate,
    /// The answers, in the template's order.
    pub answers: Vec<UpdateAnswer>,
    /// When it was last written.
    pub written_at: DateTime<Utc>,
}

impl Update {
    /// Every problem of the update against the team's `questions`: a period
    /// that does not start its cadence's period, an answer to a question
    /// the template does not ask or answered twice, an answer too long or
    /// with control characters, an update with nothing written.
    pub fn check(&self, questions: &[String]) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        if self.cadence.period_of(self.period) != self.period {
            out.push(FieldProblem::new(
                "period",
                format!(
                    "{} does not start a {} period; it starts on {}",
                    self.period,
                    self.cadence.as_str(),
                    self.cadence.period_of(self.period)
                ),
            ));
        }
        let mut seen: Vec<&str> = Vec::new();
        for a in &self.answers {
            if !questions.contains(&a.question) {
                out.push(FieldProblem::new(
                    "answers",
                    format!(
                        "{:?} is not a question of the team's update; use one of: {}",
                        a.question,
                        questions.join(", ")
                    ),
                ));
            } else if seen.contains(&a.question.as_str()) {
                out.push(FieldProblem::new(
                    "answers",
                    format!("{:?} is answered twice", a.question),
                ));
            }
            seen.push(&a.question);
            let mut problems = Vec::new();
            check_text("answers", &a.text, MAX_TEXT_CHARS, false, &mut problems);
            out.extend(
                problems.into_iter().map(|p| {
                    FieldProblem::new(p.field, format!("{:?}: {}", a.question, p.message))
                }),
            );
        }
        if self.answers.iter().all(|a| a.text.trim().is_empty()) {
            out.push(FieldProblem::new(
                "answers",
                "must not be empty; answer at least one question",
            ));
        }
        out
    }

    /// The answer to `question`, when given.
    pub fn answer(&self, question: &str) -> Option<&str> {
        self.answers
            .iter()
            .find(|a| a.question == question)
            .map(|a| a.text.as_str())
    }

    /// The non-blank answer to [`BLOCKERS_QUESTION`], when there is one.
    pub fn blockers(&self) -> Option<&str> {
        self.answer(BLOCKERS_QUESTION)
            .filter(|t| !t.trim().is_empty())
    }

    /// Edits the update of the same period: the new answers replace the
    /// old ones, checked against the team's `questions`; a refused edit
    /// changes nothing.
    pub fn edit(
        &mut self,
        answers: Vec<UpdateAnswer>,
        at: DateTime<Utc>,
        questions: &[String],
    ) -> Result<(), Vec<FieldProblem>> {
        let edited = Update {
            answers,
            written_at: at,
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

/// Orders a round of updates for the team page: those with blockers first,
/// then the others, each group by author (stable and predictable).
pub fn blockers_first(updates: &mut [Update]) {
    updates.sort_by(|a, b| {
        (a.blockers().is_none(), &a.author).cmp(&(b.blockers().is_none(), &b.author))
    });
}

/// True when a person's update for a period is missing at `now`: none is
/// written, and `due` (the start of their first working day in the period,
/// counted by the caller on their own clock) has passed. A period without
/// a working day (`due` is `None`) never misses one.
pub fn is_update_missing(written: bool, now: DateTime<Utc>, due: Option<DateTime<Utc>>) -> bool {
    !written && due.is_some_and(|due| now > due)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, h, 0, 0).unwrap()
    }

    fn ask() -> Ask {
        Ask {
            team: "payments".into(),
            author: "ana@x.io".into(),
            to: Recipient::Person("bo@x.io".into()),
            context: "The refund job failed twice this week; logs linked.".into(),
            needed: "Retry nightly or switch to the queue? I suggest the queue.".into(),
            respond_in: "#payments thread".into(),
            answer_by: Some(AnswerBy::Sla("normal".into())),
            due: Some(at(20)),
            asked_at: at(10),
            state: AskState::Open,
        }
    }

    #[test]
    fn a_clear_ask_has_no_problems_and_no_coaching() {
        assert_eq!(ask().check(), vec![]);
        assert!(ask().coaching().is_empty());
    }

    #[test]
    fn coaching_names_each_missing_part_in_order() {
        let mut a = ask();
        a.context = "see thread".into();
        a.answer_by = None;
        a.due = None;
        let fields: Vec<&str> = a.coaching().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["context", "answer_by"]);
        a.needed = " ".into();
        a.respond_in.clear();
        let fields: Vec<&str> = a.coaching().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["context", "needed", "answer_by", "respond_in"]);
    }

    #[test]
    fn problems_name_their_field_and_what_is_allowed() {
        let mut a = ask();
        a.context = "x".repeat(MAX_TEXT_CHARS + 1);
        a.respond_in = "two\nlines".into();
        a.answer_by = Some(AnswerBy::Deadline(at(9)));
        let p = a.check();
        assert_eq!(
            p.iter().map(|p| p.field).collect::<Vec<_>>(),
            ["context", "respond_in", "answer_by"]
        );
        assert_eq!(
            p[0].to_string(),
            "context: 4001 characters; at most 4000 are allowed"
        );
        let mut empty = ask();
        empty.context.clear();
        empty.needed = "\t".into();
        assert_eq!(empty.check()[0].field, "needed");
        let mut bell = ask();
        bell.needed = "a\u{7}b".into();
        assert!(bell.check()[0].message.contains("control characters"));
    }

    #[test]
    fn overdue_is_derived_from_the_state_and_the_time() {
        let mut a = ask();
        assert!(!a.is_overdue(at(20)));
        assert!(a.is_overdue(at(21)));
        a.answer(Answer {
            by: "bo@x.io".into(),
            text: "The queue.".into(),
            at: at(22),
        })
        .unwrap();
        assert!(!a.is_overdue(at(23)), "an answered ask is never overdue");
        assert!(a.withdraw(at(23)).unwrap_err().0.contains("answered"));
        let mut b = ask();
        b.due = None;
        assert!(!b.is_overdue(at(23)));
    }

    #[test]
    fn who_may_answer() {
        let mut a = ask();
        assert!(a.may_answer("bo@x.io"));
        assert!(!a.may_answer("cy@x.io"));
        a.to = Recipient::Team;
        assert!(a.may_answer("cy@x.io"));
        assert!(!a.may_answer("ana@x.io"));
    }

    fn decision() -> Decision {
        Decision {
            team: "payments".into(),
            author: "ana@x.io".into(),
            title: "Move the refund job to the queue".into(),
            context: "Options: nightly retry, queue.".into(),
            decision_type: Some("reversible".into()),
            who_decides: "ana@x.io".into(),
            opened_at: at(10),
            closes_at: at(20),
            stances: vec![],
            state: DecisionState::Open,
        }
    }

    fn stance(who: &str, position: Position, reason: &str) -> Stance {
        Stance {
            person: who.into(),
            position,
            reason: reason.into(),
            at: at(11),
        }
    }

    #[test]
    fn stances_replace_a_persons_earlier_one_and_a_block_needs_a_reason() {
        let mut d = decision();
        d.take_stance(stance("bo@x.io", Position::Disagree, ""))
            .unwrap();
        d.take_stance(stance("cy@x.io", Position::Agree, ""))
            .unwrap();
        d.take_stance(stance("bo@x.io", Position::Agree, "convinced"))
            .unwrap();
        assert_eq!(d.stances.len(), 2);
        assert_eq!(d.stances[0].reason, "convinced");
        assert_eq!(
            d.tally(),
            Tally {
                agree: 2,
                ..Tally::default()
            }
        );
        let err = d
            .take_stance(stance("dee@x.io", Position::Block, " "))
            .unwrap_err();
        assert!(matches!(&err, TakeError::Invalid(p) if p[0].field == "reason"));
        assert_eq!(d.stances.len(), 2, "a refused stance changes nothing");
    }

    #[test]
    fn closing_needs_an_outcome_and_a_later_review_date() {
        let mut d = decision();
        let outcome = |text: &str, review: Option<(i32, u32, u32)>| Outcome {
            text: text.into(),
            review_on: review.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap()),
            by: "ana@x.io".into(),
            at: at(21),
        };
        let err = d.close(outcome("", Some((2026, 12, 4)))).unwrap_err();
        let TakeError::Invalid(p) = err else {
            panic!("{err:?}")
        };
        assert_eq!(
            p.iter().map(|p| p.field).collect::<Vec<_>>(),
            ["outcome", "review_on"]
        );
        assert!(d.is_past_closing(at(20)));
        d.close(outcome("Queue it.", Some((2027, 3, 1)))).unwrap();
        assert!(!d.is_past_closing(at(22)));
        assert!(matches!(
            d.take_stance(stance("bo@x.io", Position::Agree, "")),
            Err(TakeError::State(_))
        ));
        assert_eq!(d.check(), vec![]);
        let mut early = decision();
        early.closes_at = early.opened_at;
        assert_eq!(early.check()[0].field, "closes_at");
    }

    fn record() -> MeetingRecord {
        MeetingRecord {
            team: "payments".into(),
            author: "ana@x.io".into(),
            title: "Refunds review".into(),
            meeting: Some(MeetingRef {
                uid: "abc@x.io".into(),
                occurrence: Some(at(14)),
            }),
            held_at: at(14),
            desired_outcome: "Pick retry or queue".into(),
            agenda: String::new(),
            pre_read: "https://docs.example/refunds".into(),
            timebox_minutes: Some(60),
            attendees: vec!["ana@x.io".into(), "bo@x.io".into()],
            summary: String::new(),
            decisions: vec![],
            action_items: vec![ActionItem {
                text: "Move the job".into(),
                owner: "bo@x.io".into(),
                due: NaiveDate::from_ymd_opt(2026, 12, 11),
                done: false,
            }],
        }
    }

    #[test]
    fn the_checklist_is_the_lints_and_reads_the_record() {
        let r = record();
        let unmet: Vec<&str> = r
            .checklist(50, 8)
            .iter()
            .filter(|c| !c.met)
            .map(|c| c.rule.id)
            .collect();
        // No agenda; 60 minutes over a 50-minute timebox.
        assert_eq!(unmet, ["missing_agenda", "over_timebox"]);
        assert!(
            r.checklist(60, 1)
                .iter()
                .any(|c| c.rule.id == "too_many_invitees" && !c.met)
        );
        assert_eq!(r.check(), vec![]);
        assert_eq!(r.state(), "open");
        assert!(r.is_summary_missing(at(20), at(19)));
        assert!(!r.is_summary_missing(at(18), at(19)));
        let mut done = record();
        done.summary = "Queue it.".into();
        assert_eq!(done.state(), "summarized");
        assert!(!done.is_summary_missing(at(20), at(19)));
        let mut bad = record();
        bad.timebox_minutes = Some(0);
        bad.action_items[0].text = " ".into();
        bad.title.clear();
        assert_eq!(
            bad.check().iter().map(|p| p.field).collect::<Vec<_>>(),
            ["title", "timebox_minutes", "action_items"]
        );
    }

    #[test]
    fn positions_read_back() {
        for p in Position::ALL {
            assert_eq!(Position::parse(p.as_str()), Some(p));
        }
        assert_eq!(Position::parse("veto"), None);
    }
    fn incident() -> Incident {
        Incident {
            team: "payments".into(),
            author: "ana@x.io".into(),
            title: "Refunds fail for every card".into(),
            severity: Severity::Sev1,
            description: "Call in the #payments-incident huddle.".into(),
            opened_at: at(10),
            resolved: None,
            review: None,
        }
    }

    fn review(timeline: &str) -> IncidentReview {
        IncidentReview {
            timeline: timeline.into(),
            cause: "An expired certificate.".into(),
            follow_ups: "Alert 30 days before expiry.".into(),
            by: "bo@x.io".into(),
            at: at(15),
        }
    }

    #[test]
    fn an_incident_is_opened_resolved_then_reviewed() {
        let mut i = incident();
        assert_eq!(i.check(), vec![]);
        assert_eq!(i.state(), "open");
        let err = i.write_review(review("10:00 alert")).unwrap_err();
        assert!(matches!(&err, TakeError::State(e) if e.0.contains("resolve it")));
        assert!(!i.is_review_overdue(at(23), at(12)), "open: no review due");
        let early = i.resolve(Resolution {
            by: "bo@x.io".into(),
            at: at(9),
        });
        assert!(matches!(&early, Err(TakeError::Invalid(p)) if p[0].field == "resolved_at"));
        i.resolve(Resolution {
            by: "bo@x.io".into(),
            at: at(12),
        })
        .unwrap();
        assert_eq!(i.state(), "resolved");
        assert!(matches!(
            i.resolve(Resolution {
                by: "bo@x.io".into(),
                at: at(13),
            }),
            Err(TakeError::State(_))
        ));
        assert!(!i.is_review_overdue(at(14), at(14)));
        assert!(i.is_review_overdue(at(15), at(14)));
        let err = i.write_review(review(" ")).unwrap_err();
        assert!(matches!(&err, TakeError::Invalid(p) if p.len() == 1 && p[0].field == "timeline"));
        assert_eq!(i.state(), "resolved", "a refused review changes nothing");
        i.write_review(review("10:00 alert; 12:00 new certificate"))
            .unwrap();
        assert_eq!(i.state(), "reviewed");
        assert!(!i.is_review_overdue(at(23), at(14)));
        assert_eq!(i.check(), vec![]);
    }

    #[test]
    fn incident_problems_name_their_field() {
        let mut i = incident();
        i.title = "two\nlines".into();
        i.description = "x".repeat(MAX_TEXT_CHARS + 1);
        i.review = Some(review(""));
        let p = i.check();
        assert_eq!(
            p.iter().map(|p| p.field).collect::<Vec<_>>(),
            ["title", "description", "review", "timeline"]
        );
        assert_eq!(
            p[1].to_string(),
            "description: 4001 characters; at most 4000 are allowed"
        );
    }

    #[test]
    fn severities_read_back() {
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.as_str()), Some(s));
        }
        assert_eq!(Severity::parse("critical"), None);
    }

    fn questions() -> Vec<String> {
        DEFAULT_UPDATE_QUESTIONS.map(String::from).to_vec()
    }

    fn update(author: &str, blockers: &str) -> Update {
        Update {
            team: "payments".into(),
            author: author.into(),
            cadence: Cadence::Weekly,
            period: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            answers: vec![
                UpdateAnswer {
                    question: "status".into(),
                    text: "Refund retries shipped.".into(),
                },
                UpdateAnswer {
                    question: "blockers".into(),
                    text: blockers.into(),
                },
            ],
            written_at: at(9),
        }
    }

    #[test]
    fn a_period_starts_on_its_cadences_first_day() {
        // Friday 4 December 2026: its week started on Monday 30 November.
        let friday = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(Cadence::Weekly.period_of(friday), monday);
        assert_eq!(Cadence::Weekly.period_of(monday), monday);
        assert_eq!(Cadence::Daily.period_of(friday), friday);
        assert_eq!(Cadence::Weekly.dates(monday).count(), 7);
        assert_eq!(
            Cadence::Weekly.dates(monday).last(),
            NaiveDate::from_ymd_opt(2026, 12, 6)
        );
        assert_eq!(Cadence::Daily.dates(friday).collect::<Vec<_>>(), [friday]);
        for c in Cadence::ALL {
            assert_eq!(Cadence::parse(c.as_str()), Some(c));
        }
        assert_eq!(Cadence::parse("monthly"), None);
    }

    #[test]
    fn update_problems_name_their_field_and_question() {
        let q = questions();
        assert_eq!(update("ana@x.io", "").check(&q), vec![]);
        let mut u = update("ana@x.io", "");
        u.period = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        u.answers.push(UpdateAnswer {
            question: "mood".into(),
            text: String::new(),
        });
        u.answers.push(UpdateAnswer {
            question: "status".into(),
            text: "x".repeat(MAX_TEXT_CHARS + 1),
        });
        let p = u.check(&q);
        assert_eq!(
            p.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            [
                "period: 2026-12-02 does not start a weekly period; it starts on 2026-11-30",
                "answers: \"mood\" is not a question of the team's update; use one of: status, blockers, decisions",
                "answers: \"status\" is answered twice",
                "answers: \"status\": 4001 characters; at most 4000 are allowed",
            ]
        );
        let mut blank = update("ana@x.io", " ");
        blank.answers[0].text = "\n".into();
        assert_eq!(blank.check(&q)[0].field, "answers");
        assert!(blank.check(&q)[0].message.contains("at least one"));
    }

    #[test]
    fn an_edit_replaces_the_answers_and_a_refused_one_changes_nothing() {
        let q = questions();
        let mut u = update("ana@x.io", "");
        assert_eq!(u.blockers(), None);
        let before = u.clone();
        let bad = vec![UpdateAnswer {
            question: "mood".into(),
            text: "fine".into(),
        }];
        assert!(u.edit(bad, at(11), &q).is_err());
        assert_eq!(u, before);
        let good = vec![UpdateAnswer {
            question: "blockers".into(),
            text: "Waiting on the bank's sandbox.".into(),
        }];
        u.edit(good, at(11), &q).unwrap();
        assert_eq!(u.blockers(), Some("Waiting on the bank's sandbox."));
        assert_eq!(u.answer("status"), None);
        assert_eq!(u.written_at, at(11));
        assert_eq!(u.period, before.period);
    }

    #[test]
    fn blockers_come_first_and_missing_is_derived() {
        let mut round = vec![
            update("ana@x.io", ""),
            update("cy@x.io", "The deploy is frozen."),
            update("bo@x.io", "  "),
            update("di@x.io", "No review yet."),
        ];
        blockers_first(&mut round);
        assert_eq!(
            round.iter().map(|u| u.author.as_str()).collect::<Vec<_>>(),
            ["cy@x.io", "di@x.io", "ana@x.io", "bo@x.io"]
        );
        assert!(
            !is_update_missing(false, at(9), Some(at(9))),
            "due, not yet past"
        );
        assert!(is_update_missing(false, at(10), Some(at(9))));
        assert!(!is_update_missing(true, at(10), Some(at(9))));
        assert!(!is_update_missing(false, at(23), None), "no working day");
    }
}
