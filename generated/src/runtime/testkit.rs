//! The NITRO simulator of the crate `netscaler-testkit` (feature
//! `testkit`), re-exported, and a client for it.
//!
//! The kit is its own crate, with no dependency on this one, so that the
//! bindings compile no larger for it; this module adds what needs the
//! client.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use netscaler::testkit::NitroServer;
//! let server = NitroServer::start().await?;
//! let client = netscaler::testkit::client(&server)?;
//! client.login().await?;
//! assert!(server.object("lbvserver", "web").is_none());
//! # Ok(())
//! # }
//! ```

pub use netscaler_testkit::*;

/// A client builder for `server`: its base URL, plain `http` allowed
/// (loopback), a session with the credentials it accepts and no retries
/// (so a fault shows at once). Change any of it before `build`.
pub fn client_builder(server: &NitroServer) -> crate::ClientBuilder {
    crate::Client::builder(server.base_url())
        .allow_insecure_http(true)
        .session(server.username(), server.password())
        .retry(crate::RetryPolicy::none())
}

/// [`client_builder`], built.
pub fn client(server: &NitroServer) -> crate::Result<crate::Client> {
    client_builder(server).build()
}
