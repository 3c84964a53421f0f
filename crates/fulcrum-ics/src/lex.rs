//! Content lines (RFC 5545 section 3.1) from raw bytes.
//!
//! Unfolding happens at the octet level, before any decoding: a fold may
//! split a multi-byte UTF-8 character, and only the joined bytes decode. The
//! lexer tolerates a byte order mark, LF-only and lone-CR line ends, blank
//! lines, and whitespace around names; text that is not UTF-8 is decoded
//! lossily and reported once per file.
//!
//! A [`ContentLine`] borrows its name, parameter text and value from the
//! file's bytes: most lines are read once and dropped, and copying each part
//! of each line was once half the cost of reading a calendar. A part is
//! copied only when it has to be: when it spans a fold (its bytes are not contiguous in the file), when
//! the line is not valid UTF-8 (the replacement characters exist nowhere in
//! the file), or when a name has lower-case letters (names are compared in
//! upper case). Parameters are kept as their text and read on demand by
//! [`ContentLine::param`]: the lexer only finds where they end, since a
//! quoted parameter may hold the colon that would otherwise start the value.

use crate::diag::Diagnostics;
use fulcrum_model::limits::{MAX_LINE_BYTES, human_bytes};
use std::borrow::Cow;
use std::ops::Range;

/// One unfolded, decoded content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLine<'a> {
    /// Upper-cased property name.
    pub name: Cow<'a, str>,
    /// The parameters as written, from the `;` before the first one up to
    /// the value's colon (excluded); empty when there are none. Read them
    /// with [`ContentLine::params`] and [`ContentLine::param`].
    pub raw_params: Cow<'a, str>,
    /// The raw value (escapes not decoded: that depends on the value type).
    pub value: Cow<'a, str>,
    /// 1-based line number of the first physical line.
    pub line: u32,
}

impl ContentLine<'_> {
    /// The first value of the first parameter called `name` (compared
    /// without regard to ASCII case), quotes removed and RFC 6868 escapes
    /// decoded.
    pub fn param(&self, name: &str) -> Option<Cow<'_, str>> {
        self.params()
            .find(|p| p.is(name))
            .and_then(|p| p.values().next())
    }

    /// [`ContentLine::param`] for several names in one reading of the
    /// parameters (an attendee line has half a dozen).
    pub fn params_named<const N: usize>(&self, names: [&str; N]) -> [Option<Cow<'_, str>>; N] {
        let mut out = std::array::from_fn(|_| None);
        let mut found = [false; N];
        for p in self.params() {
            for (k, name) in names.iter().enumerate() {
                if !found[k] && p.is(name) {
                    found[k] = true;
                    out[k] = p.values().next();
                }
            }
            if found.iter().all(|&f| f) {
                break;
            }
        }
        out
    }

    /// The parameters in order. Parameters with an empty name are left out.
    pub fn params(&self) -> Params<'_> {
        Params {
            text: &self.raw_params,
            at: 0,
        }
    }
}

/// Iterator over the parameters of a content line.
#[derive(Debug, Clone)]
pub struct Params<'l> {
    text: &'l str,
    at: usize,
}

/// One property parameter, `NAME=value[,value]`, read from the line's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param<'l> {
    /// The name as written, trimmed; names are case-insensitive, so compare
    /// with [`Param::is`].
    pub name: &'l str,
    text: &'l str,
    /// Where the value list starts in `text`, when there is an `=`.
    values_at: Option<usize>,
}

impl<'l> Param<'l> {
    /// True when the parameter is called `name`, ignoring ASCII case.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The values, with quotes removed and RFC 6868 escapes decoded.
    pub fn values(&self) -> ParamValues<'l> {
        ParamValues {
            text: self.text,
            at: self.values_at,
        }
    }
}

/// Iterator over the values of one parameter.
#[derive(Debug, Clone)]
pub struct ParamValues<'l> {
    text: &'l str,
    /// Where the next value starts; `None` after the last.
    at: Option<usize>,
}

impl<'l> Iterator for Params<'l> {
    type Item = Param<'l>;

    fn next(&mut self) -> Option<Param<'l>> {
        let bytes = self.text.as_bytes();
        while bytes.get(self.at) == Some(&b';') {
            let (name, values_at, end) = param_span(self.text, self.at + 1);
            self.at = end;
            if !name.is_empty() {
                return Some(Param {
                    name: &self.text[name],
                    text: self.text,
                    values_at,
                });
            }
        }
        None
    }
}

impl<'l> Iterator for ParamValues<'l> {
    type Item = Cow<'l, str>;

    fn next(&mut self) -> Option<Cow<'l, str>> {
        let at = self.at?;
        let (content, next) = value_span(self.text, at);
        self.at = (self.text.as_bytes().get(next) == Some(&b',')).then_some(next + 1);
        Some(decode_caret(&self.text[content.trimmed(self.text)]))
    }
}

/// Iterator over the logical lines of an iCalendar stream.
pub struct Lexer<'a> {
    unfold: Unfolder<'a>,
    /// Line of the first undecodable text, and how many lines had it.
    lossy: Option<(u32, u32)>,
    /// Lines skipped for their length since the last call: (line, bytes).
    too_long: Vec<(u32, usize)>,
}

impl<'a> Lexer<'a> {
    /// A lexer over `bytes`; a leading UTF-8 byte order mark is skipped.
    pub fn new(bytes: &'a [u8]) -> Self {
        // One check for the whole file instead of one a line: line ends are
        // ASCII, so every line of a UTF-8 file is UTF-8 on its own.
        Self::with_check(bytes, true)
    }

    /// A lexer for a reader that decodes only a few lines
    /// ([`Lexer::next_raw`]): checking the whole file would cost more than
    /// checking those lines one by one.
    pub(crate) fn for_few_lines(bytes: &'a [u8]) -> Self {
        Self::with_check(bytes, false)
    }

    fn with_check(bytes: &'a [u8], check_whole_file: bool) -> Self {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        Lexer {
            unfold: Unfolder {
                input: Input {
                    bytes,
                    text: if check_whole_file {
                        std::str::from_utf8(bytes).ok()
                    } else {
                        None
                    },
                },
                pos: 0,
                line: 0,
                joined: Vec::with_capacity(256),
                segments: Vec::with_capacity(8),
            },
            lossy: None,
            too_long: Vec::new(),
        }
    }

    /// The next content line, or `None` at the end. Lines without a colon are
    /// reported and skipped, and so are lines longer than
    /// [`MAX_LINE_BYTES`] once unfolded (never held whole).
    pub fn next_line(&mut self, diags: &mut Diagnostics) -> Option<ContentLine<'a>> {
        loop {
            let raw = self.unfold.next_logical(&mut self.too_long);
            for (line, len) in self.too_long.drain(..) {
                diags.error(
                    Some(line),
                    format!(
                        "the line is {} long, more than the {} a line may have; skipped",
                        human_bytes(len as u64),
                        human_bytes(MAX_LINE_BYTES)
                    ),
                    Some("check the export: no calendar property is that long (an attachment inlined in the file?)"),
                );
            }
            let raw = raw?;
            let line_no = raw.line;
            let (content, lossy) = raw.content();
            if lossy {
                self.lossy = Some(match self.lossy {
                    None => (line_no, 1),
                    Some((first, n)) => (first, n + 1),
                });
            }
            match content {
                Some(cl) => return Some(cl),
                None => diags.warn(
                    Some(line_no),
                    "line is not a property (no `NAME:value`); skipped",
                    Some("check that long lines are folded with a leading space"),
                ),
            }
        }
    }

    /// The next logical line, unfolded but not decoded or split, for readers
    /// that look only at some properties (see [`crate::span`]). Such a reader
    /// reports nothing, so undecodable text is not counted here.
    #[inline]
    pub(crate) fn next_raw(&mut self) -> Option<RawLine<'a, '_>> {
        // Lines skipped for their length stay noted, for a reader that must
        // leave them to the parse ([`Lexer::skipped_long_lines`]).
        self.unfold.next_logical(&mut self.too_long)
    }

    /// True when [`Lexer::next_raw`] passed over a line too long to read
    /// since the last [`Lexer::rewind`]: the parse reports it.
    pub(crate) fn skipped_long_lines(&self) -> bool {
        !self.too_long.is_empty()
    }

    /// Where the lexer is, to come back to with [`Lexer::rewind`].
    pub(crate) fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            pos: self.unfold.pos,
            line: self.unfold.line,
        }
    }

    /// Goes back to a [`Lexer::checkpoint`]: the lines after it are read
    /// again. Only for a reader that read them with [`Lexer::next_raw`],
    /// which counts nothing.
    pub(crate) fn rewind(&mut self, to: Checkpoint) {
        self.unfold.pos = to.pos;
        self.unfold.line = to.line;
        // Read again from there, and reported then.
        self.too_long.clear();
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

/// A place in the file to come back to ([`Lexer::checkpoint`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checkpoint {
    pos: usize,
    line: u32,
}

/// The file's bytes, and its text when all of it is UTF-8 and was checked.
#[derive(Clone, Copy)]
struct Input<'a> {
    bytes: &'a [u8],
    text: Option<&'a str>,
}

impl<'a> Input<'a> {
    /// The bytes at `r` as text, when they are UTF-8.
    fn text_at(&self, r: Range<usize>) -> Option<&'a str> {
        match self.text {
            Some(text) => text.get(r),
            None => std::str::from_utf8(self.bytes.get(r)?).ok(),
        }
    }
}

/// Physical lines joined into logical ones.
struct Unfolder<'a> {
    input: Input<'a>,
    pos: usize,
    line: u32,
    /// The bytes of the current folded line, joined (reused between lines).
    joined: Vec<u8>,
    /// Where each piece of `joined` lies in the file.
    segments: Vec<Segment>,
}

/// One physical piece of a folded line: `len` bytes at `joined` in the
/// joined line come from `input` in the file.
#[derive(Debug, Clone, Copy)]
struct Segment {
    joined: usize,
    input: usize,
    len: usize,
}

impl<'a> Unfolder<'a> {
    /// Reads one physical line; returns where it starts and its bytes
    /// without the line end.
    #[inline]
    fn physical(&mut self) -> Option<(usize, &'a [u8])> {
        let start = self.pos;
        let rest = self.input.bytes.get(start..).filter(|r| !r.is_empty())?;
        let end = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
        let line = &rest[..end];
        // CRLF, LF or a lone CR all end a line.
        let ending = match rest.get(end..) {
            Some([b'\r', b'\n', ..]) => 2,
            Some([_, ..]) => 1,
            _ => 0,
        };
        self.pos = start + end + ending;
        self.line += 1;
        Some((start, line))
    }

    fn peek_is_continuation(&self) -> bool {
        matches!(self.input.bytes.get(self.pos), Some(b' ') | Some(b'\t'))
    }

    /// The next logical line, skipping blank lines.
    #[inline]
    /// The next logical line; lines longer than [`MAX_LINE_BYTES`] once
    /// unfolded are passed over (never joined) and noted in `too_long`.
    fn next_logical(&mut self, too_long: &mut Vec<(u32, usize)>) -> Option<RawLine<'a, '_>> {
        let max = usize::try_from(MAX_LINE_BYTES).unwrap_or(usize::MAX);
        loop {
            let (start, first) = self.physical()?;
            let line = self.line;
            if !self.peek_is_continuation() {
                if is_blank(first) {
                    continue;
                }
                if first.len() > max {
                    too_long.push((line, first.len()));
                    continue;
                }
                // The common case: no fold, no copy.
                return Some(RawLine {
                    line,
                    input: self.input,
                    text: Logical::Whole {
                        start,
                        bytes: first,
                    },
                });
            }
            self.joined.clear();
            self.segments.clear();
            let mut total = first.len();
            if total <= max {
                self.joined.extend_from_slice(first);
                self.segments.push(Segment {
                    joined: 0,
                    input: start,
                    len: first.len(),
                });
            }
            while self.peek_is_continuation() {
                let Some((cont_start, cont)) = self.physical() else {
                    break;
                };
                // The continuation's leading space or tab is the fold itself.
                let piece = cont.get(1..).unwrap_or_default();
                total = total.saturating_add(piece.len());
                if total > max {
                    // Too long: the rest is passed over, not joined.
                    continue;
                }
                self.segments.push(Segment {
                    joined: self.joined.len(),
                    input: cont_start + 1,
                    len: piece.len(),
                });
                self.joined.extend_from_slice(piece);
            }
            if total > max {
                too_long.push((line, total));
                self.joined.clear();
                self.segments.clear();
                continue;
            }
            if is_blank(&self.joined) {
                continue;
            }
            return Some(RawLine {
                line,
                input: self.input,
                text: Logical::Folded {
                    joined: &self.joined,
                    segments: &self.segments,
                },
            });
        }
    }
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// A logical line before decoding: `'a` is the file, `'b` the lexer's
/// buffer that holds a folded line until the next call.
pub(crate) struct RawLine<'a, 'b> {
    /// 1-based line number of the first physical line.
    pub(crate) line: u32,
    input: Input<'a>,
    text: Logical<'a, 'b>,
}

enum Logical<'a, 'b> {
    /// One physical line, straight from the file at `start`.
    Whole { start: usize, bytes: &'a [u8] },
    /// Several physical lines joined; `segments` maps the joined bytes back
    /// to the file so that parts within one piece can still borrow.
    Folded {
        joined: &'b [u8],
        segments: &'b [Segment],
    },
}

impl<'a> RawLine<'a, '_> {
    fn bytes(&self) -> &[u8] {
        match self.text {
            Logical::Whole { bytes, .. } => bytes,
            Logical::Folded { joined, .. } => joined,
        }
    }

    /// The property name as [`ContentLine::name`] would hold it, but in the
    /// case it is written in; `None` when the line has no `;` or `:`. A
    /// name that is not UTF-8 comes back as its raw bytes, which match no
    /// name Fulcrum reads, as the replacement characters the lexer would
    /// hold match none. Costs no decoding of the rest of the line.
    #[inline]
    pub(crate) fn name(&self) -> Option<&[u8]> {
        let bytes = self.bytes();
        // Names are short: a plain loop beats a vectorised search here.
        let end = bytes.iter().position(|&b| b == b';' || b == b':')?;
        let name = &bytes[..end];
        // The usual case: visible ASCII at both ends, nothing to trim.
        if name.first().is_some_and(u8::is_ascii_graphic)
            && name.last().is_some_and(u8::is_ascii_graphic)
        {
            return Some(name);
        }
        Some(match std::str::from_utf8(name) {
            Ok(text) => text.trim().as_bytes(),
            Err(_) => name,
        })
    }

    /// The line as text, when it is UTF-8: borrowed from a file checked as
    /// UTF-8 without checking again.
    fn text(&self) -> Option<&str> {
        match self.text {
            Logical::Whole { start, bytes } => self.input.text_at(start..start + bytes.len()),
            Logical::Folded { joined, .. } => std::str::from_utf8(joined).ok(),
        }
    }

    /// True when [`RawLine::content`] gives a property without decoding
    /// lossily: when [`Lexer::next_line`] would return the line and report
    /// nothing. Costs no copy, and usually no split: without a quote before
    /// the first colon after the name, the parameters end at that colon.
    #[inline]
    pub(crate) fn is_property(&self) -> bool {
        let bytes = self.bytes();
        // A file checked as UTF-8 has UTF-8 lines (line ends and folds are
        // ASCII); otherwise the line is checked alone, as `content` does.
        if self.input.text.is_none() && std::str::from_utf8(bytes).is_err() {
            return false;
        }
        let Some(name_end) = memchr::memchr2(b';', b':', bytes) else {
            return false;
        };
        let name = &bytes[..name_end];
        let named = name.iter().any(u8::is_ascii_graphic)
            || std::str::from_utf8(name).is_ok_and(|n| !n.trim().is_empty());
        if !named {
            return false;
        }
        if bytes[name_end] == b':' {
            return true;
        }
        match memchr::memchr2(b'"', b':', &bytes[name_end..]) {
            Some(p) if bytes[name_end + p] == b':' => true,
            Some(_) => self.text().and_then(split).is_some(),
            None => false,
        }
    }

    /// Decodes and splits the line: `None` when it is not a property, and
    /// whether decoding was lossy.
    pub(crate) fn content(&self) -> (Option<ContentLine<'a>>, bool) {
        let line = self.line;
        match self.text {
            Logical::Whole { start, bytes } => match self.input.text_at(start..start + bytes.len())
            {
                Some(text) => (
                    split(text).map(|s| s.build(line, |r| Cow::Borrowed(&text[r]))),
                    false,
                ),
                None => (owned_lossy(bytes, line), true),
            },
            Logical::Folded { joined, segments } => match std::str::from_utf8(joined) {
                Ok(text) => (
                    split(text)
                        .map(|s| s.build(line, |r| borrow_folded(text, segments, self.input, r))),
                    false,
                ),
                Err(_) => (owned_lossy(joined, line), true),
            },
        }
    }
}

/// A line that is not UTF-8: the replacement characters exist only in the
/// decoded copy, so every part is owned.
fn owned_lossy<'a>(bytes: &[u8], line: u32) -> Option<ContentLine<'a>> {
    let text = String::from_utf8_lossy(bytes);
    split(&text).map(|s| s.build(line, |r| Cow::Owned(text[r].to_owned())))
}

/// The part `r` of a folded line: borrowed from the file when it lies within
/// one physical piece (its bytes are then contiguous there), copied when it
/// spans a fold.
fn borrow_folded<'a>(
    text: &str,
    segments: &[Segment],
    input: Input<'a>,
    r: Range<usize>,
) -> Cow<'a, str> {
    if r.is_empty() {
        return Cow::Borrowed("");
    }
    let within = segments
        .iter()
        .find(|s| s.joined <= r.start && r.end <= s.joined + s.len)
        .and_then(|s| {
            // The joined text is UTF-8 and `r` lies on its character
            // boundaries, so these very bytes decode.
            let from = s.input + (r.start - s.joined);
            input.text_at(from..from + r.len())
        });
    match within {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(text[r].to_owned()),
    }
}

/// Where the parts of a content line lie in its text.
struct Shape {
    name: Range<usize>,
    params: Range<usize>,
    value: Range<usize>,
}

impl Shape {
    /// The content line, each part made by `part` from its range.
    fn build<'a>(
        self,
        line: u32,
        mut part: impl FnMut(Range<usize>) -> Cow<'a, str>,
    ) -> ContentLine<'a> {
        ContentLine {
            name: upper_case(part(self.name)),
            raw_params: part(self.params),
            value: part(self.value),
            line,
        }
    }
}

/// `s` in ASCII upper case, copied only when it has lower-case letters.
pub(crate) fn upper_case(s: Cow<'_, str>) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(s.to_ascii_uppercase())
    } else {
        s
    }
}

/// Splits `NAME;P=V;Q="a:b":value` into its parts. `None` when there is no
/// colon or no name.
fn split(text: &str) -> Option<Shape> {
    let bytes = text.as_bytes();
    let name_end = memchr::memchr2(b';', b':', bytes)?;
    let name = trimmed(text, 0..name_end);
    if name.is_empty() {
        return None;
    }
    // The parameters end where the value's colon is: a quoted parameter
    // value may hold a colon of its own.
    let mut i = name_end;
    while bytes.get(i) == Some(&b';') {
        let (_, _, end) = param_span(text, i + 1);
        i = end;
    }
    if bytes.get(i) != Some(&b':') {
        return None;
    }
    Some(Shape {
        name,
        params: name_end..i,
        value: i + 1..bytes.len(),
    })
}

/// One parameter starting at `i` (just after its `;`): the range of its
/// trimmed name, where its values start (when it has an `=`), and the index
/// after it.
fn param_span(text: &str, mut i: usize) -> (Range<usize>, Option<usize>, usize) {
    let bytes = text.as_bytes();
    let start = i;
    while i < bytes.len() && !matches!(bytes[i], b'=' | b';' | b':') {
        i += 1;
    }
    let name = trimmed(text, start..i);
    if bytes.get(i) != Some(&b'=') {
        return (name, None, i);
    }
    i += 1;
    let values_at = i;
    loop {
        let (_, next) = value_span(text, i);
        i = next;
        if bytes.get(i) == Some(&b',') {
            i += 1;
        } else {
            break;
        }
    }
    (name, Some(values_at), i)
}

/// Where a parameter value's content lies.
enum ValueContent {
    /// Between quotes, taken as is.
    Quoted(Range<usize>),
    /// Bare, to be trimmed.
    Bare(Range<usize>),
}

impl ValueContent {
    fn trimmed(self, text: &str) -> Range<usize> {
        match self {
            ValueContent::Quoted(r) => r,
            ValueContent::Bare(r) => trimmed(text, r),
        }
    }
}

/// One parameter value starting at `i`, quoted or bare: where its content
/// is (quotes removed) and the index after it. Skipping a value costs no
/// trimming.
fn value_span(text: &str, i: usize) -> (ValueContent, usize) {
    let bytes = text.as_bytes();
    if bytes.get(i) == Some(&b'"') {
        let start = i + 1;
        let rest = bytes.get(start..).unwrap_or_default();
        match memchr::memchr(b'"', rest) {
            Some(p) => (ValueContent::Quoted(start..start + p), start + p + 1),
            // An unterminated quote: take the rest up to the value colon.
            None => {
                let stop = memchr::memchr(b':', rest).map_or(bytes.len(), |p| start + p);
                (ValueContent::Quoted(start..stop), stop)
            }
        }
    } else {
        let mut j = i;
        while j < bytes.len() && !matches!(bytes[j], b',' | b';' | b':') {
            j += 1;
        }
        (ValueContent::Bare(i..j), j)
    }
}

/// `r` without the whitespace `str::trim` removes at either end.
fn trimmed(text: &str, r: Range<usize>) -> Range<usize> {
    let bytes = &text.as_bytes()[r.clone()];
    // The usual case, visible printable ASCII at both ends, needs no
    // decoding of characters.
    if bytes.first().is_some_and(u8::is_ascii_graphic)
        && bytes.last().is_some_and(u8::is_ascii_graphic)
    {
        return r;
    }
    let s = &text[r.clone()];
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

/// RFC 6868 parameter value escapes: `^n` newline, `^'` quote, `^^` caret.
fn decode_caret(s: &str) -> Cow<'_, str> {
    if !s.contains('^') {
        return Cow::Borrowed(s);
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
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn lines(bytes: &[u8]) -> (Vec<ContentLine<'_>>, Diagnostics) {
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
        let names: Vec<_> = ls.iter().map(|l| l.name.as_ref()).collect();
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
        assert_eq!(l.param("CN").as_deref(), Some("Doe; Jane: PM"));
        let delegated: Vec<_> = l
            .params()
            .nth(2)
            .map(|p| p.values().collect())
            .unwrap_or_default();
        assert_eq!(delegated, ["a", "b"]);
        assert_eq!(l.value, "mailto:j@x.org");
    }

    #[test]
    fn rfc6868_escapes() {
        let (ls, _) = lines(b"ATTENDEE;CN=George Herman ^'Babe^' Ruth:mailto:b@x.org\n");
        assert_eq!(
            ls[0].param("CN").as_deref(),
            Some("George Herman \"Babe\" Ruth")
        );
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

    #[allow(clippy::ptr_arg)] // What is asked is whether the `Cow` borrows.
    fn borrowed(c: &Cow<'_, str>) -> bool {
        matches!(c, Cow::Borrowed(_))
    }

    #[test]
    fn an_unfolded_upper_case_line_borrows_every_part() {
        let (ls, _) = lines(b"DTSTART;TZID=Europe/Berlin;VALUE=DATE-TIME:20240102T090000\r\n");
        let l = &ls[0];
        assert!(borrowed(&l.name) && borrowed(&l.raw_params) && borrowed(&l.value));
        assert_eq!(l.raw_params, ";TZID=Europe/Berlin;VALUE=DATE-TIME");
        assert!(l.param("tzid").is_some_and(|v| borrowed(&v)));
    }

    #[test]
    fn a_folded_line_copies_only_the_part_that_spans_the_fold() {
        let (ls, _) = lines(b"ATTENDEE;CN=Ana;PARTSTAT=ACC\r\n EPTED:mailto:ana@example.com\r\n");
        let l = &ls[0];
        assert_eq!(l.param("PARTSTAT").as_deref(), Some("ACCEPTED"));
        assert!(borrowed(&l.name) && !borrowed(&l.raw_params) && borrowed(&l.value));
        assert_eq!(l.value, "mailto:ana@example.com");
    }

    #[test]
    fn a_lower_case_name_is_upper_cased() {
        let (ls, _) = lines(b"dtStart;tzid=UTC:20240102T090000\n");
        assert_eq!(ls[0].name, "DTSTART");
        assert_eq!(ls[0].param("TZID").as_deref(), Some("UTC"));
        assert!(ls[0].params().all(|p| p.name == "tzid"));
    }

    #[test]
    fn parameters_read_on_demand_match_the_split() {
        // An empty name is left out, an empty value kept, an unterminated
        // quote runs to the value colon, whitespace around bare values goes.
        let (ls, _) = lines(b"X;=a;P=;Q= b , c ;R=\"x:y:v\n");
        let l = &ls[0];
        let params: Vec<(&str, Vec<Cow<'_, str>>)> =
            l.params().map(|p| (p.name, p.values().collect())).collect();
        assert_eq!(
            params,
            [
                ("P", vec![Cow::from("")]),
                ("Q", vec![Cow::from("b"), Cow::from("c")]),
                ("R", vec![Cow::from("x")]),
            ]
        );
        assert_eq!(l.value, "y:v");
    }

    /// `is_property` against `content` on every line of up to five pieces
    /// from the characters that decide a split (quotes, colons, semicolons,
    /// blanks, a two-octet character, an octet that is not UTF-8), whole
    /// and folded, in a file checked as UTF-8 and in one read line by line.
    #[test]
    fn is_property_agrees_with_content_on_every_short_line() {
        let pieces: [&[u8]; 9] = [
            b"A",
            b" ",
            b";",
            b":",
            b"\"",
            b"=",
            b",",
            "\u{e9}".as_bytes(),
            b"\xFF",
        ];
        let mut line: Vec<usize> = Vec::new();
        let mut checked = 0;
        loop {
            let bytes: Vec<u8> = line
                .iter()
                .flat_map(|&p| pieces[p].iter().copied())
                .collect();
            let mut folded = bytes.clone();
            if folded.len() > 1 {
                folded.splice(1..1, *b"\r\n ");
            }
            for text in [&bytes, &folded] {
                for checked_whole in [true, false] {
                    let mut lexer = Lexer::with_check(text, checked_whole);
                    while let Some(raw) = lexer.next_raw() {
                        let (content, lossy) = raw.content();
                        let want = content.is_some() && !lossy;
                        assert_eq!(
                            raw.is_property(),
                            want,
                            "{:?}",
                            String::from_utf8_lossy(text)
                        );
                        checked += 1;
                    }
                }
            }
            // The next line, as a number in base 9.
            let mut i = 0;
            loop {
                if i == line.len() {
                    if line.len() == 5 {
                        assert!(checked > 100_000, "{checked}");
                        return;
                    }
                    line.push(0);
                    break;
                }
                line[i] += 1;
                if line[i] < pieces.len() {
                    break;
                }
                line[i] = 0;
                i += 1;
            }
        }
    }
}
