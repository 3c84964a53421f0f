//! The words: meeting titles, descriptions and chat messages. Plausible,
//! synthetic, and careful about the few words Fulcrum's readers look for:
//! only an urgent report says "urgent", only a closing message asks for a
//! call, only a decision says "Decided" (see `docs/chat.md` and
//! `docs/calendar.md` for the word lists).

use crate::plan::{MeetingKind, Say};
use crate::rng::Rng;

/// What teams talk about.
pub const TOPICS: &[&str] = &[
    "the retry logic in the webhook worker",
    "flaky integration tests on CI",
    "the connection pool settings",
    "feature flag cleanup",
    "the onboarding email copy",
    "rate limits for the partner API",
    "the iOS release checklist",
    "the on-call rotation for December",
    "the Q4 roadmap doc",
    "moving the cron jobs to the queue",
    "the search ranking experiment",
    "the invoice PDF layout",
    "the schema migration for orders",
    "dashboard alerts for latency",
    "the Android crash on startup",
    "caching product pages",
    "the data retention policy",
    "SSO for the admin console",
    "the billing reconciliation job",
    "dark mode for settings",
    "the accessibility audit",
    "the Kafka consumer lag",
    "the new pricing page",
    "the load test results",
    "upgrading the Postgres cluster",
    "the GDPR export endpoint",
    "the design tokens package",
    "the mobile deep links",
    "error budgets for checkout",
    "the staging environment costs",
    "the localization pipeline",
    "push notification batching",
    "the fraud rules engine",
    "the customer health score",
    "tracing for the payments service",
    "the CSV import wizard",
    "the support macros",
    "the warehouse sync",
    "the experiment framework",
    "the API versioning plan",
    "the incident runbooks",
    "the hiring loop for the backend role",
    "the quarterly OKRs",
    "the memory leak in the image resizer",
    "the vendor contract renewal",
    "the audit log format",
    "the partner onboarding flow",
    "the search autocomplete",
    "the refund flow",
    "the SDK docs",
];

/// What goes wrong.
pub const INCIDENTS: &[&str] = &[
    "checkout errors spiking in the EU",
    "payment webhooks timing out",
    "login failures after the deploy",
    "search latency over 2 seconds",
    "an escalation from a large customer",
    "the nightly export job failed",
    "the primary database disk is almost full",
    "push notifications are not going out",
    "the status page shows a partial outage",
    "card payments declined for one bank",
    "the mobile app crashes on the latest build",
    "a spike of 502s from the API gateway",
    "order emails are delayed by an hour",
    "the data pipeline is stuck",
    "the CDN is serving stale assets",
];

const SERVICES: &[&str] = &[
    "checkout-api",
    "search",
    "web",
    "notifier",
    "billing",
    "auth",
    "ingest",
    "mobile-gateway",
];

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A topic without its leading article, for titles.
fn bare(topic: &str) -> &str {
    topic.strip_prefix("the ").unwrap_or(topic)
}

/// A meeting's title and description.
pub fn meeting_words(
    rng: &mut Rng,
    kind: MeetingKind,
    topic: usize,
    names: &[&str],
    good_hygiene: bool,
) -> (String, Option<String>) {
    let t = TOPICS[topic % TOPICS.len()];
    let b = bare(t);
    let agenda = || {
        format!(
            "Agenda:\n- Where we are with {b}\n- Options and trade-offs\n- Owners and next steps\n\nDesired outcome: a plan for {b} we can start on.\nPre-read: https://docs.lumenlabs.example/d/{}",
            topic * 7919 % 100_000
        )
    };
    match kind {
        MeetingKind::Scheduled | MeetingKind::External => {
            let title = match rng.index(5) {
                0 => format!("{}: design review", cap(b)),
                1 => format!("Walkthrough: {b}"),
                2 => format!("{} planning", cap(b)),
                3 => format!("Review {b}"),
                _ => format!("Estimate {b}"),
            };
            let title = if kind == MeetingKind::External {
                format!("Lumen Labs <> partner: {b}")
            } else {
                title
            };
            let p_agenda = if good_hygiene { 0.92 } else { 0.5 };
            let description = if rng.chance(p_agenda) {
                Some(agenda())
            } else if rng.chance(0.5) {
                Some(format!("Let's talk about {t}."))
            } else {
                None
            };
            (title, description)
        }
        MeetingKind::Pairing => (
            format!("Pairing: {b}"),
            good_hygiene.then(|| format!("Goal: get {b} over the line.")),
        ),
        MeetingKind::Blocker => {
            let title = match rng.index(4) {
                0 => format!("Quick unblock: {b}"),
                1 => format!("15 min: {b}"),
                2 if names.len() >= 2 => format!("{} / {}: {b}", names[0], names[1]),
                _ => format!("Help with {b}"),
            };
            let description = rng
                .chance(0.4)
                .then(|| format!("Need a second pair of eyes on {t}."));
            (title, description)
        }
        MeetingKind::Escalation => {
            let title = match rng.index(3) {
                0 => format!("Sync on {b}"),
                1 => format!("Call: {b}"),
                _ => format!("Talk through {b}"),
            };
            (title, None)
        }
        MeetingKind::Huddle => {
            let i = INCIDENTS[topic % INCIDENTS.len()];
            let title = if rng.chance(0.5) {
                format!("War room: {i}")
            } else {
                format!("Incident: {i}")
            };
            (title, Some("Joining from the Slack huddle.".to_owned()))
        }
        MeetingKind::Fragmenting => {
            let title = match rng.index(4) {
                0 => format!("{} review", cap(b)),
                1 => format!("Check {b}"),
                2 => format!("Align on {b}"),
                _ => format!("Discuss {b}"),
            };
            let description = rng
                .chance(if good_hygiene { 0.85 } else { 0.5 })
                .then(agenda);
            (title, description)
        }
        MeetingKind::CheckIn => {
            let title = if rng.chance(0.5) {
                format!("Check-in: {b}")
            } else {
                format!("Status: {b}")
            };
            let description = if rng.chance(if good_hygiene { 0.85 } else { 0.3 }) {
                Some(format!(
                    "Topics: progress on {b}, risks.\nGoal: agree on next steps."
                ))
            } else {
                None
            };
            (title, description)
        }
    }
}

/// The text of one message. `mention` is the platform's mention token
/// (`<@U…>` or `@name`); `name` the author's first name (for bot lines).
pub fn message(rng: &mut Rng, say: &Say, topic: usize, mention: Option<&str>, key: &str) -> String {
    let t = TOPICS[topic % TOPICS.len()];
    let i = INCIDENTS[topic % INCIDENTS.len()];
    let m = mention.map(|m| format!("{m} ")).unwrap_or_default();
    let n = 100 + rng.below(9000);
    match say {
        Say::Chatter => match rng.index(12) {
            0 => format!("Pushed the fix for {t}, CI is green."),
            1 => "Anyone else seeing slow builds this morning?".to_owned(),
            2 => "FYI I'm out tomorrow afternoon.".to_owned(),
            3 => format!("Nice work on {t} 🎉"),
            4 => format!("Heads up, I'm refactoring {t} today, expect a big diff."),
            5 => format!("The dashboard for {t} is up: https://grafana.lumenlabs.example/d/{n}"),
            6 => "Coffee in 10?".to_owned(),
            7 => format!("Left some comments on the doc about {t}."),
            8 => "Looks good to me.".to_owned(),
            9 => "+1".to_owned(),
            10 => format!("Deployed {t} to staging."),
            _ => "Lunch at the usual place?".to_owned(),
        },
        Say::Ask => match rng.index(6) {
            0 => format!("{m}could you review my PR for {t} when you get a chance? https://git.lumenlabs.example/pr/{n}"),
            1 => format!("{m}do you know who owns {t}?"),
            2 => format!("{m}is {t} behind a feature flag?"),
            3 => format!("{m}can you take a look at {t}? No rush, end of week is fine."),
            4 => format!("{m}what's the status of {t}?"),
            _ => format!("{m}where do we document {t}? Context: I need it for the release notes."),
        },
        Say::UrgentAsk => match rng.index(4) {
            0 => format!("{m}urgent: can you check {t} before the release goes out?"),
            1 => format!("{m}this is a blocker for me: who can approve the change to {t}?"),
            2 => format!("{m}could you look at {t} asap? The customer is waiting."),
            _ => format!("{m}urgent question on {t}: is it safe to roll out today?"),
        },
        Say::Answer => match rng.index(7) {
            0 => "Sure, will look after lunch.".to_owned(),
            1 => "Done, left two comments.".to_owned(),
            2 => "Not me, try the platform folks.".to_owned(),
            3 => format!("Yes, it's behind `ff_{n}`."),
            4 => "Should be in the runbook: https://docs.lumenlabs.example/runbooks".to_owned(),
            5 => "On it.".to_owned(),
            _ => "Not yet, aiming for Thursday.".to_owned(),
        },
        Say::Thanks => rng.pick(&["Thanks!", "thank you 🙏", "Perfect, thanks.", "👍", "Great, thanks a lot"]).to_string(),
        Say::Proposal => match rng.index(5) {
            0 => format!("Proposal: rework {t} before the release. Thoughts?"),
            1 => format!("Should we move {t} into its own service?"),
            2 => format!("Two options for {t} in the doc: https://docs.lumenlabs.example/d/{n}. Which one?"),
            3 => format!("I'd like to change how we handle {t}. Any objections?"),
            _ => format!("Open question on {t}: keep the current approach or start over?"),
        },
        Say::Discuss => match rng.index(14) {
            0 => format!("I'm not sure that's the right place for {t}."),
            1 => "What about the migration path for existing customers?".to_owned(),
            2 => "We tried something like that last year and it didn't stick.".to_owned(),
            3 => "I'd rather not add another dependency for this.".to_owned(),
            4 => "Could we keep the current behaviour behind a flag?".to_owned(),
            5 => "That changes the API contract though.".to_owned(),
            6 => "Not convinced, the numbers from last week say otherwise.".to_owned(),
            7 => "Who would own it after launch?".to_owned(),
            8 => format!("Fair point, but then {t} gets harder."),
            9 => "Let me check the logs again.".to_owned(),
            10 => "I think we're talking about two different problems.".to_owned(),
            11 => "Does anyone have data on how often this happens?".to_owned(),
            12 => "Option A is simpler, option B is safer.".to_owned(),
            _ => "Hmm, that's not what the spec says.".to_owned(),
        },
        Say::CallPhrase => rng
            .pick(&[
                "This is going in circles. Let's jump on a call.",
                "Too much to type, can we hop on a call later today?",
                "OK, let's take this offline, I'll set up a meeting.",
                "I'll set up a meeting, easier to talk it through.",
            ])
            .to_string(),
        Say::Decide => match rng.index(3) {
            0 => format!("Decided: we go with option B for {t}. I'll write it up in the decision log."),
            1 => format!("Decision: keep {t} as is this quarter, revisit in January."),
            _ => "OK, we'll go with the simpler approach. Writing it down in the decision log, thanks all.".to_owned(),
        },
        Say::Urgent => match rng.index(4) {
            0 => format!("<!here> {i}, urgent"),
            1 => format!("{}, looking into it asap", cap(i)),
            2 => format!("Urgent: {i}. Anyone around?"),
            _ => format!("We have a blocker: {i}"),
        },
        Say::UrgentReply => rng
            .pick(&["Seeing it too.", "Jump on a huddle?", "Checking the dashboards now.", "Rolling back the last deploy."])
            .to_string(),
        Say::Resolved => rng
            .pick(&[
                "Resolved: rolled back, error rate is back to normal. Postmortem doc to follow.",
                "All clear now, it was a config change. Writing it up.",
                "Fixed. Root cause was an expired certificate; follow-up ticket filed.",
            ])
            .to_string(),
        Say::Huddle { .. } => String::new(),
        Say::AsyncUpdate => {
            let t2 = TOPICS[(topic + 17) % TOPICS.len()];
            format!("Async update\n*Status:* finished {t}, starting on {t2}\n*Blockers:* none\n*Need from others:* a review of the PR for {t}")
        }
        Say::Announce => match rng.index(4) {
            0 => "Welcome to our new teammates this week! 👋".to_owned(),
            1 => format!("The Q4 planning doc is open for comments: https://docs.lumenlabs.example/d/{n}"),
            2 => "All-hands recording and summary are up: https://docs.lumenlabs.example/all-hands".to_owned(),
            _ => "Reminder: expense reports are due Friday.".to_owned(),
        },
        Say::ExperimentAnnounce => "Trying something from Monday: no daily standup for the rest of the quarter. Instead, everyone posts a written update in this channel each morning: status, blockers, what you need from others. We'll compare focus time, throughput and the pulse after six weeks.".to_owned(),
        Say::Join => format!("{m}has joined the channel"),
        Say::InviteNote => format!("Got 15 min today? I'm stuck on {t}, sent you an invite."),
        Say::BotDeploy => format!("Deployed `{}` v2.{}.{} to production", rng.pick(SERVICES), n % 90, n % 17),
        Say::BotTicket => format!("*{key}-{n}* moved to *{}*: {}", rng.pick(&["In Progress", "In Review", "Done", "Done"]), cap(t)),
        Say::BotAlert => format!("[FIRING] {}", cap(i)),
        Say::Reminder => "Reminder: fill in this week's pulse survey (2 minutes).".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words Fulcrum's chat reader treats as urgent, calls and
    /// decisions (a copy of the lists in docs/chat.md, so a change there
    /// makes this test fail rather than silently plant patterns).
    const URGENT: &[&str] = &[
        "urgent",
        "asap",
        "blocker",
        "emergency",
        "right away",
        "immediately",
        "p0",
        "sev1",
    ];
    const CALLS: &[&str] = &[
        "jump on a call",
        "hop on a call",
        "quick call",
        "call me",
        "jump on a huddle",
        "let's meet",
        "let's sync",
        "quick sync",
        "can we sync",
        "take this offline",
        "set up a meeting",
        "schedule a meeting",
    ];
    const DECISIONS: &[&str] = &[
        "decided",
        "decision:",
        "decision is",
        "agreed:",
        "resolution:",
        "we'll go with",
        "we will go with",
    ];

    fn has(text: &str, words: &[&str]) -> bool {
        let t = text.to_lowercase();
        words.iter().any(|w| t.contains(w))
    }

    #[test]
    fn only_the_intended_messages_carry_flag_words() {
        let mut rng = Rng::new(5);
        let plain = [
            Say::Chatter,
            Say::Proposal,
            Say::Ask,
            Say::Answer,
            Say::Thanks,
            Say::Discuss,
            Say::AsyncUpdate,
            Say::Announce,
            Say::ExperimentAnnounce,
            Say::InviteNote,
        ];
        for _ in 0..300 {
            for (i, say) in plain.iter().enumerate() {
                let text = message(&mut rng, say, i * 7, Some("<@U0ABCDEF>"), "PAY");
                // The async update template says "Blockers: none", as such
                // templates do; it is not an ask, so its urgency never counts.
                let urgent_ok = matches!(say, Say::AsyncUpdate | Say::ExperimentAnnounce);
                assert!(
                    (urgent_ok || !has(&text, URGENT))
                        && !has(&text, CALLS)
                        && !has(&text, DECISIONS),
                    "{say:?}: {text}"
                );
            }
            let urgent = message(&mut rng, &Say::UrgentAsk, 3, Some("<@U0ABCDEF>"), "PAY");
            assert!(
                has(&urgent, URGENT) && urgent.contains('?') && !has(&urgent, CALLS),
                "{urgent}"
            );
            let call = message(&mut rng, &Say::CallPhrase, 3, None, "PAY");
            assert!(has(&call, CALLS) && !has(&call, DECISIONS), "{call}");
            let decide = message(&mut rng, &Say::Decide, 3, None, "PAY");
            assert!(has(&decide, DECISIONS) && !has(&decide, CALLS), "{decide}");
            let urgent = message(&mut rng, &Say::Urgent, 3, None, "PAY");
            assert!(has(&urgent, URGENT), "{urgent}");
        }
    }
}
