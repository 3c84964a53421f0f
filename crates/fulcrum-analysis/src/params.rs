//! Thresholds and defaults of the signal definitions.
//!
//! [`Params::default`] is exactly what `docs/SIGNALS.md` says when `[policy]`
//! says nothing. The app fills a `Params` from the workspace policy; this
//! crate does not know the workspace format, so a policy key that is added
//! later cannot change a signal without passing through here.

use chrono::Duration;

/// Every number a signal definition depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Smallest group shown as a team aggregate (`policy.min_group_size`).
    pub min_group_size: u32,
    /// TENTATIVE counts as attending (`policy.meetings.count_tentative`).
    pub count_tentative: bool,
    /// An event this long or longer is not a meeting (ground rules: "shorter than 12 h").
    pub max_meeting_minutes: u32,
    /// Shortest free block that is focus time (`policy.focus.min_block_minutes`).
    pub focus_min_block_minutes: u32,
    /// Shortest block that counts for `uninterrupted_hours`.
    pub uninterrupted_min_block_minutes: u32,
    /// A meeting this long or shorter is short (`policy.meetings.short_minutes`).
    pub short_meeting_minutes: u32,
    /// An invite this many hours or fewer before the start is short notice
    /// (`policy.meetings.short_notice_hours`).
    pub short_notice_hours: u32,
    /// A meeting longer than this is long (`large_long_meetings`).
    pub long_meeting_minutes: u32,
    /// A meeting with this many invitees or more is large (`large_long_meetings`).
    pub large_meeting_invitees: u32,
    /// Timebox of `hygiene_timebox` (`policy.meetings.max_minutes`).
    pub timebox_minutes: u32,
    /// Invitee limit of `hygiene_attendees` (`policy.meetings.max_attendees`).
    pub max_attendees: u32,
    /// Estimated minutes of async work per message sent (`policy.chat.async_minutes_per_message`).
    pub async_minutes_per_message: f64,
    /// An ask without a reply within this many business days is unanswered
    /// (`policy.chat.unanswered_after_business_days`).
    pub unanswered_after_business_days: u32,
    /// A DM message opens an exchange after this many hours without a
    /// message in that DM (`policy.chat.exchange_gap_hours`).
    pub exchange_gap_hours: f64,
    /// Estimated call minutes per huddle post (`policy.chat.huddle_minutes`).
    pub huddle_minutes: f64,
    /// SLA of urgent asks, business hours (`policy.sla.urgent`).
    pub urgent_sla_hours: f64,
    /// SLA of other asks, business hours (`policy.sla.normal`).
    pub normal_sla_hours: f64,
    /// Asks in these conversations are urgent (`policy.chat.urgent_channels`):
    /// matched against the conversation's name or id, ignoring case and a
    /// leading `#`.
    pub urgent_channels: Vec<String>,
    /// A thread this long is long enough to escalate.
    pub escalation_min_messages: u32,
    /// A thread with this many participants ...
    pub escalation_min_participants: u32,
    /// ... and at least this many messages is long enough to escalate.
    pub escalation_min_messages_with_participants: u32,
    /// A meeting starting this many hours after a thread's last message or
    /// sooner follows it.
    pub escalation_window_hours: u32,
    /// How many of a thread's last messages are looked at for a call or
    /// huddle ("threads that end with a call/huddle phrase").
    pub escalation_tail_messages: u32,
    /// Chat is read over the window's weeks widened by this many days on
    /// each side ([`crate::Window::chat_dates`]): the look-back that lets a
    /// thread, a DM turn or an exchange that began before the window be
    /// seen whole, and the look-ahead in which an ask's reply (or the end of
    /// its unanswered limit) can come.
    pub chat_margin_days: u32,
    /// The cost of a meeting person-hour (`policy.meetings.hourly_rate`;
    /// 75 when unset): `low_quality_meeting_cost`.
    pub hourly_rate: f64,
}

impl Default for Params {
    /// The defaults of `docs/SIGNALS.md`.
    fn default() -> Self {
        Params {
            min_group_size: 5,
            count_tentative: false,
            max_meeting_minutes: 12 * 60,
            focus_min_block_minutes: 120,
            uninterrupted_min_block_minutes: 60,
            short_meeting_minutes: 30,
            short_notice_hours: 24,
            long_meeting_minutes: 60,
            large_meeting_invitees: 9,
            timebox_minutes: 50,
            max_attendees: 8,
            async_minutes_per_message: 2.0,
            unanswered_after_business_days: 5,
            exchange_gap_hours: fulcrum_model::policy::EXCHANGE_GAP_HOURS,
            huddle_minutes: 15.0,
            urgent_sla_hours: 2.0,
            normal_sla_hours: 24.0,
            urgent_channels: Vec::new(),
            escalation_min_messages: 10,
            escalation_min_participants: 3,
            escalation_min_messages_with_participants: 6,
            escalation_window_hours: 48,
            escalation_tail_messages: 3,
            chat_margin_days: 14,
            hourly_rate: 75.0,
        }
    }
}

impl Params {
    /// True when a conversation with this id and name is a policy urgent channel.
    pub fn is_urgent_channel(&self, id: &str, name: &str) -> bool {
        let norm = |s: &str| s.trim().trim_start_matches('#').to_lowercase();
        let (id, name) = (norm(id), norm(name));
        self.urgent_channels
            .iter()
            .map(|c| norm(c))
            .any(|c| !c.is_empty() && (c == id || c == name))
    }

    pub(crate) fn minutes(m: u32) -> Duration {
        Duration::minutes(i64::from(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urgent_channels_match_name_or_id_ignoring_case_and_hash() {
        let p = Params {
            urgent_channels: vec!["#Incidents".into(), "C042".into()],
            ..Params::default()
        };
        assert!(p.is_urgent_channel("C1", "incidents"));
        assert!(p.is_urgent_channel("c042", "general"));
        assert!(!p.is_urgent_channel("C1", "general"));
    }
}
