//! A client configured from environment variables, for scripts and the
//! examples: [`Client::from_env`] (a built client) and
//! [`ClientBuilder::from_env`] (a builder, to change more before
//! `build()`).
//!
//! | variable | meaning |
//! |---|---|
//! | `NS_URL` | base URL of the appliance, `https://10.0.0.1` (required) |
//! | `NS_USER` | user name (required) |
//! | `NS_PASSWORD` | password (required) |
//! | `NS_CA_FILE` | PEM file of the appliance's certificate or its CA, trusted besides the built-in roots |
//! | `NS_INSECURE` | `1`: accept any certificate (lab appliances only) |
//! | `NS_ALLOW_HTTP` | `1`: allow an `http://` `NS_URL`, the password then travels in clear (labs only) |
//!
//! The client opens a session ([`ClientBuilder::session`]). A missing
//! required variable, an unreadable `NS_CA_FILE`, a flag that is not `0`
//! or `1`, or an `http://` URL without `NS_ALLOW_HTTP=1` is an
//! [`Error::Config`] naming the variable; nothing falls back to a default
//! address or empty credentials.

use crate::runtime::client::{Client, ClientBuilder};
use crate::runtime::error::{Error, Result};

/// Base URL of the appliance.
pub const NS_URL: &str = "NS_URL";
/// User name.
pub const NS_USER: &str = "NS_USER";
/// Password.
pub const NS_PASSWORD: &str = "NS_PASSWORD";
/// PEM file trusted as a root certificate.
pub const NS_CA_FILE: &str = "NS_CA_FILE";
/// `1`: accept any server certificate.
pub const NS_INSECURE: &str = "NS_INSECURE";
/// `1`: allow plain `http://` with credentials.
pub const NS_ALLOW_HTTP: &str = "NS_ALLOW_HTTP";

impl Client {
    /// A session client configured from the `NS_*` variables (see the
    /// [module docs](mod@crate::runtime::env)); same as
    /// `ClientBuilder::from_env()?.build()`.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env()?.build()
    }
}

impl ClientBuilder {
    /// A builder configured from the `NS_*` variables of the process (see
    /// the [module docs](mod@crate::runtime::env)).
    pub fn from_env() -> Result<ClientBuilder> {
        ClientBuilder::from_vars(|name| std::env::var(name).ok())
    }

    /// A builder configured from `NS_*` variables read through `var`
    /// (`None`: not set), for callers that keep them elsewhere (a test, a
    /// configuration file, one `NS_URL` per appliance).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder> {
        let required = |name: &str, what: &str| match var(name) {
            Some(value) if !value.trim().is_empty() => Ok(value),
            Some(_) => Err(Error::Config(format!("{name} is empty: set it to {what}"))),
            None => Err(Error::Config(format!("{name} is not set: set it to {what}"))),
        };
        let url = required(NS_URL, "the appliance's base url, e.g. https://10.0.0.1")?.trim().to_string();
        let user = required(NS_USER, "the user name")?;
        let password = required(NS_PASSWORD, "the password")?;
        let insecure = flag(&var, NS_INSECURE)?;
        let allow_http = flag(&var, NS_ALLOW_HTTP)?;

        let mut builder = ClientBuilder::new(url.clone()).session(user, password);
        if url.get(..7).is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://")) {
            if !allow_http {
                return Err(Error::Config(format!(
                    "{NS_URL} is {url}: over http the password travels in clear; use https, \
                     or set {NS_ALLOW_HTTP}=1 for a lab"
                )));
            }
            builder = allow_plain_http(builder);
        }
        if let Some(path) = var(NS_CA_FILE).filter(|path| !path.trim().is_empty()) {
            let pem = std::fs::read(&path).map_err(|error| Error::Config(format!("{NS_CA_FILE}={path}: cannot read it: {error}")))?;
            if !pem.windows(27).any(|window| window == b"-----BEGIN CERTIFICATE-----") {
                return Err(Error::Config(format!("{NS_CA_FILE}={path}: no PEM certificate in it (-----BEGIN CERTIFICATE-----)")));
            }
            builder = builder.add_root_certificate(&pem);
        }
        if insecure {
            builder = builder.danger_accept_invalid_certs(true);
        }
        Ok(builder)
    }
}

/// Lets the builder send credentials over `http://` (`NS_ALLOW_HTTP=1`),
/// which it refuses by default.
fn allow_plain_http(builder: ClientBuilder) -> ClientBuilder {
    builder.allow_insecure_http(true)
}

/// A `0`/`1` variable (also `true`/`false`, `yes`/`no`); unset or empty is
/// `false`.
fn flag(var: &impl Fn(&str) -> Option<String>, name: &str) -> Result<bool> {
    match var(name).as_deref().map(str::trim) {
        None | Some("") => Ok(false),
        Some(value) if ["1", "true", "yes"].iter().any(|v| value.eq_ignore_ascii_case(v)) => Ok(true),
        Some(value) if ["0", "false", "no"].iter().any(|v| value.eq_ignore_ascii_case(v)) => Ok(false),
        Some(value) => Err(Error::Config(format!("{name}={value:?}: write 1 or 0"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn from(pairs: &[(&str, &str)]) -> Result<ClientBuilder> {
        let vars: BTreeMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        ClientBuilder::from_vars(|name| vars.get(name).cloned())
    }

    fn config_error(result: Result<ClientBuilder>) -> String {
        match result {
            Err(Error::Config(message)) => message,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    const FULL: &[(&str, &str)] = &[(NS_URL, "https://192.0.2.1"), (NS_USER, "nsroot"), (NS_PASSWORD, "pa55-w0rd")];

    #[test]
    fn each_missing_variable_is_named() {
        for missing in [NS_URL, NS_USER, NS_PASSWORD] {
            let pairs: Vec<(&str, &str)> = FULL.iter().copied().filter(|(name, _)| *name != missing).collect();
            let message = config_error(from(&pairs));
            assert!(message.starts_with(&format!("{missing} is not set")), "{message}");
            let mut empty = pairs.clone();
            empty.push((missing, " "));
            assert!(config_error(from(&empty)).starts_with(&format!("{missing} is empty")));
        }
    }

    #[test]
    fn a_full_set_builds_a_session_client_and_hides_the_password() {
        let builder = from(FULL).unwrap();
        let printed = format!("{builder:?}");
        assert!(printed.contains("nsroot") && printed.contains("Session") && !printed.contains("pa55-w0rd"), "{printed}");
        let client = builder.build().unwrap();
        assert_eq!(client.base_url(), "https://192.0.2.1");
        assert!(!format!("{client:?}").contains("pa55-w0rd"));
    }

    #[test]
    fn plain_http_needs_ns_allow_http() {
        let mut pairs = FULL.to_vec();
        pairs[0] = (NS_URL, "HTTP://192.0.2.1");
        let message = config_error(from(&pairs));
        assert!(message.contains(NS_ALLOW_HTTP) && message.contains("in clear"), "{message}");
        pairs.push((NS_ALLOW_HTTP, "1"));
        // Builds: the opt-in reaches the builder's own http refusal.
        assert!(from(&pairs).unwrap().build().is_ok());
    }

    #[test]
    fn flags_are_0_or_1() {
        let mut pairs = FULL.to_vec();
        pairs.push((NS_INSECURE, "maybe"));
        let message = config_error(from(&pairs));
        assert!(message.contains("NS_INSECURE=\"maybe\""), "{message}");
        pairs.pop();
        pairs.push((NS_INSECURE, "1"));
        assert!(format!("{:?}", from(&pairs).unwrap()).contains("accept_invalid_certs: true"));
        pairs.pop();
        assert!(format!("{:?}", from(&pairs).unwrap()).contains("accept_invalid_certs: false"));
    }

    #[test]
    fn ca_file_is_read_or_named_in_the_error() {
        let mut pairs = FULL.to_vec();
        pairs.push((NS_CA_FILE, "/nonexistent/netscaler-ca.pem"));
        let message = config_error(from(&pairs));
        assert!(message.starts_with("NS_CA_FILE=/nonexistent/netscaler-ca.pem: cannot read it"), "{message}");
        let path = std::env::temp_dir().join(format!("netscaler-env-test-{}.txt", std::process::id()));
        std::fs::write(&path, "not a certificate").unwrap();
        pairs.pop();
        let text = path.to_string_lossy().into_owned();
        pairs.push((NS_CA_FILE, &text));
        let message = config_error(from(&pairs));
        std::fs::remove_file(&path).unwrap();
        assert!(message.contains("no PEM certificate"), "{message}");
    }
}
