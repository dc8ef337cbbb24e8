//! `Number`: a NITRO numeric value that may arrive as a JSON number or as a
//! JSON string ("1256464744519"), kept exactly as an integer when it is one.

use std::fmt;

/// A numeric value from the wire (the reference's `<Double>`).
///
/// NITRO sends many numbers, 64-bit counters included, as JSON strings.
/// `Number` accepts both and keeps integers exact (no `f64` rounding above
/// 2^53). It serialises back as a JSON number. Two `Number`s are equal
/// when their values are (`Int(20) == Float(20.0)`): a whole `Float` is
/// written as an integer, so what was written must compare equal to what
/// is read back.
#[derive(Clone, Copy)]
pub enum Number {
    /// A value that fits `i64`.
    Int(i64),
    /// A non-negative integer above `i64::MAX`.
    UInt(u64),
    /// A value with a fraction or an exponent.
    Float(f64),
}

impl Number {
    /// Parses the text of a JSON number or of a numeric string.
    pub fn parse(text: &str) -> Option<Number> {
        let text = text.trim();
        if let Ok(value) = text.parse::<i64>() {
            return Some(Number::Int(value));
        }
        if let Ok(value) = text.parse::<u64>() {
            return Some(Number::UInt(value));
        }
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() => Some(Number::Float(value)),
            _ => None,
        }
    }

    pub fn as_i64(self) -> Option<i64> {
        match self {
            Number::Int(v) => Some(v),
            Number::UInt(v) => i64::try_from(v).ok(),
            Number::Float(v) if v.fract() == 0.0 && v >= i64::MIN as f64 && v <= i64::MAX as f64 => Some(v as i64),
            Number::Float(_) => None,
        }
    }

    pub fn as_u64(self) -> Option<u64> {
        match self {
            Number::Int(v) => u64::try_from(v).ok(),
            Number::UInt(v) => Some(v),
            Number::Float(v) if v.fract() == 0.0 && v >= 0.0 && v <= u64::MAX as f64 => Some(v as u64),
            Number::Float(_) => None,
        }
    }

    /// The value as `f64` (rounded for integers above 2^53).
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(v) => v as f64,
            Number::UInt(v) => v as f64,
            Number::Float(v) => v,
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(v) => write!(f, "{v}"),
            Number::UInt(v) => write!(f, "{v}"),
            Number::Float(v) => write!(f, "{v}"),
        }
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        self.partial_cmp(other) == Some(std::cmp::Ordering::Equal)
    }
}

impl PartialOrd for Number {
    /// By value: integers exactly (as `i128`), a float against anything
    /// as `f64`, except that a float with a fraction never equals an
    /// integer.
    fn partial_cmp(&self, other: &Number) -> Option<std::cmp::Ordering> {
        let whole = |number: &Number| match *number {
            Number::Int(v) => Some(i128::from(v)),
            Number::UInt(v) => Some(i128::from(v)),
            Number::Float(_) => None,
        };
        match (whole(self), whole(other)) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(value: $t) -> Number { Number::Int(value as i64) }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<u64> for Number {
    fn from(value: u64) -> Number {
        i64::try_from(value).map(Number::Int).unwrap_or(Number::UInt(value))
    }
}

impl From<f64> for Number {
    fn from(value: f64) -> Number {
        Number::Float(value)
    }
}

impl serde::Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Number::Int(v) => serializer.serialize_i64(v),
            Number::UInt(v) => serializer.serialize_u64(v),
            // A whole value goes out as an integer (`20`, not `20.0`):
            // most NITRO numbers are counts, ports and timeouts, and an
            // appliance may refuse `20.0` where it takes `20`.
            Number::Float(v) if v.fract() == 0.0 && v.abs() <= MAX_EXACT => serializer.serialize_i64(v as i64),
            Number::Float(v) => serializer.serialize_f64(v),
        }
    }
}

/// 2^53: every whole `f64` up to this is exact as an `i64`.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// Accepts a JSON number or a numeric string.
impl<'de> serde::Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl serde::de::Visitor<'_> for NumberVisitor {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a numeric string")
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Number, E> {
                Ok(Number::Int(value))
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Number, E> {
                Ok(Number::from(value))
            }
            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Number, E> {
                Ok(Number::Float(value))
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Number, E> {
                Number::parse(value).ok_or_else(|| E::custom(format!("not a number: {value:?}")))
            }
        }
        deserializer.deserialize_any(NumberVisitor)
    }
}

impl std::str::FromStr for Number {
    type Err = String;
    fn from_str(text: &str) -> Result<Number, String> {
        Number::parse(text).ok_or_else(|| format!("not a number: {text:?}"))
    }
}
