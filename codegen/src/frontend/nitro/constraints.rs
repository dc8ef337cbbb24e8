//! The constraints at the end of a property's Description cell.
//!
//! The cell is read as lines (split at `<br>` and at the escaped `&lt;br>`
//! of generation B). A line is a constraint when it starts with one of:
//! `Minimum length =`, `Maximum length =`, `Minimum value =`,
//! `Maximum value =`, `Range a - b` (only when `a` and `b` are integers:
//! "Range parameter assigns..." is prose), `Default value:` and
//! `Possible values =`. Every other line is prose (the description).
//!
//! Repairs, each reported as a problem for the caller to turn into a
//! diagnostic: an empty bound is dropped; a C suffix on a number
//! (`4294967294LU`) is removed silently (it is how the vendor writes
//! unsigned values, not an error); an empty `Possible values =` gives no
//! values.

/// What one Description cell says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Constraints {
    pub min_length: Option<i64>,
    pub max_length: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub default: Option<String>,
    pub enum_values: Vec<String>,
    /// Lines that are not constraints, in order.
    pub prose: Vec<String>,
    /// Constraint lines that could not be read (lower case, no period).
    pub problems: Vec<String>,
}

/// Reads the lines of a Description cell.
pub(super) fn parse_description(lines: &[String]) -> Constraints {
    let mut out = Constraints::default();
    let mut range = None;
    for line in lines {
        let line = line.trim();
        if let Some(rest) = after_marker(line, "Minimum length", '=') {
            out.min_length = bound(rest, "minimum length", &mut out.problems);
        } else if let Some(rest) = after_marker(line, "Maximum length", '=') {
            out.max_length = bound(rest, "maximum length", &mut out.problems);
        } else if let Some(rest) = after_marker(line, "Minimum value", '=') {
            out.min_value = bound(rest, "minimum value", &mut out.problems);
        } else if let Some(rest) = after_marker(line, "Maximum value", '=') {
            out.max_value = bound(rest, "maximum value", &mut out.problems);
        } else if let Some(found) = line.strip_prefix("Range ").and_then(numeric_range) {
            range = Some(found);
        } else if let Some(rest) = after_marker(line, "Default value", ':') {
            out.default = default_value(rest);
            if out.default.is_none() {
                out.problems.push("empty `Default value:`".into());
            }
        } else if let Some(rest) = after_marker(line, "Possible values", '=') {
            out.enum_values = rest
                .split(", ")
                .map(|v| v.trim().trim_end_matches(',').trim())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect();
            if out.enum_values.is_empty() {
                out.problems.push("empty `Possible values =`".into());
            }
        } else {
            out.prose.push(line.to_string());
        }
    }
    // Explicit bounds win over a range line (they are the more specific).
    if let Some((low, high)) = range {
        out.min_value = out.min_value.or(Some(low));
        out.max_value = out.max_value.or(Some(high));
    }
    out
}

/// The text after `marker` and its `separator` (`Minimum value =`); `None`
/// when the line does not start so ("Maximum length of a string..." is
/// prose).
fn after_marker<'a>(line: &'a str, marker: &str, separator: char) -> Option<&'a str> {
    line.strip_prefix(marker)?.trim_start().strip_prefix(separator)
}

/// `42`, `4294967294LU`, `` -> the number, or a problem.
fn bound(rest: &str, what: &str, problems: &mut Vec<String>) -> Option<i64> {
    let text = rest.trim();
    if text.is_empty() {
        problems.push(format!("empty `{what}` bound"));
        return None;
    }
    match parse_integer(text) {
        Some(value) => Some(value),
        None => {
            problems.push(format!("`{what}` bound `{text}` is not an integer"));
            None
        }
    }
}

/// An integer with an optional C suffix (`U`, `L`, `LU`, `ULL`, ...).
pub(super) fn parse_integer(text: &str) -> Option<i64> {
    let digits = text.trim().trim_end_matches(['u', 'U', 'l', 'L']);
    digits.parse().ok()
}

/// `1 - 65535` (the rest of a `Range ` line) -> the bounds; anything else
/// (prose that happens to start with "Range") -> `None`.
fn numeric_range(rest: &str) -> Option<(i64, i64)> {
    let rest = rest.trim();
    // Split at the ` - ` or `-` between the numbers, not at a leading minus.
    let split = rest.char_indices().skip(1).find(|(i, c)| *c == '-' && rest[..*i].trim_end().ends_with(|d: char| d.is_ascii_digit()))?;
    let low = parse_integer(&rest[..split.0])?;
    let high = parse_integer(&rest[split.0 + 1..])?;
    Some((low, high))
}

/// ` "none"` -> `none`; ` ipfix,` -> `ipfix`; one pair of enclosing quotes
/// and one trailing comma go.
fn default_value(rest: &str) -> Option<String> {
    let mut value = rest.trim();
    value = value.strip_suffix(',').unwrap_or(value).trim_end();
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            value = &value[1..value.len() - 1];
            break;
        }
    }
    (!value.is_empty()).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(lines: &[&str]) -> Constraints {
        parse_description(&lines.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn bounds_and_lengths() {
        let c = read(&["Weight of a thing.", "Minimum value = -16777215", "Maximum value = 4294967294LU", "Minimum length = 1", "Maximum length = 127"]);
        assert_eq!((c.min_value, c.max_value, c.min_length, c.max_length), (Some(-16777215), Some(4294967294), Some(1), Some(127)));
        assert_eq!(c.prose, ["Weight of a thing."]);
        assert!(c.problems.is_empty());
    }

    #[test]
    fn empty_bound_is_a_problem_not_a_zero() {
        let c = read(&["Port.", "Maximum value ="]);
        assert_eq!(c.max_value, None);
        assert_eq!(c.problems, ["empty `maximum value` bound"]);
        let c = read(&["Maximum value = lots"]);
        assert_eq!(c.max_value, None);
        assert_eq!(c.problems.len(), 1);
    }

    #[test]
    fn words_that_merely_start_like_a_constraint_are_prose() {
        let c = read(&["Maximum length of a literal is 255.", "Minimum length, in characters.", "Possible values depend on x.", "Default value of y is z."]);
        assert_eq!(c, Constraints { prose: c.prose.clone(), ..Constraints::default() });
        assert_eq!(c.prose.len(), 4);
    }

    #[test]
    fn only_numeric_ranges_are_ranges() {
        let c = read(&["Port number.", "Range 1 - 65535", "* in CLI is represented as 65535 in NITRO API"]);
        assert_eq!((c.min_value, c.max_value), (Some(1), Some(65535)));
        assert_eq!(c.prose.len(), 2);
        let c = read(&["Range parameter assigns several addresses."]);
        assert_eq!((c.min_value, c.max_value), (None, None));
        assert_eq!(c.prose.len(), 1);
        let c = read(&["Range -90 - 90"]);
        assert_eq!((c.min_value, c.max_value), (Some(-90), Some(90)));
        let c = read(&["Minimum value = 5", "Range 1 - 10"]);
        assert_eq!((c.min_value, c.max_value), (Some(5), Some(10)));
    }

    #[test]
    fn defaults_lose_one_pair_of_quotes_and_a_trailing_comma() {
        assert_eq!(read(&["Default value: \"none\""]).default.as_deref(), Some("none"));
        assert_eq!(read(&["Default value: ipfix,"]).default.as_deref(), Some("ipfix"));
        assert_eq!(read(&["Default value: Advanced Policy"]).default.as_deref(), Some("Advanced Policy"));
        assert_eq!(read(&["Default value: \"\"x\"\""]).default.as_deref(), Some("\"x\""));
        let c = read(&["Default value: "]);
        assert_eq!(c.default, None);
        assert_eq!(c.problems.len(), 1);
    }

    #[test]
    fn possible_values_keep_spaces_and_punctuation() {
        let c = read(&["Possible values = OUT OF SERVICE, =, !=, SSL card(s) of the node have failed, GMT+02:00-CEST-Europe/Andorra"]);
        assert_eq!(c.enum_values, ["OUT OF SERVICE", "=", "!=", "SSL card(s) of the node have failed", "GMT+02:00-CEST-Europe/Andorra"]);
        let c = read(&["Possible values = "]);
        assert!(c.enum_values.is_empty());
        assert_eq!(c.problems, ["empty `Possible values =`"]);
    }
}
