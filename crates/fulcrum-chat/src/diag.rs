//! Located diagnostics with a bound on how many are kept.
//!
//! A 2 GB export with a broken message in every day file must not keep a
//! million messages in memory: the collector keeps the first
//! [`Diagnostics::capacity`] problems word for word and counts the rest, and
//! the count is reported as one more diagnostic at the end. Counts of skipped
//! records are kept elsewhere and are always exact.

use fulcrum_model::chat::EntryDiagnostic;

/// Collects located problems, keeping at most `capacity` of them.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    kept: Vec<EntryDiagnostic>,
    capacity: usize,
    dropped: u64,
}

impl Diagnostics {
    /// A collector that keeps at most `capacity` diagnostics.
    pub fn new(capacity: usize) -> Self {
        Diagnostics {
            kept: Vec::new(),
            capacity,
            dropped: 0,
        }
    }

    /// Records a problem with `entry`.
    pub fn push(&mut self, entry: impl Into<String>, message: impl Into<String>) {
        if self.kept.len() < self.capacity {
            self.kept.push(EntryDiagnostic {
                entry: entry.into(),
                message: message.into(),
            });
        } else {
            self.dropped += 1;
        }
    }

    /// How many diagnostics the collector can keep.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Number of diagnostics recorded so far, kept or not.
    pub fn len(&self) -> u64 {
        self.kept.len() as u64 + self.dropped
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The kept diagnostics, plus one saying how many more were not kept.
    pub fn finish(mut self) -> Vec<EntryDiagnostic> {
        if self.dropped > 0 {
            self.kept.push(EntryDiagnostic {
                entry: String::new(),
                message: format!(
                    "{} more problems were found and not listed (the first {} are shown)",
                    self.dropped, self.capacity
                ),
            });
        }
        self.kept
    }
}

impl Default for Diagnostics {
    fn default() -> Self {
        Diagnostics::new(200)
    }
}

/// Keeps up to a few examples of something counted, for messages such as
/// "17 unknown user ids (e.g. U1, U2, U3)".
#[derive(Debug, Clone, Default)]
pub(crate) struct Examples {
    pub(crate) count: u64,
    pub(crate) examples: Vec<String>,
}

impl Examples {
    pub(crate) const MAX: usize = 5;

    pub(crate) fn add(&mut self, example: &str) {
        self.count += 1;
        if self.examples.len() < Self::MAX && !self.examples.iter().any(|e| e == example) {
            self.examples.push(example.to_owned());
        }
    }

    pub(crate) fn list(&self) -> String {
        self.examples.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_capacity_and_counts_the_rest() {
        let mut d = Diagnostics::new(2);
        for i in 0..5 {
            d.push(format!("e{i}"), "bad");
        }
        assert_eq!(d.len(), 5);
        let out = d.finish();
        // 2 kept + 1 line saying 3 more were dropped.
        assert_eq!(out.len(), 3);
        assert_eq!(out[1].entry, "e1");
        assert!(out[2].message.starts_with("3 more problems"));
    }
}
