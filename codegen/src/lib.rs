//! The NetScaler generator library: frontends read vendor API references
//! into one IR ([`ir::Api`]), the backend emits the `netscaler` crate, and
//! the diff engine compares two IRs. Only `xtask` touches the disk for
//! output; every stage here is a function of its inputs.
//!
//! Stage entry points (see ARCHITECTURE.md):
//! - [`frontend::nitro::read_nitro`]: NITRO reference pages -> IR
//! - [`backend::emit`]: IRs -> map of generated files
//! - [`diff::compare`]: two IRs -> change report
//! - [`since::annotate`]: all releases -> newest IR with `since` filled

pub mod backend;
pub mod changelog;
pub mod diagnostics;
pub mod diff;
pub mod frontend;
pub mod inputs;
pub mod ir;
pub mod parallel;
pub mod pipeline;
pub mod since;

pub use diagnostics::{Diagnostic, Lowered, Severity};
