//! Plain data shared by the writers: meetings, answers, chat posts. The
//! schedule (`series`) and the day plans (`day`) produce these; the
//! calendar, Slack and Mattermost writers only format them.

use crate::zones::Zone;
use chrono::{DateTime, Utc};

/// An attendee's answer (`PARTSTAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartStat {
    /// `ACCEPTED`.
    Accepted,
    /// `DECLINED`.
    Declined,
    /// `TENTATIVE`.
    Tentative,
    /// `NEEDS-ACTION`: no answer yet.
    NeedsAction,
}

impl PartStat {
    /// The iCalendar spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PartStat::Accepted => "ACCEPTED",
            PartStat::Declined => "DECLINED",
            PartStat::Tentative => "TENTATIVE",
            PartStat::NeedsAction => "NEEDS-ACTION",
        }
    }
}

/// What a meeting is for (drives titles and descriptions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingKind {
    /// A discussion booked days ahead.
    Scheduled,
    /// A 30-minute pairing session.
    Pairing,
    /// "Quick unblock", 15 or 30 minutes.
    Blocker,
    /// Booked right after a thread went in circles.
    Escalation,
    /// A war room right after a surprise.
    Huddle,
    /// Fills a gap in the middle of the day.
    Fragmenting,
    /// The lead's check-in with members.
    CheckIn,
    /// A call with people outside the organisation.
    External,
}

/// A one-off meeting.
#[derive(Debug, Clone)]
pub struct Meeting {
    /// `UID`, shared by every copy of the event.
    pub uid: String,
    /// Title.
    pub title: String,
    /// Why it exists.
    pub kind: MeetingKind,
    /// Organizer (person index).
    pub organizer: usize,
    /// Invitees other than the organizer, with their answers.
    pub invitees: Vec<(usize, PartStat)>,
    /// Guests from outside (index into `names::EXTERNALS`), with answers.
    pub externals: Vec<(usize, PartStat)>,
    /// The organizer's zone (Outlook writes times in it).
    pub zone: Zone,
    /// Start.
    pub start: DateTime<Utc>,
    /// Length in minutes.
    pub minutes: u32,
    /// When the invite was created.
    pub created: DateTime<Utc>,
    /// Description text, if any.
    pub description: Option<String>,
}

impl Meeting {
    /// End instant.
    pub fn end(&self) -> DateTime<Utc> {
        self.start + chrono::Duration::minutes(i64::from(self.minutes))
    }

    /// True when `person` is the organizer or an invitee.
    pub fn involves(&self, person: usize) -> bool {
        self.organizer == person || self.invitees.iter().any(|(p, _)| *p == person)
    }

    /// True when `person` organizes it or accepted it.
    pub fn attended_by(&self, person: usize) -> bool {
        self.organizer == person
            || self
                .invitees
                .iter()
                .any(|(p, s)| *p == person && *s == PartStat::Accepted)
    }
}

/// A block someone booked for themselves: not a meeting.
#[derive(Debug, Clone)]
pub struct FocusBlock {
    /// `UID`.
    pub uid: String,
    /// Whose.
    pub person: usize,
    /// Title ("Focus time").
    pub title: &'static str,
    /// Start.
    pub start: DateTime<Utc>,
    /// Length in minutes.
    pub minutes: u32,
    /// When it was booked.
    pub created: DateTime<Utc>,
}

/// A conversation of the chat systems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Conv {
    /// A team's channel.
    Team(usize),
    /// A direct message between two people (smaller index first).
    Dm(usize, usize),
    /// The group DM of a team's first three members.
    TeamGroup(usize),
    /// `#general`.
    General,
    /// `#random`.
    Random,
    /// `#incidents`.
    Incidents,
    /// `#deploys`.
    Deploys,
    /// A department's private leads channel.
    Leads(usize),
}

impl Conv {
    /// A DM between two people, in canonical order.
    pub fn dm(a: usize, b: usize) -> Conv {
        if a < b {
            Conv::Dm(a, b)
        } else {
            Conv::Dm(b, a)
        }
    }
}

/// A bot or app that posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bot {
    /// The deploy pipeline (posts as a `bot_message`).
    Deploy,
    /// The issue tracker's app user.
    Tracker,
    /// The alerting integration.
    Alerts,
    /// Slack's own Slackbot (reminders).
    Slackbot,
}

/// Who posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    /// A person.
    Person(usize),
    /// A bot.
    Bot(Bot),
}

/// What a message says, in kind (the words come from `text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Say {
    /// Small talk or status chatter.
    Chatter,
    /// A question to someone.
    Ask,
    /// A question marked urgent (a 2-hour SLA).
    UrgentAsk,
    /// An answer to a question.
    Answer,
    /// "Thanks!"
    Thanks,
    /// Opens a discussion: a proposal or an open question to the channel.
    Proposal,
    /// A turn in a discussion that decides nothing.
    Discuss,
    /// Asks to move to a call ("let's jump on a call").
    CallPhrase,
    /// States a decision ("Decided: ...").
    Decide,
    /// Reports something urgent.
    Urgent,
    /// A quick reaction to an urgent report.
    UrgentReply,
    /// Says the surprise is handled.
    Resolved,
    /// A Slack huddle: started, with who took part and when it ended.
    Huddle {
        /// End of the huddle.
        ended: DateTime<Utc>,
        /// Participants.
        participants: Vec<usize>,
    },
    /// A written async update (status, blockers, decisions).
    AsyncUpdate,
    /// An announcement.
    Announce,
    /// The lead announces the experiment.
    ExperimentAnnounce,
    /// Someone joined the channel.
    Join,
    /// "Sent you an invite".
    InviteNote,
    /// A deploy notice.
    BotDeploy,
    /// A ticket moved.
    BotTicket,
    /// An alert fired.
    BotAlert,
    /// A Slackbot reminder.
    Reminder,
}

impl Say {
    /// True for messages that are not people talking (bots, joins, huddles).
    pub fn is_system(&self) -> bool {
        matches!(
            self,
            Say::Join
                | Say::BotDeploy
                | Say::BotTicket
                | Say::BotAlert
                | Say::Reminder
                | Say::Huddle { .. }
        )
    }
}

/// One message.
#[derive(Debug, Clone)]
pub struct Msg {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub author: Author,
    /// What, in kind.
    pub say: Say,
    /// A person it @mentions.
    pub mention: Option<usize>,
}

/// A message and its replies, or a run of messages in a DM.
#[derive(Debug, Clone)]
pub struct Post {
    /// Where.
    pub conv: Conv,
    /// Replies hang under the first message as a thread (else every
    /// message stands alone).
    pub threaded: bool,
    /// Index into the topic list, for the words.
    pub topic: usize,
    /// The messages in time order; the first is the parent.
    pub msgs: Vec<Msg>,
}
