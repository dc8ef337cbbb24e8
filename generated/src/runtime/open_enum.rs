//! Open enums: documented values as a plain Rust enum, undocumented values
//! kept verbatim, so a newer appliance never breaks decoding.

use std::fmt;

/// A fieldless enum generated from a property's possible values.
///
/// One shared table per enum replaces per-enum serde impls: decoding and
/// encoding go through [`Open`], which looks values up here.
pub trait WireEnum: Copy + Eq + fmt::Debug + 'static {
    /// Every documented value with its wire spelling, in variant order
    /// (the order the values appeared across releases).
    const VALUES: &'static [(Self, &'static str)];

    /// The wire spelling of this value.
    fn wire(self) -> &'static str {
        Self::VALUES
            .iter()
            .find(|(value, _)| *value == self)
            .map(|(_, wire)| *wire)
            .unwrap_or("")
    }

    /// The value whose wire spelling is exactly `text` (case-sensitive:
    /// some NITRO enums hold both `UNKNOWN` and `Unknown`).
    fn from_wire(text: &str) -> Option<Self> {
        Self::VALUES.iter().find(|(_, wire)| *wire == text).map(|(value, _)| *value)
    }
}

/// A documented value of `E`, or a value the reference did not list.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Open<E> {
    Known(E),
    /// A value the reference does not list, kept as received.
    Unknown(String),
}

impl<E: WireEnum> Open<E> {
    pub fn from_wire(text: &str) -> Self {
        match E::from_wire(text) {
            Some(value) => Open::Known(value),
            None => Open::Unknown(text.to_string()),
        }
    }

    /// The wire spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Open::Known(value) => value.wire(),
            Open::Unknown(text) => text,
        }
    }

    pub fn known(&self) -> Option<E> {
        match self {
            Open::Known(value) => Some(*value),
            Open::Unknown(_) => None,
        }
    }
}

impl<E: WireEnum> From<E> for Open<E> {
    fn from(value: E) -> Self {
        Open::Known(value)
    }
}

impl<E: WireEnum> fmt::Debug for Open<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Open::Known(value) => fmt::Debug::fmt(value, f),
            Open::Unknown(text) => f.debug_tuple("Unknown").field(text).finish(),
        }
    }
}

impl<E: WireEnum> fmt::Display for Open<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<E: WireEnum> serde::Serialize for Open<E> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de, E: WireEnum> serde::Deserialize<'de> for Open<E> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(Open::from_wire(&text))
    }
}
