//! Calendars that are not UTF-8: UTF-16, as some Windows tools (older
//! Outlook exports, PowerShell's `Out-File`) write them, little- or
//! big-endian, with or without a byte order mark.
//!
//! RFC 5545 says UTF-8, and the lexer works on UTF-8 bytes, so a UTF-16
//! file is decoded to UTF-8 once, before lexing, and a note says so. A
//! file is taken for UTF-16 when it starts with a UTF-16 byte order mark,
//! or when `BEGIN:` appears in its first kilobyte written in UTF-16 (every
//! other byte NUL), which no UTF-8 calendar can hold.

use crate::diag::Diagnostics;
use std::borrow::Cow;

/// How far into a file without a byte order mark `BEGIN:` is looked for.
const SNIFF_BYTES: usize = 1024;

/// The byte order of a UTF-16 file, and whether it has a byte order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utf16 {
    /// Big-endian (`FE FF`); little-endian otherwise (`FF FE`, what
    /// Windows writes).
    pub big_endian: bool,
    /// The file starts with a byte order mark.
    pub bom: bool,
}

impl Utf16 {
    /// How the note names it: `little-endian, with a byte order mark`.
    fn describe(&self) -> String {
        format!(
            "{}-endian, {} a byte order mark",
            if self.big_endian { "big" } else { "little" },
            if self.bom { "with" } else { "without" }
        )
    }
}

/// Whether `bytes` are UTF-16, and how.
pub fn detect_utf16(bytes: &[u8]) -> Option<Utf16> {
    match bytes {
        [0xFF, 0xFE, ..] => {
            return Some(Utf16 {
                big_endian: false,
                bom: true,
            });
        }
        [0xFE, 0xFF, ..] => {
            return Some(Utf16 {
                big_endian: true,
                bom: true,
            });
        }
        _ => {}
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let encoded = |big_endian: bool| -> Vec<u8> {
        b"BEGIN:"
            .iter()
            .flat_map(|&b| if big_endian { [0, b] } else { [b, 0] })
            .collect()
    };
    [false, true].into_iter().find_map(|big_endian| {
        let needle = encoded(big_endian);
        let at = memchr::memmem::find(head, &needle)?;
        (at % 2 == 0).then_some(Utf16 {
            big_endian,
            bom: false,
        })
    })
}

/// The file's bytes as UTF-8: the same bytes unless they are UTF-16, which
/// is decoded (unpaired surrogates and an odd last byte become U+FFFD) with
/// a note in `diags`.
pub fn utf8_of<'a>(bytes: &'a [u8], diags: &mut Diagnostics) -> Cow<'a, [u8]> {
    let Some(form) = detect_utf16(bytes) else {
        return Cow::Borrowed(bytes);
    };
    let (text, lossy) = decode_utf16(bytes, form);
    let mut message = format!(
        "the file is UTF-16 ({}), not the UTF-8 that RFC 5545 asks for; it was decoded",
        form.describe()
    );
    if lossy {
        message.push_str(", with undecodable units replaced by U+FFFD");
    }
    diags.note(
        None,
        message,
        Some("nothing to do; to read it faster, save it as UTF-8"),
    );
    Cow::Owned(text.into_bytes())
}

/// UTF-16 bytes as a string, and whether anything had to be replaced.
fn decode_utf16(bytes: &[u8], form: Utf16) -> (String, bool) {
    let body = if form.bom { &bytes[2..] } else { bytes };
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if form.big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut lossy = body.len() % 2 != 0;
    let mut text = String::with_capacity(body.len() / 2);
    for c in char::decode_utf16(units) {
        text.push(c.unwrap_or_else(|_| {
            lossy = true;
            char::REPLACEMENT_CHARACTER
        }));
    }
    if body.len() % 2 != 0 {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    (text, lossy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_left_alone_and_utf16_is_told_apart() {
        assert_eq!(detect_utf16(b"BEGIN:VCALENDAR\r\n"), None);
        assert_eq!(detect_utf16(b"\xEF\xBB\xBFBEGIN:VCALENDAR"), None);
        assert_eq!(
            detect_utf16(b"B\0E\0G\0I\0N\0:\0"),
            Some(Utf16 {
                big_endian: false,
                bom: false
            })
        );
        assert_eq!(
            detect_utf16(b"\r\0\n\0B\0E\0G\0I\0N\0:\0"),
            Some(Utf16 {
                big_endian: false,
                bom: false
            })
        );
        // An odd offset is not UTF-16 text.
        assert_eq!(detect_utf16(b"xB\0E\0G\0I\0N\0:\0"), None);
        let mut diags = Diagnostics::new("t.ics".into());
        let (text, lossy) = decode_utf16(
            b"\xFF\xFEA\0\x00\xD8B",
            Utf16 {
                big_endian: false,
                bom: true,
            },
        );
        assert_eq!(text, "A\u{FFFD}\u{FFFD}");
        assert!(lossy);
        assert!(matches!(utf8_of(b"plain", &mut diags), Cow::Borrowed(_)));
        assert!(diags.as_slice().is_empty());
    }
}
