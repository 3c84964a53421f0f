//! Calendar signals of one person-week.
//!
//! Hours are measured on the union of attended meetings clipped to the
//! person's week, so a meeting that crosses midnight into the next week
//! gives each week its own part; counts go to the week the meeting starts
//! in. Free time is working time minus meeting time; a free block is a
//! maximal stretch of it (working ranges on both sides of a lunch break are
//! two blocks, and no block spans two days unless the working hours touch).

use crate::intervals::{clip, covered_twice, hours, intersect, subtract, total};
use crate::meetings::PersonMeetings;
use crate::params::Params;
use crate::week::{Week, WorkClock};
use chrono::Duration;
use fulcrum_model::Interval;

/// The calendar signals of one person-week. Hours are hours; shares are
/// built from these by [`crate::PersonWeek::get`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CalendarWeek {
    /// Working time that week (away days removed), hours.
    pub working_hours: f64,
    /// `meeting_hours`: meeting time (union), hours.
    pub meeting_hours: f64,
    /// `meeting_count`: attended meetings starting that week.
    pub meeting_count: u32,
    /// Meeting time inside working time, hours (`meeting_share`'s part).
    pub meeting_hours_in_working_time: f64,
    /// `conflict_hours`: time covered by two or more non-declined meetings.
    pub conflict_hours: f64,
    /// `focus_hours`: free working time in blocks of at least the focus block.
    pub focus_hours: f64,
    /// `open_1h_blocks`: free blocks of at least 1 h.
    pub open_1h_blocks: u32,
    /// `open_2h_blocks`: free blocks of at least 2 h.
    pub open_2h_blocks: u32,
    /// `fragmented_hours`: free working time in blocks shorter than the focus block.
    pub fragmented_hours: f64,
    /// `after_hours_meeting_hours`: meeting time outside working time.
    pub after_hours_meeting_hours: f64,
    /// `short_meetings`: attended one-off meetings of the short length or less.
    pub short_meetings: u32,
    /// `short_notice_meetings`: attended one-off meetings invited at short notice.
    pub short_notice_meetings: u32,
    /// Attended one-off meetings whose invite time is known (the share's whole).
    pub notice_known: u32,
    /// Attended one-off meetings starting that week (with or without a known invite time).
    pub one_off_meetings: u32,
    /// `large_long_meetings`: attended meetings over the long length or
    /// with at least the large number of invitees.
    pub large_long_meetings: u32,
    /// Meeting time from recurring series, hours (`recurring_share`'s part).
    pub recurring_hours: f64,
    /// Meeting types, urgent meetings and generated workload ([`crate::viva`]).
    pub viva: crate::viva::VivaWeek,
    /// Whom the person met ([`crate::viva::Collaboration`]).
    pub collaboration: crate::viva::Collaboration,
}

/// Calendar signals of `week` (in the person's zone), and the free blocks
/// of that week's working time (for `uninterrupted_hours`).
pub fn calendar_week(
    meetings: &PersonMeetings,
    clock: &WorkClock,
    week: Week,
    params: &Params,
) -> (CalendarWeek, Vec<Interval>) {
    let bounds = week.bounds_in(clock.tz());
    let working = clock.working_in_week(week);
    let meeting = clip(&meetings.union, bounds);
    let in_working = intersect(&meeting, &working);
    let free = subtract(&working, &meeting);
    let focus_min = Params::minutes(params.focus_min_block_minutes);
    let block_len = |i: &&Interval| i.duration();
    let focus: Duration = free
        .iter()
        .filter(|i| block_len(i) >= focus_min)
        .map(Interval::duration)
        .sum();
    let fragmented: Duration = free
        .iter()
        .filter(|i| block_len(i) < focus_min)
        .map(Interval::duration)
        .sum();
    let open = |min: i64| {
        free.iter()
            .filter(|i| i.duration() >= Duration::minutes(min))
            .count() as u32
    };

    // Conflicts: only the non-declined meetings overlapping this week matter.
    let near: Vec<Interval> = meetings
        .not_declined
        .iter()
        .filter(|i| i.start < bounds.end && i.end > bounds.start)
        .filter_map(|i| i.intersect(&bounds))
        .collect();
    let conflicts = covered_twice(&near);

    let first = meetings
        .attended
        .partition_point(|m| m.interval.start < bounds.start);
    let starting: Vec<_> = meetings.attended[first..]
        .iter()
        .take_while(|m| m.interval.start < bounds.end)
        .collect();
    let short = Params::minutes(params.short_meeting_minutes);
    let long = Params::minutes(params.long_meeting_minutes);
    let one_off: Vec<_> = starting.iter().filter(|m| !m.recurring).collect();
    let notice: Vec<bool> = one_off
        .iter()
        .filter_map(|m| m.short_notice(params))
        .collect();

    let cal = CalendarWeek {
        working_hours: hours(total(&working)),
        meeting_hours: hours(total(&meeting)),
        meeting_count: starting.len() as u32,
        meeting_hours_in_working_time: hours(total(&in_working)),
        conflict_hours: hours(total(&conflicts)),
        focus_hours: hours(focus),
        open_1h_blocks: open(60),
        open_2h_blocks: open(120),
        fragmented_hours: hours(fragmented),
        after_hours_meeting_hours: hours(total(&meeting) - total(&in_working)),
        short_meetings: one_off.iter().filter(|m| m.duration() <= short).count() as u32,
        short_notice_meetings: notice.iter().filter(|s| **s).count() as u32,
        notice_known: notice.len() as u32,
        one_off_meetings: one_off.len() as u32,
        large_long_meetings: starting
            .iter()
            .filter(|m| m.duration() > long || m.participants >= params.large_meeting_invitees)
            .count() as u32,
        recurring_hours: hours(total(&clip(&meetings.recurring_union, bounds))),
        viva: crate::viva::viva_week(meetings, bounds, params),
        collaboration: crate::viva::met_in_week(&starting),
    };
    (cal, free)
}

/// The free blocks of a person's weeks and the minutes in them where a
/// message was sent or an ask arrived: `uninterrupted_hours` without keeping
/// the messages. Memory is one bit per free working minute.
///
/// A message or ask cuts a free block at the start of its minute and takes
/// no time itself (Clarification): a block 09:00-12:00 with a message at
/// 10:00:40 leaves 09:00-10:00 and 10:00-12:00, both counted.
#[derive(Debug, Clone, Default)]
pub struct Interruptions {
    /// In time order; one record per block, sized to fit once every week
    /// is in ([`Interruptions::shrink`]): a person has a few hundred blocks
    /// a quarter and the analysis keeps them for everyone until the end.
    blocks: Vec<FreeBlock>,
    bits: Vec<u64>,
    bit_count: usize,
}

/// One free block, its week and where its minutes start in the bits.
#[derive(Debug, Clone, Copy)]
struct FreeBlock {
    interval: Interval,
    offset: u32,
    week: u32,
}

impl Interruptions {
    /// Adds the free blocks of week number `week` (blocks must come in time order).
    pub fn add_week(&mut self, week: u32, free: &[Interval]) {
        self.blocks.reserve(free.len());
        for block in free {
            self.blocks.push(FreeBlock {
                interval: *block,
                offset: u32::try_from(self.bit_count).unwrap_or(u32::MAX),
                week,
            });
            self.bit_count += block.duration().num_minutes().max(0) as usize + 1;
        }
        self.bits.resize(self.bit_count.div_ceil(64), 0);
    }

    /// Gives back the room reserved while weeks were added.
    pub fn shrink(&mut self) {
        self.blocks.shrink_to_fit();
        self.bits.shrink_to_fit();
    }

    /// Records a message sent or an ask received at `at`.
    pub fn mark(&mut self, at: chrono::DateTime<chrono::Utc>) {
        let i = self.blocks.partition_point(|b| b.interval.end <= at);
        if let Some(b) = self.blocks.get(i)
            && b.interval.start <= at
        {
            let minute = (at - b.interval.start).num_minutes().max(0) as usize;
            let bit = b.offset as usize + minute;
            self.bits[bit / 64] |= 1 << (bit % 64);
        }
    }

    /// Hours per week (indexed like the weeks given) in free blocks of at
    /// least `min_block`, interrupted or not: `uninterrupted_hours +
    /// interrupted_hours`.
    pub fn long_block_hours(&self, weeks: usize, min_block: Duration) -> Vec<f64> {
        let mut out = vec![0.0; weeks];
        for b in self
            .blocks
            .iter()
            .filter(|b| b.interval.duration() >= min_block)
        {
            out[b.week as usize] += hours(b.interval.duration());
        }
        out
    }

    /// Hours per week (indexed like the weeks given) in stretches of at
    /// least `min_block` between interruptions.
    pub fn uninterrupted_hours(&self, weeks: usize, min_block: Duration) -> Vec<f64> {
        let mut out = vec![0.0; weeks];
        for b in &self.blocks {
            let (block, week, offset) = (&b.interval, &b.week, b.offset as usize);
            let minutes = block.duration().num_minutes().max(0) as usize;
            let mut from = block.start;
            let mut add = |a: chrono::DateTime<chrono::Utc>, b: chrono::DateTime<chrono::Utc>| {
                if b - a >= min_block {
                    out[*week as usize] += hours(b - a);
                }
            };
            let (first, last) = (offset + 1, offset + minutes);
            let mut bit = first;
            while bit <= last {
                // Skip empty words: most minutes see no message.
                let word = self.bits[bit / 64] >> (bit % 64);
                if word == 0 {
                    bit = (bit / 64 + 1) * 64;
                    continue;
                }
                bit += word.trailing_zeros() as usize;
                if bit > last {
                    break;
                }
                let minute = bit - offset;
                let cut = (block.start + Duration::minutes(minute as i64)).min(block.end);
                add(from, cut);
                from = cut;
                bit += 1;
            }
            add(from, block.end);
        }
        out
    }
}
