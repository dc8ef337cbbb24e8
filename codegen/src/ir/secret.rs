//! Which properties hold secrets (passwords, passphrases, shared keys,
//! tokens): the vocabulary every stage shares. [`mark`] sets
//! [`Property::secret`] by [`is_secret`]; the backend redacts such fields
//! in the models' `Debug`.
//!
//! The rule, on the wire name lower-cased with `_` removed:
//! - only text properties (`String`, `String[]`) without a list of
//!   possible values (a secret has no fixed values: that leaves out
//!   `ENABLED`/`DISABLED` switches like `allowextendedmastersecret`);
//! - not names of things that are not themselves secret: ending in
//!   [`NOT_SECRET_SUFFIXES`] (`certkeyname`, `passwdfield`,
//!   `las_token_file_name`, `tokenendpoint`), or holding a public key
//!   (`publickey`, `pubkey`), or a flag (`allow...`, `...with...`);
//! - a secret when it contains one of [`SECRET_WORDS`] (`password`,
//!   `passphrase`, `passplain`, `secret`, `token`, ...), or ends in `psk`
//!   (a pre-shared key; inside a word the letters are no key: `fipskey`),
//!   or ends in `key` after one of [`SECRET_KEY_PREFIXES`] (`radkey`,
//!   `tacacs_key`, `apikey`, `sessionkey`). Other `...key` names are names of key files
//!   or identifiers (`certkey`, `keyname`, sslcertkey's `key`, `cakey`,
//!   `metric_key`, `reference_key`) and are not marked.

use super::{Api, DataType, Property};

/// Words whose presence makes a text property a secret.
pub const SECRET_WORDS: &[&str] = &["password", "passwd", "passphrase", "passplain", "passcrypt", "secret", "token", "privatekey"];

/// What comes before a final `key` in the names of shared keys.
pub const SECRET_KEY_PREFIXES: &[&str] = &[
    "rad", "radius", "tacacs", "auth", "secret", "session", "service", "api", "mapsapi", "preauth", "userdataencryption",
    "ssl", "dbserver", "private",
];

/// Endings of names that describe or name a thing rather than hold it.
pub const NOT_SECRET_SUFFIXES: &[&str] = &[
    "name", "names", "file", "filename", "path", "type", "field", "expression", "encoding", "cache", "url", "endpoint", "id",
    "timeout", "length", "size", "count", "status", "format", "location", "algorithm", "policy", "action", "profile", "label",
    "exp", "nbf",
];

/// Whether a property holds a secret, by the rule in the module docs.
pub fn is_secret(property: &Property) -> bool {
    if !matches!(property.data_type, DataType::String | DataType::StringList) || !property.enum_values.is_empty() {
        return false;
    }
    let name = property.name.to_ascii_lowercase().replace('_', "");
    if NOT_SECRET_SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
        || name.contains("public")
        || name.contains("pubkey")
        || name.starts_with("allow")
        || name.contains("with")
    {
        return false;
    }
    SECRET_WORDS.iter().any(|word| name.contains(word))
        || name.ends_with("psk")
        || name.strip_suffix("key").is_some_and(|prefix| SECRET_KEY_PREFIXES.contains(&prefix))
}

/// Sets [`Property::secret`] on every property of `api`'s resources.
pub fn mark(api: &mut Api) {
    for resource in api.resources.values_mut() {
        for property in resource.properties.values_mut() {
            property.secret = is_secret(property);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str) -> Property {
        Property { name: name.into(), data_type: DataType::String, ..Property::default() }
    }

    #[test]
    fn secrets_and_look_alikes() {
        for name in ["password", "passphrase", "passplain", "radkey", "tacacs_key", "sharedsecret", "clientsecret", "token", "psk", "apikey"] {
            assert!(is_secret(&text(name)), "{name} is a secret");
        }
        for name in ["certkey", "keyname", "key", "cakey", "fipskey", "metric_key", "publickey", "passwdfield", "tokenendpoint", "las_token_file_name", "username"] {
            assert!(!is_secret(&text(name)), "{name} is not a secret");
        }
        let switch = Property { enum_values: vec!["ENABLED".into(), "DISABLED".into()], ..text("allowextendedmastersecret") };
        assert!(!is_secret(&switch));
        let number = Property { data_type: DataType::Double, ..text("quicsecrettimeout") };
        assert!(!is_secret(&number));
    }
}
