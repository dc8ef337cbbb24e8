//! The vocabulary the stages share about items of an API: what kind of
//! thing an item is ([`Item`]: the diff's changes, the since-annotation's
//! gone items, the backend's removal notes) and how a name is compared
//! across releases ([`normalise_name`]).
//!
//! Names are compared after Unicode compatibility normalisation (NFKC), so
//! a page that spells a name with a typographic ligature (`nsicapproﬁle`,
//! U+FB01) still matches the plain spelling of another release. NFKC folds
//! ligatures and full-width forms but keeps case, which matters because
//! `I` and `i` are distinct properties.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// The name as it is compared across releases.
pub fn normalise_name(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(name.nfkc().collect())
    }
}

/// The thing a change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Item {
    Api,
    Resource,
    Property,
    EnumValue,
    Operation,
    Schema,
    Field,
    Endpoint,
    Parameter,
}

impl Item {
    pub fn as_str(self) -> &'static str {
        match self {
            Item::Api => "api",
            Item::Resource => "resource",
            Item::Property => "property",
            Item::EnumValue => "enum value",
            Item::Operation => "operation",
            Item::Schema => "schema",
            Item::Field => "field",
            Item::Endpoint => "endpoint",
            Item::Parameter => "parameter",
        }
    }
}
