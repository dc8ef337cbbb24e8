//! `hand_model!`: a hand-written resource model shaped exactly like the
//! generated ones (struct of `Option` fields plus `unknown_fields`, `Model`
//! mapping a field index to a field reference over a sorted `FIELDS`
//! table, serde impls delegating to the runtime codec, `Resource`
//! constants), for end-to-end tests that must not wait for generated code.
//!
//! ```ignore
//! hand_model!(Lbvserver, "lbvserver", Config, ["name"], {
//!     "name" => name: Option<String>,
//!     "port" => port: Option<i64>,
//! });
//! ```
//! Wire names must be listed in byte order.

#[macro_export]
macro_rules! hand_model {
    ($name:ident, $wire:literal, $kind:ident, [$($key:literal),*], { $($field_wire:literal => $field:ident : $ty:ty),* $(,)? }) => {
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            $(pub $field: $ty,)*
            pub unknown_fields: ::netscaler::runtime::UnknownFields,
        }
        impl ::netscaler::runtime::Model for $name {
            const FIELDS: &'static [&'static str] = &[$($field_wire),*];
            #[allow(unused_assignments)]
            fn field(&self, index: usize) -> ::netscaler::runtime::FieldRef<'_> {
                use ::netscaler::runtime::AsField as _;
                let mut position = 0usize;
                $(if index == position { return self.$field.as_field(); } position += 1;)*
                unreachable!()
            }
            #[allow(unused_assignments)]
            fn field_mut(&mut self, index: usize) -> ::netscaler::runtime::FieldMut<'_> {
                use ::netscaler::runtime::AsField as _;
                let mut position = 0usize;
                $(if index == position { return self.$field.as_field_mut(); } position += 1;)*
                unreachable!()
            }
            fn unknown_fields(&self) -> &::netscaler::runtime::UnknownFields { &self.unknown_fields }
            fn unknown_fields_mut(&mut self) -> &mut ::netscaler::runtime::UnknownFields { &mut self.unknown_fields }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                ::netscaler::runtime::model::serialize(self, serializer)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                ::netscaler::runtime::model::deserialize(deserializer)
            }
        }
        impl ::netscaler::runtime::Resource for $name {
            const NAME: &'static str = $wire;
            const KIND: ::netscaler::runtime::ResourceKind = ::netscaler::runtime::ResourceKind::$kind;
            const API: ::netscaler::runtime::Api = ::netscaler::runtime::Api::AdcV1;
            const KEYS: &'static [&'static str] = &[$($key),*];
        }
    };
}
