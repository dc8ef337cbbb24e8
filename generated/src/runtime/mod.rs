//! The hand-written runtime the generated modules build on. Unlike the
//! rest of the crate it is not written by the backend: edit it here.
//! (`cargo xtask openapi` copies it into standalone crates.)

pub mod model;
pub mod number;
pub mod open_enum;
pub mod resource;

pub use model::{AsField, FieldMut, FieldRef, Model, UnknownFields};
pub use number::Number;
pub use open_enum::{Open, WireEnum};
pub use resource::{Api, ItemOutcome, Method, OnError, Outcome, Request, Resource, ResourceKind};
