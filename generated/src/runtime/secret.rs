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
