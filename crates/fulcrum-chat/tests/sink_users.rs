//! `ChatSink::users`: both readers tell the sink the export's user
//! directory before the messages that need it, so a sink can resolve
//! authors as they arrive (the report does; holding every message of an
//! export until its report cost memory in proportion to the export).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use fulcrum_chat::mattermost::read_mattermost_jsonl;
use fulcrum_chat::{ChatSink, Limits};
use fulcrum_model::chat::{ChatMessage, Conversation};
use fulcrum_model::identity::SourceUser;
use std::io::BufReader;

/// Records, in order, how many users the sink knew at each message.
#[derive(Default)]
struct Order {
    told: Vec<usize>,
    users_known_at_message: Vec<usize>,
}

impl ChatSink for Order {
    fn users(&mut self, users: &[SourceUser]) {
        self.told.push(users.len());
    }

    fn message(&mut self, _index: usize, _c: &Conversation, _m: ChatMessage) {
        self.users_known_at_message
            .push(self.told.last().copied().unwrap_or(0));
    }
}

#[test]
fn slack_gives_the_whole_directory_before_the_first_day_file() {
    let mut source = memory_source(&fixture("slack-full"));
    let mut sink = Order::default();
    let report = fulcrum_chat::read_export(&mut source, &Limits::default(), &mut sink).unwrap();
    assert!(!report.users.is_empty());
    // Once, with every user of users.json, before any message.
    assert_eq!(sink.told, vec![report.users.len()]);
    assert!(!sink.users_known_at_message.is_empty());
    assert!(
        sink.users_known_at_message
            .iter()
            .all(|&n| n == report.users.len())
    );
}

#[test]
fn mattermost_gives_the_users_listed_before_the_first_post() {
    let path = fixture("mattermost/export.jsonl");
    let mut input = BufReader::new(std::fs::File::open(&path).unwrap());
    let mut sink = Order::default();
    let report = read_mattermost_jsonl(&mut input, "export.jsonl", &Limits::default(), &mut sink);
    // export.jsonl lists 3 users and 1 bot before its first post.
    assert_eq!(report.users.len(), 4);
    assert_eq!(sink.told, vec![4]);
    assert!(sink.users_known_at_message.iter().all(|&n| n == 4));
    assert_eq!(sink.users_known_at_message.len(), 9);
}
