//! Frontends: each reads one kind of input into [`crate::ir::Api`].

pub mod bundle;
pub mod errors;
pub mod facts;
pub mod html;
pub mod limits;
pub mod nitro;
pub mod openapi;
pub mod text;
