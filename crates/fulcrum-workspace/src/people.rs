//! `people.csv`: one person a row.
//!
//! Columns (header required, any order, names case-insensitive): `email`
//! (required), `name`, `team`, `tz`, `working_hours`, `aliases` (separated by
//! `;` or spaces). Empty cells take the `[team]` defaults. Unknown columns
//! are errors, like unknown keys in `fulcrum.toml`.
//!
//! Line numbers are counted from the bytes (LF and CRLF files alike). A row
//! longer than [`MAX_CSV_ROW_BYTES`] is skipped before the CSV reader would
//! hold it, and a field longer than [`MAX_CSV_FIELD_BYTES`] is refused:
//! both are errors at their line.

use crate::config::{PersonSpec, Team, local_part};
use crate::error::{ConfigError, ConfigErrors};
use crate::hours::parse_working_hours;
use chrono_tz::Tz;
use fulcrum_model::limits::{MAX_CSV_FIELD_BYTES, MAX_CSV_ROW_BYTES, human_bytes};
use std::borrow::Cow;

const COLUMNS: &[&str] = &["email", "name", "team", "tz", "working_hours", "aliases"];

/// Parses people.csv text; `file` names it in errors.
pub fn parse_people_csv(
    text: &str,
    file: &str,
    team: &Team,
) -> Result<Vec<PersonSpec>, ConfigErrors> {
    let mut errors = Vec::new();
    let err = |line: Option<u64>, key: Option<&str>, message: String| ConfigError {
        file: file.to_owned(),
        line: line.and_then(|l| u32::try_from(l).ok()),
        key: key.map(str::to_owned),
        message,
    };
    let mut long_rows = Vec::new();
    let text = without_overlong_rows(text, |line, len| {
        long_rows.push(err(
            Some(line),
            None,
            format!(
                "the row is {} long, more than the {} a row may have; row skipped",
                human_bytes(len as u64),
                human_bytes(MAX_CSV_ROW_BYTES as u64)
            ),
        ));
    });
    let mut lines = LineCounter::new(&text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(ConfigErrors(vec![err(
                Some(1),
                None,
                format!("cannot read the header: {e}"),
            )]));
        }
    };
    let mut index = [None; 6];
    for (i, h) in headers.iter().enumerate() {
        let h = h.to_ascii_lowercase();
        match COLUMNS.iter().position(|c| *c == h) {
            Some(c) => index[c] = Some(i),
            None => errors.push(err(
                Some(1),
                Some(&h),
                format!("unknown column (known: {})", COLUMNS.join(", ")),
            )),
        }
    }
    if index[0].is_none() {
        errors.push(err(
            Some(1),
            Some("email"),
            "the required column is missing".to_owned(),
        ));
    }
    if !errors.is_empty() {
        return Err(ConfigErrors(errors));
    }
    let mut people = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| lines.line_at(p.byte()));
                errors.push(err(line, None, format!("cannot read the row: {e}")));
                continue;
            }
        };
        let line = record.position().map(|p| lines.line_at(p.byte()));
        if let Some((i, field)) = record
            .iter()
            .enumerate()
            .find(|(_, f)| f.len() > MAX_CSV_FIELD_BYTES)
        {
            let column = index.iter().position(|c| *c == Some(i)).map(|c| COLUMNS[c]);
            errors.push(err(
                line,
                column,
                format!(
                    "the field is {} long, more than the {} a field may have; row skipped",
                    human_bytes(field.len() as u64),
                    human_bytes(MAX_CSV_FIELD_BYTES as u64)
                ),
            ));
            continue;
        }
        let cell = |c: usize| {
            index[c]
                .and_then(|i| record.get(i))
                .filter(|s| !s.is_empty())
        };
        let Some(email) = cell(0).map(str::to_lowercase) else {
            errors.push(err(line, Some("email"), "empty email".to_owned()));
            continue;
        };
        if !email.contains('@') {
            errors.push(err(
                line,
                Some("email"),
                format!("{email:?} is not an email address"),
            ));
            continue;
        }
        let tz = match cell(3) {
            Some(name) => match name.parse::<Tz>() {
                Ok(tz) => Some(tz),
                Err(_) => {
                    errors.push(err(
                        line,
                        Some("tz"),
                        format!("{name:?} is not an IANA time zone"),
                    ));
                    None
                }
            },
            None => None,
        };
        let working_hours = match cell(4) {
            Some(h) => match parse_working_hours(h) {
                Ok(h) => h,
                Err(why) => {
                    errors.push(err(line, Some("working_hours"), why));
                    team.working_hours.clone()
                }
            },
            None => team.working_hours.clone(),
        };
        let aliases = cell(5)
            .map(|a| {
                a.split([';', ' ', '\t'])
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        people.push(PersonSpec {
            name: cell(1)
                .map(str::to_owned)
                .unwrap_or_else(|| local_part(&email)),
            team: cell(2)
                .map(str::to_owned)
                .unwrap_or_else(|| team.name.clone()),
            email,
            tz,
            working_hours,
            aliases,
            origin: format!("{file}:{}", line.unwrap_or(0)),
        });
    }
    // In line order, the rows skipped for their length among the others.
    errors.append(&mut long_rows);
    errors.sort_by_key(|e| e.line);
    if errors.is_empty() {
        Ok(people)
    } else {
        Err(ConfigErrors(errors))
    }
}

/// `text` with the content of every line longer than
/// [`MAX_CSV_ROW_BYTES`] removed (its line end kept, so later lines keep
/// their numbers); `skipped` hears of each (line number, length).
fn without_overlong_rows(text: &str, mut skipped: impl FnMut(u64, usize)) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut start = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.len() > MAX_CSV_ROW_BYTES {
            skipped(number as u64 + 1, content.len());
            // The lines before it, copied once the first long one is met.
            let kept = out.get_or_insert_with(|| text[..start].to_owned());
            kept.push_str(&line[content.len()..]);
        } else if let Some(kept) = out.as_mut() {
            kept.push_str(line);
        }
        start += line.len();
    }
    match out {
        Some(kept) => Cow::Owned(kept),
        None => Cow::Borrowed(text),
    }
}

/// Line numbers of byte offsets, counted forward from the last one asked
/// (the CSV reader's own count is off by one per CRLF line end).
struct LineCounter<'t> {
    text: &'t [u8],
    at: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line of byte `offset` (offsets asked in increasing
    /// order; an earlier one restarts the count).
    fn line_at(&mut self, offset: u64) -> u64 {
        let mut offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        // After a CRLF the reader's position is the LF (it ends a record
        // at the CR): a record starts after the line end.
        while matches!(self.text.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        if offset < self.at {
            self.at = 0;
            self.line = 1;
        }
        self.line += self.text[self.at..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.at = offset;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::default_team;

    #[test]
    fn rows_with_defaults_and_aliases() {
        let text = "email,name,team,tz,working_hours,aliases\n\
                    ana@acme.com,Ana R,platform,Europe/Lisbon,Mon-Fri 09:00-17:00,U024BE7LH;ana.r@acme.com\n\
                    Bo@Acme.com,,,,,\n";
        let people = parse_people_csv(text, "people.csv", &default_team()).unwrap();
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].aliases, ["U024BE7LH", "ana.r@acme.com"]);
        assert_eq!(people[0].origin, "people.csv:2");
        assert_eq!(
            (
                people[1].email.as_str(),
                people[1].name.as_str(),
                people[1].team.as_str()
            ),
            ("bo@acme.com", "bo", "team")
        );
        assert_eq!(people[1].tz, None);
    }

    #[test]
    fn errors_name_line_and_column() {
        let text = "email,tz,working_hours\nana@acme.com,Nowhere/City,Mon-Fri 09:00-17:00\nbo@acme.com,UTC,Mon 18:00-08:00\n";
        let err = parse_people_csv(text, "people.csv", &default_team()).unwrap_err();
        let got: Vec<(Option<u32>, Option<&str>)> =
            err.0.iter().map(|e| (e.line, e.key.as_deref())).collect();
        assert_eq!(
            got,
            [(Some(2), Some("tz")), (Some(3), Some("working_hours"))]
        );
        let err = parse_people_csv("mail,name\n", "people.csv", &default_team()).unwrap_err();
        assert_eq!(err.0.len(), 2); // unknown "mail", missing "email"
    }

    #[test]
    fn crlf_errors_cite_the_right_line() {
        // Windows line ends: the bad time zone is on line 3, the bad hours
        // on line 5 (line 4 is Cy's, valid).
        let text = "email,tz,working_hours\r\nana@acme.com,UTC,\r\nbo@acme.com,Nowhere/City,\r\n\
                    cy@acme.com,UTC,\r\ndi@acme.com,UTC,Mon 18:00-08:00\r\n";
        let err = parse_people_csv(text, "people.csv", &default_team()).unwrap_err();
        let got: Vec<(Option<u32>, Option<&str>)> =
            err.0.iter().map(|e| (e.line, e.key.as_deref())).collect();
        assert_eq!(
            got,
            [(Some(3), Some("tz")), (Some(5), Some("working_hours"))]
        );
        let people = parse_people_csv(
            "email,name\r\nana@acme.com,Ana\r\nbo@acme.com,Bo\r\n",
            "people.csv",
            &default_team(),
        )
        .unwrap();
        assert_eq!(people[1].origin, "people.csv:3");
    }

    #[test]
    fn overlong_fields_are_refused_with_their_line() {
        // A name of 100 KiB on line 3 (over the 64 KiB a field may have)
        // and one of 2 MiB on line 5 (over the 1 MiB a row may have): each
        // an error at its line, the field's with its column; the other
        // rows are read. The messages do not repeat the field.
        let long = "x".repeat(100 << 10);
        let longer = "y".repeat(2 << 20);
        let text = format!(
            "email,name\r\nana@acme.com,Ana\r\nbo@acme.com,{long}\r\ncy@acme.com,Cy\r\n\
             di@acme.com,{longer}\r\nel@acme.com,El\r\n"
        );
        let err = parse_people_csv(&text, "people.csv", &default_team()).unwrap_err();
        let got: Vec<(Option<u32>, Option<&str>, &str)> = err
            .0
            .iter()
            .map(|e| (e.line, e.key.as_deref(), e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some(3),
                    Some("name"),
                    "the field is 100 KiB long, more than the 64 KiB a field may have; row skipped"
                ),
                (
                    Some(5),
                    None,
                    "the row is 2.0 MiB long, more than the 1 MiB a row may have; row skipped"
                ),
            ]
        );
    }
}
