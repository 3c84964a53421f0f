//! Reduces an event's description to flags; the text itself is dropped.
//!
//! The rules are deliberately simple and documented in `docs/calendar.md`:
//! they look for words a meeting checklist asks for, in English, case
//! insensitive.

use fulcrum_model::DescriptionFlags;

const AGENDA_WORDS: &[&str] = &["agenda", "topics:", "talking points"];
const OUTCOME_WORDS: &[&str] = &[
    "outcome",
    "goal:",
    "goals:",
    "objective",
    "purpose:",
    "decide",
    "decision needed",
    "we will leave with",
];
const PREREAD_WORDS: &[&str] = &[
    "pre-read",
    "preread",
    "pre read",
    "read before",
    "please read",
    "proposal",
    "rfc",
    "design doc",
];
const NOTES_WORDS: &[&str] = &["notes", "minutes", "summary", "recap"];
const LINK_MARKERS: &[&str] = &["http://", "https://", "www."];
const DECISION_WORDS: &[&str] = &[
    "decide", "decision", "approve", "approval", "choose", "sign-off",
];

/// Flags for a description text (already unescaped).
pub fn description_flags(text: &str) -> DescriptionFlags {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return DescriptionFlags::default();
    }
    let lower = trimmed.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let has_link = has(LINK_MARKERS);
    // Two or more list items ("- ", "* ", "1. ") read as an agenda too.
    let list_items = lower
        .lines()
        .map(str::trim_start)
        .filter(|l| {
            l.starts_with("- ")
                || l.starts_with("* ")
                || l.starts_with("• ")
                || l.split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .count();
    DescriptionFlags {
        present: true,
        has_agenda: has(AGENDA_WORDS) || list_items >= 2,
        has_outcome: has(OUTCOME_WORDS),
        has_preread_link: has_link && has(PREREAD_WORDS),
        has_notes_link: has_link && has(NOTES_WORDS),
        decision: has(DECISION_WORDS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_from_typical_descriptions() {
        let f = description_flags(
            "Desired outcome: pick a vendor\nAgenda\n- options\n- costs\nPre-read: https://docs.example.com/d/1",
        );
        assert!(f.present && f.has_agenda && f.has_outcome && f.has_preread_link);
        assert!(!f.has_notes_link);

        let g = description_flags("Join Zoom Meeting https://zoom.us/j/123");
        assert!(g.present && !g.has_agenda && !g.has_outcome && !g.has_preread_link);

        let h = description_flags("1. status\n2. blockers\nNotes: https://wiki.example.com/n");
        assert!(h.has_agenda && h.has_notes_link && !h.has_outcome);

        assert_eq!(description_flags("   "), DescriptionFlags::default());
    }

    #[test]
    fn decision_words_flag_a_decision_meeting() {
        assert!(description_flags("Please approve the Q3 budget").decision);
        assert!(description_flags("We need to choose a vendor").decision);
        assert!(!description_flags("Agenda: status").decision);
    }
}
