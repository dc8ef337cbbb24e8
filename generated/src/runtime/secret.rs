//! `Secret`: a password or session token that never shows in `Debug`
//! output, error messages or logs.

use std::fmt;

/// A secret string. `Debug` prints `Secret("***")`; there is no `Display`
/// and no `Serialize`, so a secret reaches the wire only where the client
/// reads it with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself; call only to put it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"***\")")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_string())
    }
}

/// Why `base_url` cannot be a client's base URL: not http(s), a user
/// name or password in it, a query or fragment, or plain http while
/// secrets are configured (`has_secret`) and not `allow_insecure_http`.
/// The text never shows the user part.
pub(crate) fn check_base_url(base_url: &str, has_secret: bool, allow_insecure_http: bool) -> std::result::Result<(), String> {
    let shown = redacted_base_url(base_url);
    let parsed = reqwest::Url::parse(base_url).map_err(|error| format!("base url {shown:?} is not a url: {error}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("base url {shown:?} is not http or https"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!("base url {shown:?} holds a user name or password: give them with the builder's session or credentials instead"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!("base url {shown:?} has a query or fragment: give the scheme and host only"));
    }
    if parsed.scheme() == "http" && has_secret && !allow_insecure_http {
        return Err(format!(
            "base url {shown:?} is plain http, so the password and session token would travel in clear: \
             use https, or allow_insecure_http(true) on the builder for a test server"
        ));
    }
    Ok(())
}

/// A base URL for messages and `Debug`: no user part, query or fragment,
/// even when it does not parse.
pub(crate) fn redacted_base_url(text: &str) -> String {
    if let Ok(mut url) = reqwest::Url::parse(text) {
        if url.has_host() {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.set_query(None);
            url.set_fragment(None);
            return url.to_string().trim_end_matches('/').to_string();
        }
    }
    let text = text.split(['?', '#']).next().unwrap_or_default();
    match text.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            let (authority, path) = rest.split_at(authority_end);
            let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
            format!("{scheme}://{host}{path}")
        }
        None => text.rsplit_once('@').map_or(text, |(_, host)| host).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_redacts_the_value() {
        let secret = Secret::new("hunter2-p@ss");
        let printed = format!("{secret:?} {secret:#?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("***"));
        assert_eq!(secret.expose(), "hunter2-p@ss");
    }

    #[test]
    fn debug_of_a_struct_holding_it_redacts_too() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Login {
            username: String,
            password: Secret,
        }
        let login = Login { username: "nsroot".into(), password: "s3cr3t".into() };
        let printed = format!("{login:?}");
        assert!(printed.contains("nsroot"));
        assert!(!printed.contains("s3cr3t"), "{printed}");
    }
}
