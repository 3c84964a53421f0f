//! The report as CSV: one row per team-week (and per person-week when
//! individuals are allowed), one column per signal holding its headline
//! value (the number a threshold compares: medians for team aggregates of
//! person signals, shares as fractions). An unknown value is an empty cell
//! and its reason is listed in the last column, `unknown`
//! (`signal=reason;...`), so an empty cell is never read as 0.

use super::{Report, WeekView};
use fulcrum_analysis::SignalId;
use std::io::{self, Write};

/// A CSV field: quoted (with doubled quotes) when it holds a comma, a
/// quote or a line break. Every CSV writer of the crate uses it.
pub(crate) fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// A number rounded to 6 decimals, as the JSON writes it; a negative zero
/// (an empty float sum, or a tiny negative rounded away) is written `0`.
pub(crate) fn number(x: f64) -> String {
    let r = (x * 1e6).round() / 1e6;
    // Adding 0.0 turns -0.0 into 0.0 and leaves every other value as it is.
    format!("{}", r + 0.0)
}

fn row(out: &mut dyn Write, lead: [&str; 4], week: &WeekView) -> io::Result<()> {
    let mut line: Vec<String> = lead.iter().map(|s| field(s)).collect();
    let mut unknown = Vec::new();
    for id in SignalId::ALL {
        match week.cell(*id) {
            Some(c) => {
                line.push(c.value.map(number).unwrap_or_default());
                if c.value.is_none() {
                    unknown.push(format!("{}={}", id.as_str(), c.reason.unwrap_or("unknown")));
                }
            }
            None => line.push(String::new()),
        }
    }
    line.push(field(&unknown.join(";")));
    writeln!(out, "{}", line.join(","))
}

/// Writes the header and every row.
pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut header = vec!["scope", "team", "person", "week"];
    header.extend(SignalId::ALL.iter().map(SignalId::as_str));
    header.push("unknown");
    writeln!(out, "{}", header.join(","))?;
    for t in &r.teams {
        for w in &t.weeks {
            row(out, ["team", &t.name, "", &w.week.to_string()], w)?;
        }
    }
    for p in r.people.iter().flatten() {
        for w in &p.weeks {
            row(out, ["person", &p.team, &p.email, &w.week.to_string()], w)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_to_six_decimals_and_never_print_a_negative_zero() {
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(-0.0000001), "0");
        assert_eq!(number(0.1234567), "0.123457");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(number(0.0_f64 + [0.0_f64; 0].iter().sum::<f64>()), "0");
        assert_eq!(number([0.0_f64; 0].iter().sum::<f64>()), "0");
    }
}
