//! The hand-written runtime the generated modules build on. Unlike the
//! rest of the crate it is not written by the backend: edit it here.
//! (`cargo xtask openapi` copies it into standalone crates.)
//!
//! Dependencies the runtime needs, for readers: the manifests
//! (`generated/Cargo.toml`, standalone crates) are written from the
//! backend's lists (`crate_files::RUNTIME_DEPENDENCIES`, then
//! `TESTKIT_DEPENDENCIES` for the `testkit` feature only), and a test of
//! the backend checks these lines agree with them:
//!
//! ```toml
//! [dependencies]
//! percent-encoding = "2.3"
//! reqwest = { version = "0.12", default-features = false, features = ["json", "cookies"] }
//! serde = { version = "1", features = ["derive"] }
//! serde_json = "1"
//! thiserror = "2"
//! tokio = { version = "1", features = ["sync", "time"] }
//! tracing = { version = "0.1", optional = true }
//! netscaler-testkit = { version = "0.2.0", path = "testkit", optional = true }
//!
//! [dev-dependencies]
//! proptest = "1.8.0"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! and its features (`codegen::backend::crate_files::RUNTIME_FEATURES`):
//! `rustls = ["reqwest/rustls-tls"]` (default), `native-tls =
//! ["reqwest/native-tls"]`, `tracing = ["dep:tracing"]`. The feature
//! `testkit` (off by default; `crate_files::TESTKIT_DEPENDENCIES`) adds
//! `testkit`: the crate `netscaler-testkit` (`generated/testkit/`, a NITRO
//! simulator on loopback, with no dependency on this crate) re-exported,
//! and a client for it.
//!
//! Modules: [`model`] (the table-driven codec), [`resource`] (requests),
//! [`answer`] (response envelopes), [`transport`] (TLS, limits, retries,
//! headers, tracing: shared by both clients), [`client`], [`env`](mod@env) (a client from
//! `NS_*` variables), [`error`], [`secret`], [`number`], [`open_enum`],
//! [`workflows`] (create or update, desired state, firmware, files,
//! statistics polling) and [`lifecycle`] (readiness after a reboot, HA
//! role and primary, first-boot password change).

pub mod answer;
pub mod client;
pub mod env;
pub mod error;
pub mod lifecycle;
pub mod model;
pub mod nextgen;
pub mod number;
pub mod open_enum;
pub mod resource;
pub mod secret;
pub mod transport;
pub mod workflows;
#[cfg(feature = "testkit")]
#[cfg_attr(docsrs, doc(cfg(feature = "testkit")))]
pub mod testkit;

#[cfg(test)]
mod tests;

pub use answer::{decode, Answer, FromNitro, LoginAnswer};
pub use client::{Client, ClientBuilder, ManagedInstance, Pages, Product};
pub use error::{Error, Result, TransportError};
pub use lifecycle::{HaRole, Ready};
pub use model::{AsField, FieldMut, FieldRef, Model, UnknownFields};
pub use number::Number;
pub use open_enum::{Open, WireEnum};
pub use resource::{Api, ItemOutcome, Method, OnError, Outcome, Request, Resource, ResourceKind, Since};
pub use secret::Secret;
pub use transport::RetryPolicy;
pub use workflows::{BindingSync, Ensured, Firmware, NewerThanFirmware, Poll, WithBindings};
/// The HTTP crate the transport uses, for [`ClientBuilder::http_client`]
/// (the same version, whatever the caller's own dependencies say).
pub use reqwest;
