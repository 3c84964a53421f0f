//! Reminders: a daily digest per person over SMTP, in their own morning.
//!
//! [`send_due_digests`] is the one function the schedule
//! ([`ScheduledDigests`], every few minutes) and `fulcrum notify send` call:
//! for each person on the people list whose local day may get a digest now
//! (`fulcrum_analysis::workflow::digest_day`: inside their working time, at
//! or after the start of their working day, never on a day away) and has
//! none recorded yet, it gathers what waits on them with the same
//! [`my_waits`] as `/me`, and sends it when there is at least one item.
//! A sent digest is recorded in the store (`notify_sent`), so a restart
//! does not send it again; a failed one is logged and tried on the next
//! tick. A digest holds the titles, due times and links of the person's
//! own team's workflow objects: no chat text, nothing of other teams.

use crate::pages::waits::{MyWaits, my_waits};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use fulcrum_store::Storage;
use lettre::message::{Mailbox, Message, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

/// How often the schedule looks for digests to send.
pub const DIGEST_TICK: Duration = Duration::from_secs(5 * 60);

/// How `[notify]` reaches the SMTP server, with the password read from
/// where `password_env` or `password_file` said. Its `Debug` never shows
/// the password.
#[derive(Clone)]
pub struct SmtpSettings {
    /// Host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// The sender (`Name <address>` or an address).
    pub from: String,
    /// The account signing in, with its password.
    pub login: Option<(String, String)>,
    /// STARTTLS (else plain SMTP, only to this machine).
    pub starttls: bool,
    /// Send on the schedule (`[notify] digest`).
    pub digest: bool,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("username", &self.login.as_ref().map(|(u, _)| u))
            .field("starttls", &self.starttls)
            .field("digest", &self.digest)
            .finish()
    }
}

/// One person's digest of one local day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// Their email (lower-cased, from the people list).
    pub to: String,
    /// Their local date.
    pub day: NaiveDate,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestRun {
    /// The digests due now (sent, or to send on a dry run).
    pub due: Vec<Digest>,
    /// The emails whose digest was sent and recorded.
    pub sent: Vec<String>,
    /// The emails whose digest failed, with why (tried again next tick).
    pub failed: Vec<(String, String)>,
}

impl DigestRun {
    /// One line for the log.
    pub fn summary(&self) -> String {
        format!(
            "{} digest(s) due, {} sent, {} failed",
            self.due.len(),
            self.sent.len(),
            self.failed.len()
        )
    }
}

/// A link to `href` on the server (a path when no public URL is known).
pub(crate) fn link(base: Option<&str>, href: &str) -> String {
    match base {
        Some(b) => format!("{b}{href}"),
        None => href.to_owned(),
    }
}

/// The digest text of what waits on one person.
pub(crate) fn digest_text(
    name: &str,
    team: &str,
    day: NaiveDate,
    waits: &MyWaits,
    base: Option<&str>,
) -> Option<(String, String)> {
    let count: usize = waits.sections().iter().map(|s| s.rows.len()).sum();
    if count == 0 {
        return None;
    }
    let mut text = format!(
        "Good morning, {name}. What waits on you in {team} on {}:\n",
        day.format("%a %Y-%m-%d")
    );
    for section in waits.sections() {
        if section.rows.is_empty() {
            continue;
        }
        text.push_str(&format!("\n{}\n", section.heading));
        for r in section.rows {
            let late = if r.late.is_empty() {
                String::new()
            } else {
                format!(", {}", r.late)
            };
            text.push_str(&format!("- {} (due {}{late})\n", r.what, r.when));
            text.push_str(&format!("  {}\n", link(base, &r.href)));
        }
    }
    text.push_str(&format!(
        "\nAll of it, and your calendar feed: {}\n",
        link(base, "/me")
    ));
    if base.is_none() {
        text.push_str("(Paths on the team server: set [serve] public_url for full links.)\n");
    }
    let subject = format!(
        "Fulcrum: {count} thing{} wait{} on you ({})",
        if count == 1 { "" } else { "s" },
        if count == 1 { "s" } else { "" },
        day.format("%a %Y-%m-%d")
    );
    Some((subject, text))
}

/// The digests due at `now` and not yet sent: one per person on the
/// people list whose working day has begun (and not ended), with at least
/// one item.
pub async fn due_digests<S: Storage + 'static>(
    state: &AppState<S>,
    now: DateTime<Utc>,
) -> Result<Vec<Digest>, crate::Error> {
    let snap = state.snapshot();
    let base = state.config.public_url.as_deref();
    let mut out = Vec::new();
    for p in &snap.people {
        let Some(day) = fulcrum_analysis::workflow::digest_day(&p.clock, now) else {
            continue;
        };
        if state.store.digest_sent(p.email.clone(), day).await? {
            continue;
        }
        let zone = *p.clock.tz();
        let waits = my_waits(state, &snap, &p.team, &p.email, zone, now).await?;
        if let Some((subject, text)) = digest_text(&p.name, &p.team, day, &waits, base) {
            out.push(Digest {
                to: p.email.clone(),
                day,
                subject,
                text,
            });
        }
    }
    Ok(out)
}

fn transport(s: &SmtpSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let builder = if s.starttls {
        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host)
            .map_err(|e| format!("cannot set up STARTTLS to {}: {e}", s.host))?
    } else {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host)
    };
    let mut builder = builder.port(s.port).timeout(Some(Duration::from_secs(30)));
    if let Some((user, password)) = &s.login {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}

fn message(from: &Mailbox, d: &Digest) -> Result<Message, String> {
    let to: Mailbox =
        d.to.parse()
            .map_err(|e| format!("{} is not an address: {e}", d.to))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(d.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(d.text.clone())
        .map_err(|e| format!("cannot build the message: {e}"))
}

/// Sends the digests due at `now` (see [`due_digests`]) and records each
/// one sent. Without `[notify]` nothing is due. SMTP failures are in the
/// result (and the log), never a panic.
pub async fn send_due_digests<S: Storage + 'static>(
    state: &AppState<S>,
    now: DateTime<Utc>,
) -> Result<DigestRun, crate::Error> {
    let Some(settings) = state.smtp.clone() else {
        return Ok(DigestRun::default());
    };
    let due = due_digests(state, now).await?;
    let mut run = DigestRun {
        due,
        ..DigestRun::default()
    };
    if run.due.is_empty() {
        return Ok(run);
    }
    let from: Mailbox = settings
        .from
        .parse()
        .map_err(|e| crate::Error::Internal(format!("[notify] from: {e}")))?;
    let mailer = transport(&settings).map_err(crate::Error::Internal)?;
    for d in &run.due {
        let sent = match message(&from, d) {
            Ok(m) => mailer.send(m).await.map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        match sent {
            Ok(_) => {
                state
                    .store
                    .record_digest_sent(d.to.clone(), d.day, Utc::now())
                    .await?;
                run.sent.push(d.to.clone());
            }
            Err(error) => {
                tracing::warn!(to = %d.to, %error, "reminder digest not sent; trying again next tick");
                run.failed.push((d.to.clone(), error));
            }
        }
    }
    Ok(run)
}

/// The background task that sends the digests.
#[derive(Debug)]
pub struct ScheduledDigests {
    task: JoinHandle<()>,
}

impl ScheduledDigests {
    /// Calls [`send_due_digests`] every `every` until stopped; a run that
    /// fails or panics is logged and the next one runs on time.
    pub fn start<S: Storage + 'static>(state: AppState<S>, every: Duration) -> Self {
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let run = state.clone();
                match tokio::spawn(async move { send_due_digests(&run, Utc::now()).await }).await {
                    Ok(Ok(r)) if r.due.is_empty() => {}
                    Ok(Ok(r)) => tracing::info!(summary = %r.summary(), "reminder digests"),
                    Ok(Err(error)) => tracing::warn!(%error, "reminder digests failed"),
                    Err(e) => tracing::error!(error = %e, "reminder digests failed"),
                }
            }
        });
        tracing::info!(every = ?every, "reminder digests scheduled");
        ScheduledDigests { task }
    }

    /// Stops the schedule.
    pub async fn stop(self) {
        self.task.abort();
        let _ = self.task.await;
    }
}
