//! Content lines (RFC 5545 section 3.1) from raw bytes.
//!
//! Unfolding happens at the octet level, before any decoding: a fold may
//! split a multi-byte UTF-8 character, and only the joined bytes decode. The
//! lexer tolerates a byte order mark, LF-only and lone-CR line ends, blank
//! lines, and whitespace around names; text that is not UTF-8 is decoded
//! lossily and reported once per file.

use crate::diag::Diagnostics;

/// One property parameter, `NAME=value[,value]`, names upper-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Upper-cased name.
    pub name: String,
    /// Values, with quotes removed and RFC 6868 escapes decoded.
    pub values: Vec<String>,
}

/// One unfolded, decoded content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLine {
    /// Upper-cased property name.
    pub name: String,
    /// Parameters in order.
    pub params: Vec<Param>,
    /// The raw value (escapes not decoded: that depends on the value type).
    pub value: String,
    /// 1-based line number of the first physical line.
    pub line: u32,
}

impl ContentLine {
    /// The first value of a parameter, by upper-case name.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.values.first())
            .map(String::as_str)
    }
}

/// Iterator over the logical lines of an iCalendar stream.
pub struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    buf: Vec<u8>,
    /// Line of the first undecodable text, and how many lines had it.
    lossy: Option<(u32, u32)>,
}

impl<'a> Lexer<'a> {
    /// A lexer over `bytes`; a leading UTF-8 byte order mark is skipped.
    pub fn new(bytes: &'a [u8]) -> Self {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        Lexer {
            bytes,
            pos: 0,
            line: 0,
            buf: Vec::with_capacity(256),
            lossy: None,
        }
    }

    /// Reads one physical line; returns its bytes without the line end.
    fn physical(&mut self) -> Option<&'a [u8]> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let rest = &self.bytes[self.pos..];
        let end = rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
        let line = &rest[..end];
        let mut next = self.pos + end;
        if next < self.bytes.len() {
            // CRLF, LF or a lone CR all end a line.
            if self.bytes[next] == b'\r' && self.bytes.get(next + 1) == Some(&b'\n') {
                next += 2;
            } else {
                next += 1;
            }
        }
        self.pos = next;
        self.line += 1;
        Some(line)
    }

    fn peek_is_continuation(&self) -> bool {
        matches!(self.bytes.get(self.pos), Some(b' ') | Some(b'\t'))
    }

    /// The next logical line as bytes plus its first line number, skipping
    /// blank lines.
    fn next_logical(&mut self) -> Option<(u32, &[u8])> {
        loop {
            let first = self.physical()?;
            let start_line = self.line;
            if !self.peek_is_continuation() {
                if first.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                // The common case: no fold, no copy.
                self.buf.clear();
                self.buf.extend_from_slice(first);
                return Some((start_line, &self.buf));
            }
            self.buf.clear();
            self.buf.extend_from_slice(first);
            while self.peek_is_continuation() {
                let cont = self.physical().unwrap_or_default();
                self.buf.extend_from_slice(&cont[1..]);
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some((start_line, &self.buf));
        }
    }

    /// The next content line, or `None` at the end. Lines without a colon are
    /// reported and skipped.
    pub fn next_line(&mut self, diags: &mut Diagnostics) -> Option<ContentLine> {
        loop {
            let (line_no, raw) = self.next_logical()?;
            let (text, lossy) = match std::str::from_utf8(raw) {
                Ok(s) => (std::borrow::Cow::Borrowed(s), false),
                Err(_) => (String::from_utf8_lossy(raw), true),
            };
            let text = text.into_owned();
            if lossy {
                self.lossy = Some(match self.lossy {
                    None => (line_no, 1),
                    Some((first, n)) => (first, n + 1),
                });
            }
            match split_content_line(&text, line_no) {
                Some(cl) => return Some(cl),
                None => diags.warn(
                    Some(line_no),
                    "line is not a property (no `NAME:value`); skipped",
                    Some("check that long lines are folded with a leading space"),
                ),
            }
        }
    }

    /// Reports undecodable text, once for the whole file.
    pub fn finish(&self, diags: &mut Diagnostics) {
        if let Some((first, n)) = self.lossy {
            diags.warn(
                Some(first),
                format!("{n} line(s) are not valid UTF-8; decoded with replacement characters"),
                Some("re-export the calendar as UTF-8 to keep names and titles intact"),
            );
        }
    }
}

/// Splits `NAME;P=V;Q="a:b":value` into its parts. `None` when there is no
/// colon or no name.
fn split_content_line(text: &str, line: u32) -> Option<ContentLine> {
    let bytes = text.as_bytes();
    let name_end = bytes.iter().position(|&b| b == b';' || b == b':')?;
    let name = text[..name_end].trim();
    if name.is_empty() {
        return None;
    }
    let mut params = Vec::new();
    let mut i = name_end;
    while i < bytes.len() && bytes[i] == b';' {
        i += 1;
        let pstart = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b';' | b':') {
            i += 1;
        }
        let pname = text[pstart..i].trim().to_ascii_uppercase();
        let mut values = Vec::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            loop {
                let (value, next) = param_value(text, i);
                values.push(value);
                i = next;
                if i < bytes.len() && bytes[i] == b',' {
                    i += 1;
                } else {
                    break;
                }
            }
        }
        if !pname.is_empty() {
            params.push(Param {
                name: pname,
                values,
            });
        }
    }
    if i >= bytes.len() || bytes[i] != b':' {
        return None;
    }
    Some(ContentLine {
        name: name.to_ascii_uppercase(),
        params,
        value: text[i + 1..].to_owned(),
        line,
    })
}

/// One parameter value starting at `i`: quoted or bare. Returns the decoded
/// value and the index after it.
fn param_value(text: &str, mut i: usize) -> (String, usize) {
    let bytes = text.as_bytes();
    if i < bytes.len() && bytes[i] == b'"' {
        let start = i + 1;
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'"')
            .map(|p| start + p);
        match end {
            Some(end) => (decode_caret(&text[start..end]), end + 1),
            // An unterminated quote: take the rest up to the value colon.
            None => {
                let stop = bytes[start..]
                    .iter()
                    .position(|&b| b == b':')
                    .map_or(bytes.len(), |p| start + p);
                (decode_caret(&text[start..stop]), stop)
            }
        }
    } else {
        let start = i;
        while i < bytes.len() && !matches!(bytes[i], b',' | b';' | b':') {
            i += 1;
        }
        (decode_caret(text[start..i].trim()), i)
    }
}

/// RFC 6868 parameter value escapes: `^n` newline, `^'` quote, `^^` caret.
fn decode_caret(s: &str) -> String {
    if !s.contains('^') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '^' {
            match chars.peek() {
                Some('n') | Some('N') => {
                    out.push('\n');
                    chars.next();
                }
                Some('\'') => {
                    out.push('"');
                    chars.next();
                }
                Some('^') => {
                    out.push('^');
                    chars.next();
                }
                _ => out.push('^'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn lines(bytes: &[u8]) -> (Vec<ContentLine>, Diagnostics) {
        let mut d = Diagnostics::new(Arc::from("t.ics"));
        let mut lx = Lexer::new(bytes);
        let mut out = Vec::new();
        while let Some(l) = lx.next_line(&mut d) {
            out.push(l);
        }
        lx.finish(&mut d);
        (out, d)
    }

    #[test]
    fn unfolds_a_split_utf8_character_at_the_octet_level() {
        // "é" is C3 A9; the fold puts CRLF SPACE between the two octets.
        let (ls, d) = lines(b"SUMMARY:Caf\xC3\r\n \xA9 time\r\n");
        assert_eq!(ls[0].value, "Café time");
        assert!(d.as_slice().is_empty());
    }

    #[test]
    fn tolerates_bom_lf_and_lone_cr() {
        let (ls, _) = lines(b"\xEF\xBB\xBFBEGIN:VCALENDAR\nVERSION:2.0\rEND:VCALENDAR");
        let names: Vec<_> = ls.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["BEGIN", "VERSION", "END"]);
        assert_eq!(ls[1].line, 2);
        assert_eq!(ls[2].line, 3);
    }

    #[test]
    fn quoted_params_may_hold_colons_and_semicolons() {
        let (ls, _) = lines(
            b"ATTENDEE;CN=\"Doe; Jane: PM\";ROLE=REQ-PARTICIPANT;DELEGATED-TO=\"a\",\"b\":mailto:j@x.org\n",
        );
        let l = &ls[0];
        assert_eq!(l.param("CN"), Some("Doe; Jane: PM"));
        assert_eq!(l.params[2].values, ["a", "b"]);
        assert_eq!(l.value, "mailto:j@x.org");
    }

    #[test]
    fn rfc6868_escapes() {
        let (ls, _) = lines(b"ATTENDEE;CN=George Herman ^'Babe^' Ruth:mailto:b@x.org\n");
        assert_eq!(ls[0].param("CN"), Some("George Herman \"Babe\" Ruth"));
    }

    #[test]
    fn non_utf8_is_decoded_lossily_with_one_warning() {
        let (ls, d) = lines(b"SUMMARY:Caf\xE9\nLOCATION:M\xFCnchen\n");
        assert_eq!(ls[0].value, "Caf\u{FFFD}");
        assert_eq!(d.as_slice().len(), 1);
        assert_eq!(d.as_slice()[0].line, Some(1));
        assert!(d.as_slice()[0].message.starts_with("2 line(s)"));
    }

    #[test]
    fn a_line_without_colon_is_reported_with_its_number() {
        let (ls, d) = lines(b"BEGIN:VEVENT\nGARBAGE\nEND:VEVENT\n");
        assert_eq!(ls.len(), 2);
        assert_eq!(d.as_slice()[0].line, Some(2));
    }
}
