//! The one diagnostics policy of every subcommand (print, count, exit
//! code), so that `scrape`, `scrape-bundle`, `facts`, `codegen`, `openapi`
//! and `update` read the same to a person and to CI:
//! - each diagnostic goes to stderr as `file:row: severity: resource:
//!   message (hint: ...)` ([`codegen::Diagnostic`]'s `Display`), sorted by
//!   place, a repeated one once;
//! - which ones are printed follows the global flags
//!   ([`crate::Verbosity::shows`]): errors always, warnings unless `-q`,
//!   notes with `-v`;
//! - then one summary line on stderr, even with `-q`:
//!   `diagnostics: E error(s), W warning(s), N note(s)`, saying how many
//!   were not shown and that `-v` lists them;
//! - any error diagnostic makes the command exit non-zero (and write
//!   nothing, where the command writes after reading); a failure that is
//!   not a diagnostic is one `error: ...` line on stderr and the same exit
//!   code ([`failure`], also `main`'s for an `Err`).

use crate::Verbosity;
use codegen::{Diagnostic, Severity};
use std::io::Write;
use std::process::ExitCode;

/// How many diagnostics of each severity a run had.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Counts {
    /// The run failed: at least one error.
    pub fn failed(self) -> bool {
        self.errors > 0
    }
}

/// Prints `diagnostics` by the policy (see the module docs) at the
/// command line's verbosity; returns their counts (a repeated one counted
/// once, as printed).
pub fn report(diagnostics: &[Diagnostic]) -> Counts {
    report_to(&mut std::io::stderr().lock(), diagnostics, crate::verbosity())
}

/// [`report`] into any writer at a given verbosity.
pub fn report_to(out: &mut impl Write, diagnostics: &[Diagnostic], verbosity: Verbosity) -> Counts {
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut counts = Counts::default();
    let mut hidden = 0;
    for diagnostic in sorted {
        match diagnostic.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Note => counts.notes += 1,
        }
        if verbosity.shows(diagnostic.severity) {
            // A closed stderr is no reason to fail the command.
            let _ = writeln!(out, "{diagnostic}");
        } else {
            hidden += 1;
        }
    }
    let not_shown = if hidden > 0 { format!("; {hidden} not shown (-v lists them)") } else { String::new() };
    let _ = writeln!(out, "diagnostics: {} error(s), {} warning(s), {} note(s){not_shown}", counts.errors, counts.warnings, counts.notes);
    counts
}

/// A failure that is not a diagnostic: one `error:` line on stderr, and
/// the exit code of every failed command.
pub fn failure(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

#[cfg(test)]
mod tests {
    use super::*;
    use codegen::ir::Origin;

    fn sample() -> Vec<Diagnostic> {
        let at = |file: &str, row| Origin { file: file.into(), row: Some(row), ..Origin::default() };
        vec![
            Diagnostic::note(at("b.md", 3), "renamed").resource("lbvserver"),
            Diagnostic::warning(at("b.md", 2), "guessed").resource("lbvserver").hint("check it"),
            Diagnostic::error(at("a.md", 9), "unreadable table"),
            Diagnostic::error(at("a.md", 9), "unreadable table"),
        ]
    }

    fn printed(verbosity: Verbosity) -> (String, Counts) {
        let mut out = Vec::new();
        let counts = report_to(&mut out, &sample(), verbosity);
        (String::from_utf8(out).unwrap(), counts)
    }

    #[test]
    fn every_verbosity_prints_sorted_diagnostics_and_one_summary() {
        let (normal, counts) = printed(Verbosity::Normal);
        assert_eq!(counts, Counts { errors: 1, warnings: 1, notes: 1 });
        assert!(counts.failed());
        assert_eq!(
            normal,
            "a.md:row 9: error: unreadable table\n\
             b.md:row 2: warning: lbvserver: guessed (hint: check it)\n\
             diagnostics: 1 error(s), 1 warning(s), 1 note(s); 1 not shown (-v lists them)\n"
        );
        let (quiet, _) = printed(Verbosity::Quiet);
        assert_eq!(quiet, "a.md:row 9: error: unreadable table\ndiagnostics: 1 error(s), 1 warning(s), 1 note(s); 2 not shown (-v lists them)\n");
        let (verbose, _) = printed(Verbosity::Verbose);
        assert!(verbose.contains("b.md:row 3: note: lbvserver: renamed\n"), "{verbose}");
        assert!(verbose.ends_with("diagnostics: 1 error(s), 1 warning(s), 1 note(s)\n"), "{verbose}");
    }

    #[test]
    fn warnings_and_notes_alone_do_not_fail() {
        let counts = report_to(&mut Vec::new(), &sample()[..2], Verbosity::Normal);
        assert_eq!(counts, Counts { errors: 0, warnings: 1, notes: 1 });
        assert!(!counts.failed());
    }
}
