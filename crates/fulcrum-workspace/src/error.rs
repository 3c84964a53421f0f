//! Located configuration errors: file, line, key, what is wrong.

use std::fmt;

/// One problem in `fulcrum.toml` or `people.csv`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// The file, as given by the caller (e.g. `fulcrum.toml`).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// The key or column (`people[2].tz`, `policy.min_group_size`, `tz`), when known.
    pub key: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        match &self.key {
            Some(key) => write!(f, ": `{key}`: {}", self.message),
            None => write!(f, ": {}", self.message),
        }
    }
}

/// All the problems found in one file (never empty).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// The 1-based line of byte offset `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let newlines = memchr_count(&text.as_bytes()[..end]);
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

fn memchr_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_key() {
        let e = ConfigError {
            file: "fulcrum.toml".into(),
            line: Some(7),
            key: Some("people[1].tz".into()),
            message: "bad".into(),
        };
        assert_eq!(e.to_string(), "fulcrum.toml:7: `people[1].tz`: bad");
        assert_eq!(line_of("a\nb\nc", 4), 3);
        assert_eq!(line_of("abc", 99), 1);
    }
}
