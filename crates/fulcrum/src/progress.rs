//! Progress bars on standard error for long work (writing a demo,
//! importing, computing a report), drawn with `indicatif` only when
//! standard error is a terminal: piped or redirected, nothing is written,
//! so logs and captured output stay clean.
//!
//! The app reports progress through plain callbacks with its own types
//! ([`fulcrum_demo::DemoProgress`], `fulcrum_app::stored::ImportProgress`,
//! [`fulcrum_app::report::Progress`]); this module is the only place that
//! turns them into something drawn.

use fulcrum_app::report::Progress;
use fulcrum_demo::DemoProgress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// One bar (or spinner, when the total is unknown) on standard error.
pub struct Bar {
    bar: ProgressBar,
    /// Whether the bar currently has a known length.
    counting: Option<bool>,
}

impl Bar {
    /// A bar drawn on standard error when it is a terminal, else hidden.
    pub fn new() -> Bar {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        Bar {
            bar,
            counting: None,
        }
    }

    /// Shows `message` with `done` of `total` (a bar), or with a count and a
    /// spinner when `total` is `None`.
    pub fn set(&mut self, message: &str, done: u64, total: Option<u64>) {
        let counting = total.is_some();
        if self.counting != Some(counting) {
            let template = if counting {
                "{msg:<32} [{bar:30}] {pos}/{len}  {elapsed}"
            } else {
                "{spinner} {msg:<30} {pos}  {elapsed}"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                self.bar.set_style(style.progress_chars("=> "));
            }
            if counting {
                self.bar.disable_steady_tick();
            } else {
                self.bar.enable_steady_tick(Duration::from_millis(150));
            }
            self.counting = Some(counting);
        }
        if let Some(total) = total {
            self.bar.set_length(total);
        }
        self.bar.set_message(message.to_owned());
        self.bar.set_position(done);
    }

    /// Draws the demo generator's progress.
    pub fn demo(&mut self, p: DemoProgress) {
        match p {
            DemoProgress::Calendars { done, total } => {
                self.set("writing calendars", done as u64, Some(total as u64))
            }
            DemoProgress::Slack { done, total } => self.set(
                "writing the Slack export (days)",
                done as u64,
                Some(total as u64),
            ),
            DemoProgress::AnswerKey => self.set("writing the answer key", 0, None),
        }
    }

    /// Draws the report's progress.
    pub fn report(&mut self, p: &Progress) {
        match p {
            Progress::Calendars { done, total } => {
                self.set("reading calendars", *done as u64, Some(*total as u64))
            }
            Progress::Chat { export, messages } => {
                self.set(&format!("reading {export} (messages)"), *messages, None)
            }
            Progress::Computing => self.set("computing signals and findings", 0, None),
        }
    }

    /// Draws an import's progress.
    #[cfg(feature = "store")]
    pub fn import(&mut self, p: fulcrum_app::stored::ImportProgress) {
        use fulcrum_app::stored::ImportProgress;
        match p {
            ImportProgress::Sources { done, total, kind } => self.set(
                &format!("importing ({kind})"),
                done as u64,
                Some(total as u64),
            ),
            ImportProgress::Aggregates => self.set("computing weekly aggregates", 0, None),
        }
    }

    /// Removes the bar, leaving the terminal as it was.
    pub fn clear(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        // An error path that returns early still leaves a clean line for
        // its message.
        self.bar.finish_and_clear();
    }
}
