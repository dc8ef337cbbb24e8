//! Byte decoding and element text, shared by the bundle and error-listing
//! readers (and open to the Markdown reader).
//!
//! Reference pages declare UTF-8 (or ISO-8859-1) but some carry raw
//! Windows-1252 bytes (smart quotes 0x91-0x94) in prose: decode as UTF-8 and
//! read each invalid byte as Windows-1252, so no page is rejected and valid
//! UTF-8 (including the C1 controls some pages encode) is kept as is.

use scraper::ElementRef;

/// UTF-8 with a per-byte Windows-1252 fallback; never fails.
pub fn decode_lenient(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                out.push_str(valid);
                return out;
            }
            Err(error) => {
                let (valid, after) = rest.split_at(error.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                // An invalid sequence: read its first byte as Windows-1252
                // and resynchronise on the next byte.
                out.push(cp1252(after[0]));
                rest = &after[1..];
            }
        }
    }
}

/// True when the bytes are not valid UTF-8 (the page needed the fallback).
pub fn needs_fallback(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_err()
}

/// One Windows-1252 byte as a char (undefined bytes map to their Latin-1
/// code point, as browsers do).
pub fn cp1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{2C6}', '\u{2030}',
        '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}',
        '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}',
        '\u{17E}', '\u{178}',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// An element's text with entities decoded (by the parser), non-breaking
/// spaces as spaces, runs of whitespace collapsed and ends trimmed.
pub fn clean_text(element: ElementRef) -> String {
    collapse(&element.text().collect::<String>())
}

/// Collapses whitespace (including U+00A0) to single spaces and trims.
pub fn collapse(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}').filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_quotes_in_utf8_page_are_read_as_cp1252() {
        assert_eq!(decode_lenient(b"say \x93hi\x94 \xc3\xa9"), "say \u{201C}hi\u{201D} \u{e9}");
        assert!(needs_fallback(b"\x93"));
        assert!(!needs_fallback("\u{201C}".as_bytes()));
    }

    #[test]
    fn latin1_bytes_keep_their_code_point() {
        assert_eq!(decode_lenient(b"caf\xe9."), "caf\u{e9}.");
    }

    #[test]
    fn whitespace_collapses() {
        assert_eq!(collapse("  a\u{a0}\u{a0}b\n\t c "), "a b c");
    }
}
