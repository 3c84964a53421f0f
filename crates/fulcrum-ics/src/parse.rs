//! From content lines to events and time zone definitions, in one pass.
//!
//! Components are tracked on a stack so that a missing or misspelt `END`
//! costs at most the component it belongs to. Each VEVENT is turned into an
//! [`EventComponent`] as soon as it ends and its raw lines are dropped (the
//! description never outlives its own component). VTIMEZONEs are kept
//! whole, since events may refer to a zone defined further down the file.
//! Content lines borrow from the file's bytes, so what a component holds
//! until it ends costs no copies; only what an event keeps is allocated.

use crate::diag::Diagnostics;
use crate::event::{EventComponent, build_event};
use crate::lex::{ContentLine, Lexer, upper_case};
use crate::rrule::RRule;
use crate::value::{parse_date, parse_date_time, parse_utc_offset, split_list};
use crate::window::WindowRead;
use crate::zone::{Observance, VTimezone};
use std::borrow::Cow;
use std::sync::Arc;

/// What a file held, before expansion.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// Events read.
    pub events: Vec<EventComponent>,
    /// Time zone definitions read.
    pub vtimezones: Vec<VTimezone>,
    /// Counts for reporting.
    pub stats: ParseStats,
}

/// Counts of what a file held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseStats {
    /// `VCALENDAR` components.
    pub calendars: usize,
    /// `VEVENT` components seen.
    pub events_seen: usize,
    /// `VEVENT`s skipped because they could not be placed in time.
    pub events_skipped: usize,
    /// `VTIMEZONE` components.
    pub vtimezones: usize,
    /// Other top-level components (VTODO, VJOURNAL, VFREEBUSY, bare VALARM,
    /// ...), read but not used.
    pub other_components: usize,
}

impl ParseStats {
    /// True when no component at all was found: not iCalendar data.
    pub fn is_empty(&self) -> bool {
        self.calendars == 0
            && self.events_seen == 0
            && self.vtimezones == 0
            && self.other_components == 0
    }
}

struct Frame<'a> {
    /// Upper-cased component name.
    name: Cow<'a, str>,
    line: u32,
    props: Vec<ContentLine<'a>>,
}

/// A `BEGIN` or `END` value as a component name: trimmed, upper-cased,
/// borrowed when it already is.
pub(crate) fn component_name(value: Cow<'_, str>) -> Cow<'_, str> {
    match value {
        Cow::Borrowed(v) => upper_case(Cow::Borrowed(v.trim())),
        Cow::Owned(v) => Cow::Owned(v.trim().to_ascii_uppercase()),
    }
}

/// Which frames keep their properties.
fn keeps_props(name: &str) -> bool {
    matches!(
        name,
        "VEVENT" | "VTIMEZONE" | "STANDARD" | "DAYLIGHT" | "VCALENDAR"
    )
}

/// Reads all components of an iCalendar stream.
pub fn parse(bytes: &[u8], diags: &mut Diagnostics) -> ParsedFile {
    parse_within(bytes, diags, None)
}

/// [`parse`], leaving out the VEVENTs that `window` rules out: their lines
/// are read ahead by `window` and never decoded here, and they count in
/// [`ParseStats::events_seen`] only.
pub(crate) fn parse_within(
    bytes: &[u8],
    diags: &mut Diagnostics,
    mut window: Option<&mut WindowRead>,
) -> ParsedFile {
    let mut out = ParsedFile::default();
    let mut lexer = Lexer::new(bytes);
    let mut stack: Vec<Frame> = Vec::new();
    // X-WR-TIMEZONE of each open VCALENDAR (innermost last).
    let mut calendar_zone: Option<Arc<str>> = None;
    // Observances of the VTIMEZONE being read.
    let mut observances: Vec<Observance> = Vec::new();
    let mut stray_props = 0usize;
    // Property lists of finished components, cleared, for the next ones:
    // a file holds thousands of events, each needing one.
    let mut spare_props: Vec<Vec<ContentLine<'_>>> = Vec::new();

    while let Some(line) = lexer.next_line(diags) {
        match line.name.as_ref() {
            "BEGIN" => {
                let line_no = line.line;
                let name = component_name(line.value);
                if name.is_empty() {
                    diags.warn(Some(line_no), "BEGIN without a component name", None);
                    continue;
                }
                if name == "VEVENT"
                    && let Some(window) = window.as_deref_mut()
                    && window.leaves_out(&mut lexer, &calendar_zone, out.events.len(), line_no)
                {
                    // Read through its END, counted as seen, not built.
                    out.stats.events_seen += 1;
                    continue;
                }
                if name == "VCALENDAR" {
                    out.stats.calendars += 1;
                    calendar_zone = None;
                }
                if name == "VTIMEZONE" {
                    observances.clear();
                }
                let props = if keeps_props(&name) {
                    spare_props.pop().unwrap_or_default()
                } else {
                    Vec::new()
                };
                stack.push(Frame {
                    name,
                    line: line_no,
                    props,
                });
            }
            "END" => {
                let name = line.value.trim();
                let Some(pos) = stack
                    .iter()
                    .rposition(|f| f.name.eq_ignore_ascii_case(name))
                else {
                    diags.warn(
                        Some(line.line),
                        format!(
                            "END:{} without a matching BEGIN; ignored",
                            name.to_ascii_uppercase()
                        ),
                        None,
                    );
                    continue;
                };
                while stack.len() > pos + 1 {
                    if let Some(inner) = stack.pop() {
                        diags.warn(
                            Some(inner.line),
                            format!(
                                "{} is not closed before END:{}; closed here",
                                inner.name, stack[pos].name
                            ),
                            None,
                        );
                        let props = finish(
                            inner,
                            &stack,
                            &mut out,
                            &mut observances,
                            &calendar_zone,
                            diags,
                        );
                        recycle(&mut spare_props, props);
                    }
                }
                if let Some(frame) = stack.pop() {
                    let props = finish(
                        frame,
                        &stack,
                        &mut out,
                        &mut observances,
                        &calendar_zone,
                        diags,
                    );
                    recycle(&mut spare_props, props);
                }
            }
            _ => match stack.last_mut() {
                Some(frame) => {
                    if frame.name == "VCALENDAR" && line.name == "X-WR-TIMEZONE" {
                        let z = line.value.trim();
                        if !z.is_empty() {
                            calendar_zone = Some(Arc::from(z));
                        }
                    } else if keeps_props(&frame.name) {
                        frame.props.push(line);
                    }
                }
                None => stray_props += 1,
            },
        }
    }
    while let Some(frame) = stack.pop() {
        diags.warn(
            Some(frame.line),
            format!(
                "file ends inside `{}`; the file may be truncated",
                frame.name
            ),
            Some("export the calendar again; what was read is kept"),
        );
        finish(
            frame,
            &stack,
            &mut out,
            &mut observances,
            &calendar_zone,
            diags,
        );
    }
    if stray_props > 0 {
        diags.warn(
            None,
            format!("{stray_props} line(s) outside any component were ignored"),
            None,
        );
    }
    lexer.finish(diags);
    out
}

/// Keeps an emptied property list for the next component, unless it never
/// held anything.
fn recycle<'a>(spare: &mut Vec<Vec<ContentLine<'a>>>, props: Vec<ContentLine<'a>>) {
    if props.capacity() > 0 {
        spare.push(props);
    }
}

/// Turns a component that ended into what the file keeps of it; returns its
/// property list, emptied, for the next component to reuse.
fn finish<'a>(
    mut frame: Frame<'a>,
    parents: &[Frame<'_>],
    out: &mut ParsedFile,
    observances: &mut Vec<Observance>,
    calendar_zone: &Option<Arc<str>>,
    diags: &mut Diagnostics,
) -> Vec<ContentLine<'a>> {
    let parent = parents.last().map(|f| f.name.as_ref());
    let top_level = parent.is_none() || parent == Some("VCALENDAR");
    if top_level && !matches!(frame.name.as_ref(), "VEVENT" | "VCALENDAR" | "VTIMEZONE") {
        out.stats.other_components += 1;
    }
    match frame.name.as_ref() {
        "VEVENT" => {
            out.stats.events_seen += 1;
            match build_event(&frame.props, frame.line, calendar_zone.clone(), diags) {
                Some(e) => out.events.push(e),
                None => out.stats.events_skipped += 1,
            }
        }
        "STANDARD" | "DAYLIGHT" if parent == Some("VTIMEZONE") => {
            if let Some(o) = observance(&frame, diags) {
                observances.push(o);
            }
        }
        "VTIMEZONE" => {
            out.stats.vtimezones += 1;
            let tzid = frame
                .props
                .iter()
                .find(|p| p.name == "TZID")
                .map(|p| p.value.trim().to_owned());
            let location = frame
                .props
                .iter()
                .find(|p| p.name == "X-LIC-LOCATION")
                .map(|p| p.value.trim().to_owned());
            match tzid {
                Some(tzid) if !tzid.is_empty() => out.vtimezones.push(VTimezone {
                    tzid,
                    location,
                    observances: std::mem::take(observances),
                    line: frame.line,
                }),
                _ => diags.warn(Some(frame.line), "VTIMEZONE without TZID; ignored", None),
            }
        }
        _ => {}
    }
    frame.props.clear();
    frame.props
}

fn observance(frame: &Frame<'_>, diags: &mut Diagnostics) -> Option<Observance> {
    let get = |n: &str| frame.props.iter().find(|p| p.name == n);
    // Some writers give the onset as a date; it means midnight.
    let dtstart = get("DTSTART").and_then(|p| {
        parse_date_time(&p.value)
            .map(|(t, _)| t)
            .or_else(|| parse_date(&p.value).map(|d| d.and_time(chrono::NaiveTime::MIN)))
    });
    let from = get("TZOFFSETFROM").and_then(|p| parse_utc_offset(&p.value));
    let to = get("TZOFFSETTO").and_then(|p| parse_utc_offset(&p.value));
    let (Some(dtstart), Some(to)) = (dtstart, to) else {
        diags.warn(
            Some(frame.line),
            format!(
                "{} without a valid DTSTART and TZOFFSETTO; ignored",
                frame.name
            ),
            None,
        );
        return None;
    };
    let rrule = get("RRULE").and_then(|p| match RRule::parse(&p.value) {
        Ok((r, _)) => Some(r),
        Err(e) => {
            diags.warn(
                Some(p.line),
                format!("time zone RRULE is not valid ({e}); ignored"),
                None,
            );
            None
        }
    });
    let rdates = frame
        .props
        .iter()
        .filter(|p| p.name == "RDATE")
        .flat_map(|p| {
            split_list(&p.value)
                .into_iter()
                .filter_map(|v| parse_date_time(v).map(|(t, _)| t))
        })
        .collect();
    Some(Observance {
        dtstart,
        offset_from: from.unwrap_or(to),
        offset_to: to,
        rrule,
        rdates,
    })
}
