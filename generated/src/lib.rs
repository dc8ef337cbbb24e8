//! Placeholder until the backend writes this file.
pub mod runtime;
