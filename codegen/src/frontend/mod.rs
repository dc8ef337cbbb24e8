//! Frontends: each reads one kind of input into [`crate::ir::Api`].

pub mod errors;
pub mod facts;
pub mod nitro;
pub mod openapi;
pub mod text;
