//! Diagnostics: what a stage found wrong in its input, with the place it
//! found it. Stages collect these and carry on; the driver (xtask) prints
//! them sorted by location as `file:row: severity: resource: message
//! (hint: ...)` by one policy for every subcommand (`xtask/src/report.rs`)
//! and stops between stages when any is an error. Bad input never panics.

use crate::ir::Origin;
use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Input could not be read as intended; output would be wrong or lossy.
    Error,
    /// Input was read, but something was guessed, repaired or left out.
    Warning,
    /// A note about a decision (a renamed identifier, an inferred method).
    Note,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub origin: Origin,
    pub severity: Severity,
    /// Resource (or schema/endpoint) the message is about, when known.
    pub resource: Option<String>,
    /// Lower case, no final period.
    pub message: String,
    /// What the user can do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, origin: Origin, message: impl Into<String>) -> Self {
        Diagnostic { origin, severity, resource: None, message: message.into(), hint: None }
    }
    pub fn error(origin: Origin, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, origin, message)
    }
    pub fn warning(origin: Origin, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, origin, message)
    }
    pub fn note(origin: Origin, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, origin, message)
    }
    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin.file)?;
        if let Some(row) = self.origin.row {
            write!(f, ":row {row}")?;
        }
        if let Some(pointer) = &self.origin.pointer {
            write!(f, ":{pointer}")?;
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, ": {severity}")?;
        if let Some(resource) = &self.resource {
            write!(f, ": {resource}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// The result of a frontend: an API plus everything noticed on the way.
#[derive(Clone, Debug, Default)]
pub struct Lowered {
    pub api: crate::ir::Api,
    pub diagnostics: Vec<Diagnostic>,
}

impl Lowered {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}
