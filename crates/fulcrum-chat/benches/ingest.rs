//! Chat ingest throughput: MB/s of uncompressed Slack JSON on one core.
//!
//! Generates a synthetic Slack export (users, channels, day files of
//! realistic messages: rich-text blocks, user profiles, threads, mentions,
//! reactions, bots, joins), deflates it into a ZIP in memory, then times
//! several runs of:
//! - end to end: ZIP inflate + parse + extract + summary;
//! - parse only: the same day files from memory (no inflate).
//!
//! Run: `cargo bench -p fulcrum-chat --bench ingest` (about 200 MB of JSON;
//! `FULCRUM_BENCH_MB=500` for more).
//! Write a big export for an RSS measurement instead:
//! `cargo bench -p fulcrum-chat --bench ingest -- --write /tmp/big.zip --mb 500`.

use fulcrum_chat::{Limits, MemorySource, SummaryBuilder, open_zip};
use std::io::{Cursor, Seek, Write};
use std::time::Instant;
use zip::write::SimpleFileOptions;

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const WORDS: &[&str] = &[
    "the",
    "deploy",
    "review",
    "plan",
    "is",
    "ready",
    "can",
    "you",
    "look",
    "at",
    "this",
    "today",
    "tomorrow",
    "release",
    "branch",
    "merged",
    "tests",
    "failing",
    "again",
    "on",
    "staging",
    "customer",
    "reported",
    "bug",
    "in",
    "billing",
    "page",
    "latency",
    "dashboard",
    "metrics",
    "spike",
    "after",
    "migration",
    "we",
    "should",
    "roll",
    "back",
    "or",
    "fix",
    "forward",
    "thanks",
    "sounds",
    "good",
    "agree",
    "let",
    "me",
    "check",
    "with",
    "team",
    "design",
    "doc",
    "draft",
    "comments",
    "welcome",
    "meeting",
    "notes",
    "posted",
    "sprint",
    "goal",
    "estimate",
    "ticket",
    "blocked",
    "waiting",
    "for",
    "access",
    "credentials",
    "rotated",
    "incident",
    "postmortem",
    "schedule",
    "friday",
    "monday",
    "timezone",
    "overlap",
    "async",
    "update",
    "status",
    "done",
];

const USERS: u64 = 300;
const CHANNELS: u64 = 60;

fn user_id(i: u64) -> String {
    format!("U{:08X}", 0x1000_0000 + i)
}

fn text(rng: &mut Rng) -> String {
    let n = 4 + rng.below(30);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        match rng.below(40) {
            0 => s.push_str(&format!("<@{}>", user_id(rng.below(USERS)))),
            1 => s.push_str("<https://example.com/doc/123|the doc>"),
            2 => s.push_str("urgent"),
            _ => s.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]),
        }
    }
    s
}

fn message(rng: &mut Rng, ts: u64, seq: u64, thread: Option<u64>) -> String {
    let user = user_id(rng.below(USERS));
    let t = text(rng);
    let kind = rng.below(100);
    if kind < 3 {
        return format!(
            r#"{{"type":"message","subtype":"channel_join","ts":"{ts}.{seq:06}","user":"{user}","text":"<@{user}> has joined the channel"}}"#
        );
    }
    if kind < 8 {
        return format!(
            r#"{{"type":"message","subtype":"bot_message","ts":"{ts}.{seq:06}","bot_id":"B0000BOT","username":"ci","text":"{t}","attachments":[{{"fallback":"build {seq}","color":"good","text":"{t}"}}]}}"#
        );
    }
    let thread_part = match thread {
        Some(parent) => format!(
            r#","thread_ts":"{parent}.000001","parent_user_id":"{}""#,
            user_id(parent % USERS)
        ),
        None if kind < 20 => format!(
            r#","thread_ts":"{ts}.{seq:06}","reply_count":{},"reply_users_count":2,"reply_users":["{}","{}"],"latest_reply":"{ts}.{seq:06}""#,
            1 + rng.below(5),
            user_id(rng.below(USERS)),
            user_id(rng.below(USERS))
        ),
        None => String::new(),
    };
    let reactions = if kind.is_multiple_of(7) {
        format!(
            r#","reactions":[{{"name":"+1","users":["{}"],"count":1}}]"#,
            user_id(rng.below(USERS))
        )
    } else {
        String::new()
    };
    format!(
        r#"{{"client_msg_id":"{:016x}-{:04x}","type":"message","text":"{t}","user":"{user}","ts":"{ts}.{seq:06}","team":"T0000001","user_team":"T0000001","source_team":"T0000001","user_profile":{{"avatar_hash":"{:012x}","image_72":"https://avatars.example.com/{user}_72.png","first_name":"Name","real_name":"Full Name","display_name":"name","team":"T0000001","name":"name","is_restricted":false,"is_ultra_restricted":false}},"blocks":[{{"type":"rich_text","block_id":"{:05x}","elements":[{{"type":"rich_text_section","elements":[{{"type":"text","text":"{t}"}}]}}]}}]{thread_part}{reactions}}}"#,
        rng.next(),
        rng.below(65536),
        rng.next() >> 16,
        rng.below(1 << 20),
    )
}

/// The files of a synthetic export of about `target` bytes of day files.
fn generate(target: u64, mut emit: impl FnMut(String, Vec<u8>)) -> u64 {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let users: Vec<String> = (0..USERS)
        .map(|i| {
            format!(
                r#"{{"id":"{}","name":"user{i}","real_name":"User {i}","tz":"Europe/Lisbon","is_bot":false,"profile":{{"email":"user{i}@example.com"}}}}"#,
                user_id(i)
            )
        })
        .collect();
    emit(
        "users.json".into(),
        format!("[{}]", users.join(",")).into_bytes(),
    );
    let channels: Vec<String> = (0..CHANNELS)
        .map(|c| format!(r#"{{"id":"C{c:08}","name":"channel-{c}","members":[]}}"#))
        .collect();
    emit(
        "channels.json".into(),
        format!("[{}]", channels.join(",")).into_bytes(),
    );
    let mut total = 0u64;
    let mut day = 0u64;
    while total < target {
        for c in 0..CHANNELS {
            let base = 1_700_000_000 + day * 86_400;
            let count = 50 + rng.below(250);
            let mut parts = Vec::with_capacity(count as usize);
            for seq in 0..count {
                let ts = base + seq * 60;
                let thread = (seq > 10 && rng.below(4) == 0).then(|| base + rng.below(seq) * 60);
                parts.push(message(&mut rng, ts, seq + 1, thread));
            }
            let body = format!("[\n{}\n]", parts.join(",\n")).into_bytes();
            total += body.len() as u64;
            let date = chrono::DateTime::from_timestamp(base as i64, 0)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            emit(format!("channel-{c}/{date}.json"), body);
            if total >= target {
                break;
            }
        }
        day += 1;
    }
    total
}

fn write_zip<W: Write + Seek>(w: W, target: u64) -> (W, u64) {
    let mut zip = zip::ZipWriter::new(w);
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6));
    let total = generate(target, |name, bytes| {
        zip.start_file(name, opts).expect("zip entry");
        zip.write_all(&bytes).expect("zip write");
    });
    (zip.finish().expect("zip finish"), total)
}

/// CPU time of this thread in seconds (user + system), from
/// `/proc/thread-self/stat` (Linux; clock ticks assumed 100 per second, the
/// kernel's USER_HZ). On a shared machine wall time also counts other
/// processes' turns on the core; CPU time does not.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are
    // fields 14 and 15 of the whole line.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let mb: u64 = arg("--mb")
        .or_else(|| std::env::var("FULCRUM_BENCH_MB").ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    if let Some(path) = arg("--write") {
        let file = std::fs::File::create(&path).expect("create output");
        let (_, total) = write_zip(std::io::BufWriter::new(file), mb << 20);
        println!(
            "wrote {path}: {:.0} MB of day-file JSON",
            total as f64 / 1e6
        );
        return;
    }
    let started = Instant::now();
    let (cursor, json_bytes) = write_zip(Cursor::new(Vec::new()), mb << 20);
    let zip = cursor.into_inner();
    let mut memory = MemorySource::new();
    generate(mb << 20, |name, bytes| memory.add(name, bytes));
    println!(
        "synthetic export: {:.1} MB of day-file JSON, ZIP {:.1} MB (ratio {:.1}:1), generated in {:.1} s",
        json_bytes as f64 / 1e6,
        zip.len() as f64 / 1e6,
        json_bytes as f64 / zip.len() as f64,
        started.elapsed().as_secs_f64()
    );
    let limits = Limits::default();
    let runs = 5;
    for (label, from_zip) in [
        ("end to end (ZIP inflate + parse + extract + summary)", true),
        ("parse + extract + summary (no ZIP)", false),
    ] {
        let mut rates = Vec::new();
        let mut cpu_rates = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            let cpu = thread_cpu_seconds();
            let mut builder = SummaryBuilder::new();
            let report = if from_zip {
                let copy = zip.clone();
                let mut src =
                    open_zip(Cursor::new(&zip[..]), || Ok(Cursor::new(&copy[..])), limits)
                        .expect("open zip");
                fulcrum_chat::read_export(&mut src, &limits, &mut builder).expect("slack export")
            } else {
                fulcrum_chat::read_export(&mut memory, &limits, &mut builder).expect("slack export")
            };
            let summary = builder.finish("bench", report);
            let secs = t.elapsed().as_secs_f64();
            if let (Some(before), Some(after)) = (cpu, thread_cpu_seconds()) {
                cpu_rates.push(json_bytes as f64 / 1e6 / (after - before).max(0.01));
            }
            assert!(summary.messages > 0 && summary.skipped == 0);
            rates.push(json_bytes as f64 / 1e6 / secs);
        }
        rates.sort_by(f64::total_cmp);
        cpu_rates.sort_by(f64::total_cmp);
        println!(
            "{label}: wall clock median {:.0} MB/s (min {:.0}, max {:.0}) over {runs} runs",
            rates[runs / 2],
            rates[0],
            rates[runs - 1]
        );
        if cpu_rates.len() == runs {
            println!(
                "{label}: per CPU second median {:.0} MB/s (min {:.0}, max {:.0})",
                cpu_rates[runs / 2],
                cpu_rates[0],
                cpu_rates[runs - 1]
            );
        }
    }
}
