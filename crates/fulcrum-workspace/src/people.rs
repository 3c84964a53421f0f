//! `people.csv`: one person a row.
//!
//! Columns (header required, any order, names case-insensitive): `email`
//! (required), `name`, `team`, `tz`, `working_hours`, `aliases` (separated by
//! `;` or spaces). Empty cells take the `[team]` defaults. Unknown columns
//! are errors, like unknown keys in `fulcrum.toml`.

use crate::config::{PersonSpec, Team, local_part};
use crate::error::{ConfigError, ConfigErrors};
use crate::hours::parse_working_hours;
use chrono_tz::Tz;

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
                let line = e.position().map(|p| p.line());
                errors.push(err(line, None, format!("cannot read the row: {e}")));
                continue;
            }
        };
        let line = record.position().map(|p| p.line());
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
    if errors.is_empty() {
        Ok(people)
    } else {
        Err(ConfigErrors(errors))
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
}
