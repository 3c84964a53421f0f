//! Sizes past which input is not believed: one place for the limits every
//! reader applies, so that a line, a field or a metadata file too large to
//! be real is refused with a located message instead of filling memory.
//!
//! Each limit is far above what real exports hold (the figures say why) and
//! far below what would hurt a laptop.

/// Longest line kept in memory: a Mattermost export's JSON line (a post
/// with all its replies), an iCalendar content line once unfolded (an
/// inline base64 attachment of a few megabytes is the largest seen). A
/// longer line is skipped and reported at its line number.
pub const MAX_LINE_BYTES: u64 = 64 << 20;

/// Longest CSV row (one physical line) read from `people.csv`: a row is a
/// handful of short fields, so a row of a mebibyte is not a person. It is
/// skipped and reported before the CSV reader would hold it.
pub const MAX_CSV_ROW_BYTES: usize = 1 << 20;

/// Longest CSV field (a name, an email, a list of aliases): longer ones are
/// refused with their line and column.
pub const MAX_CSV_FIELD_BYTES: usize = 64 << 10;

/// Largest chat metadata file (`users.json`, `channels.json`, ...), held
/// in memory while its elements are parsed: a Slack user record is about
/// 2 KiB, so 256 MiB is over 100,000 users.
pub const MAX_METADATA_BYTES: u64 = 256 << 20;

/// A byte count as people read it: `64 MiB`, `256 KiB`, `900 B`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if n >= size && n.is_multiple_of(size) {
            return format!("{} {unit}", n / size);
        }
    }
    for (size, unit) in UNITS {
        if n >= size {
            return format!("{:.1} {unit}", n as f64 / size as f64);
        }
    }
    format!("{n} B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_as_people_write_them() {
        assert_eq!(human_bytes(MAX_LINE_BYTES), "64 MiB");
        assert_eq!(human_bytes(MAX_CSV_FIELD_BYTES as u64), "64 KiB");
        assert_eq!(human_bytes(1 << 30), "1 GiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(900), "900 B");
    }
}
