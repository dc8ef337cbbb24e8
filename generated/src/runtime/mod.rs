//! The hand-written runtime the generated modules build on. Unlike the
//! rest of the crate it is not written by the backend: edit it here.
//! (`cargo xtask openapi` copies it into standalone crates.)
//!
//! Dependencies the runtime needs, for readers: the manifests
//! (`generated/Cargo.toml`, standalone crates) are written from the
//! backend's one list (`crate_files::RUNTIME_DEPENDENCIES`), and a test of
//! the backend checks these lines agree with it:
//!
//! ```toml
//! [dependencies]
//! percent-encoding = "2.3"
//! reqwest = { version = "0.12", default-features = false, features = ["json", "rustls-tls", "cookies"] }
//! serde = { version = "1", features = ["derive"] }
//! serde_json = "1"
//! thiserror = "2"
//! tokio = { version = "1", features = ["sync", "time"] }
//!
//! [dev-dependencies]
//! proptest = "1.8.0"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! Modules: [`model`] (the table-driven codec), [`resource`] (requests),
//! [`answer`] (response envelopes), [`client`], [`env`](mod@env) (a client from
//! `NS_*` variables), [`error`], [`secret`], [`number`], [`open_enum`].

pub mod answer;
pub mod client;
pub mod env;
pub mod error;
pub mod model;
pub mod nextgen;
pub mod number;
pub mod open_enum;
pub mod resource;
pub mod secret;

#[cfg(test)]
mod tests;

pub use answer::{decode, Answer, FromNitro, LoginAnswer};
pub use client::{Client, ClientBuilder, Product};
pub use error::{Error, Result, TransportError};
pub use model::{AsField, FieldMut, FieldRef, Model, UnknownFields};
pub use number::Number;
pub use open_enum::{Open, WireEnum};
pub use resource::{Api, ItemOutcome, Method, OnError, Outcome, Request, Resource, ResourceKind};
pub use secret::Secret;
