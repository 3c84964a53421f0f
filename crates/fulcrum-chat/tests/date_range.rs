//! `Limits::dates` on the fixtures of `test_data/chat`: Slack day files
//! outside the range are not opened, Mattermost post lines outside it are
//! not read, both counted apart from skipped records; without a range
//! nothing changes.
//!
//! Fixture dates. slack-full: general 2024-05-06, -08, -09 (the last cut
//! off mid-way), secret-proj -06, D01AB -07, mpdm-ana--bo--cy-1 -07.
//! mattermost/export.jsonl (UTC): line 9 a town-square post of 05-06 with
//! replies on 05-06 and 05-08; lines 10-12 posts of 05-06; line 14 a DM
//! post and reply of 05-07; line 15 a group DM post of 05-07; line 16 a
//! post without create_at.

// Helpers outside #[test] functions unwrap too: a panic is a failed test
// with a clear location (clippy.toml allows it inside tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use common::*;
use fulcrum_chat::mattermost::read_mattermost_jsonl;
use fulcrum_chat::{DateRange, Limits, ReadReport, SummaryBuilder, read_export};
use fulcrum_model::chat::{ChatMessage, ExportSummary, ThreadRole};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn range(first: &str, last: &str) -> Limits {
    Limits {
        dates: Some(DateRange::new(d(first), d(last))),
        ..Limits::default()
    }
}

fn slack_zip(limits: &Limits) -> (ExportSummary, u64, Option<DateRange>) {
    let bytes = zip_bytes(&files_of(&fixture("slack-full")));
    let copy = bytes.clone();
    let mut src = fulcrum_chat::open_zip(
        std::io::Cursor::new(bytes),
        || Ok(std::io::Cursor::new(copy)),
        *limits,
    )
    .unwrap();
    let mut b = SummaryBuilder::new();
    let report = read_export(&mut src, limits, &mut b).unwrap();
    let (files, dates) = (report.out_of_range_files, report.dates);
    (b.finish("t", report), files, dates)
}

#[test]
fn slack_day_files_outside_the_range_are_not_opened() {
    let (s, out_of_range, dates) = slack_zip(&range("2024-05-07", "2024-05-08"));
    // general/05-06, general/05-09 and secret-proj/05-06 are left out.
    assert_eq!(out_of_range, 3);
    // D01AB/05-07: 3 messages, general/05-08: 4 (plus a duplicate,
    // skipped), mpdm/05-07: 2. The cut-off 05-09 file is not read, so not
    // skipped either.
    assert_eq!((s.messages, s.people_messages, s.skipped), (9, 9, 1));
    // The replies of 05-08 still point to their parent of 05-06.
    assert_eq!((s.threads, s.replies), (1, 2));
    // Asks: the DM's 2 turns that ask (ana opens it, bo asks back), bo ->
    // ana in general, cy -> ana in the group DM.
    assert_eq!(s.asks, 4);
    // Conversations are what the export holds, whatever the range.
    assert_eq!(s.conversations.len(), 4);
    assert_eq!(s.conversations[1].messages, 0);
    // The export's dates come from every day-file name, read or not.
    assert_eq!(
        dates,
        Some(DateRange::new(d("2024-05-06"), d("2024-05-09")))
    );
}

#[test]
fn without_a_range_or_with_one_around_everything_nothing_changes() {
    let (all, out_of_range, _) = slack_zip(&Limits::default());
    assert_eq!((all.messages, all.skipped, out_of_range), (17, 3, 0));
    let (wide, out_of_range, _) = slack_zip(&range("2024-01-01", "2024-12-31"));
    assert_eq!(out_of_range, 0);
    assert_eq!(format!("{all:?}"), format!("{wide:?}"));
    // A range with no day file in it leaves the metadata read.
    let (none, out_of_range, _) = slack_zip(&range("2023-01-01", "2023-01-31"));
    assert_eq!((none.messages, none.skipped, out_of_range), (0, 0, 6));
    assert_eq!(none.users, 4);
}

#[test]
fn slack_day_file_dates_need_no_entry_opened() {
    let mut src = memory_source(&fixture("slack-full"));
    assert_eq!(
        fulcrum_chat::slack::day_file_dates(&src),
        Some(DateRange::new(d("2024-05-06"), d("2024-05-09")))
    );
    // Reading with a range through a folder source behaves like the ZIP.
    let limits = range("2024-05-09", "2024-05-09");
    let mut sink = Vec::new();
    let report = read_export(&mut src, &limits, &mut sink).unwrap();
    assert_eq!(report.out_of_range_files, 5);
    // general/05-09 is cut off after one message: read, then skipped.
    assert_eq!((sink.len(), report.skipped), (1, 1));
}

fn mattermost(limits: &Limits) -> (Vec<ChatMessage>, ReadReport) {
    let file = std::fs::File::open(fixture("mattermost/export.jsonl")).unwrap();
    let mut sink = Vec::new();
    let report = read_mattermost_jsonl(
        &mut std::io::BufReader::new(file),
        "export.jsonl",
        limits,
        &mut sink,
    );
    (sink, report)
}

#[test]
fn mattermost_posts_outside_the_range_are_not_read() {
    let (all, everything) = mattermost(&Limits::default());
    assert_eq!((all.len(), everything.out_of_range_posts), (9, 0));
    assert_eq!(
        everything.dates,
        Some(DateRange::new(d("2024-05-06"), d("2024-05-08")))
    );

    let (read, report) = mattermost(&range("2024-05-07", "2024-05-07"));
    // Lines 9-12 are out: 10-12 wholly before (decided on their bytes),
    // 9 before and after with nothing inside (decided once parsed).
    assert_eq!(report.out_of_range_posts, 4);
    // The DM post and its reply, the group DM post.
    assert_eq!(read.len(), 3);
    assert!(read.iter().all(|m| m.at.date_naive() == d("2024-05-07")));
    // The post without create_at is read and reported as before; no post
    // outside the range is counted as skipped.
    assert_eq!(report.skipped, 1);
    assert!(
        report
            .diagnostics
            .clone()
            .finish()
            .iter()
            .any(|d| d.entry == "export.jsonl:16")
    );
    // Every line still counts towards the export's dates.
    assert_eq!(report.dates, everything.dates);
}

#[test]
fn a_mattermost_thread_is_read_whole_when_one_of_its_messages_is_in_range() {
    let (read, report) = mattermost(&range("2024-05-08", "2024-05-08"));
    // Only the reply of line 9 is dated 05-08: its post (05-06) and the
    // other reply come with it.
    assert_eq!(read.len(), 3);
    assert_eq!(read[0].thread, ThreadRole::Parent);
    assert_eq!(read[0].at.date_naive(), d("2024-05-06"));
    assert!(read[1..].iter().all(|m| matches!(
        &m.thread,
        ThreadRole::Reply { parent } if &**parent == "1715000000000"
    )));
    assert_eq!((report.out_of_range_posts, report.skipped), (5, 1));
}

#[test]
fn mattermost_lines_the_scan_cannot_decide_are_parsed_and_decided() {
    // Key order and spacing other than mmctl's, and an escaped key: the
    // byte scan declines, the parsed dates decide. Both lines are of 05-06.
    let jsonl = concat!(
        "{\"type\":\"version\",\"version\":1}\n",
        "{ \"post\": {\"team\":\"t\",\"channel\":\"c\",\"user\":\"u\",\"message\":\"x\",\"create_at\": 1715000000000}, \"type\": \"post\" }\n",
        "{\"type\":\"post\",\"post\":{\"team\":\"t\",\"channel\":\"c\",\"user\":\"u\",\"message\":\"y\",\"create\\u005fat\":1715000000000}}\n",
        "{\"type\":\"post\",\"post\":{\"team\":\"t\",\"channel\":\"c\",\"user\":\"u\",\"message\":\"z\",\"create_at\":1715090000000}}\n",
    );
    let mut sink = Vec::new();
    let report = read_mattermost_jsonl(
        &mut jsonl.as_bytes(),
        "x.jsonl",
        &range("2024-05-07", "2024-05-07"),
        &mut sink,
    );
    assert_eq!(
        (sink.len(), report.out_of_range_posts, report.skipped),
        (1, 2, 0)
    );
    assert_eq!(sink[0].at.timestamp_millis(), 1_715_090_000_000);
}
