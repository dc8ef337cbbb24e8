//! HA and lifecycle: waiting for NITRO after a reboot or an upgrade
//! ([`Client::wait_ready`]), the HA role of a node ([`Client::ha_role`]),
//! the primary of a pair ([`Client::connect_primary`]) and the first-boot
//! password change ([`Client::change_password_on_first_login`]).
//!
//! Model-agnostic: these read `hanode` and `nsversion` as JSON, so they
//! need no resource feature.

use crate::runtime::client::{Client, ClientBuilder};
use crate::runtime::error::{Error, Result};
use crate::runtime::resource::{Method, Parts, Request};
use crate::runtime::secret::Secret;
use serde_json::Value;
use std::time::{Duration, Instant};

/// What [`Client::wait_ready`] saw before NITRO answered.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ready {
    /// From the first probe to the answer.
    pub waited: Duration,
    /// Probes sent, the answering one included.
    pub attempts: u32,
}

/// The HA role of the node a client talks to, from its `hanode` row of
/// id 0 (each node lists itself as node 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HaRole {
    /// Node 0's `state` is `Primary` and there is a peer node.
    Primary,
    /// Node 0's `state` is `Secondary`.
    Secondary,
    /// No peer node is configured (only node 0): writes go here.
    Standalone,
    /// Any other `state` (`UNKNOWN`, or a value newer firmware adds), as
    /// the appliance wrote it.
    Other(String),
}

impl HaRole {
    /// Configuration changes belong on this node: it is the primary of a
    /// pair or a standalone node (a secondary refuses most writes, and
    /// what it takes is overwritten by the next synchronisation).
    pub fn takes_writes(&self) -> bool {
        matches!(self, HaRole::Primary | HaRole::Standalone)
    }
}

/// `GET` of this path tells whether NITRO answers: any NITRO answer (2xx,
/// or an error body with an `errorcode` such as "not logged in") means it
/// does.
const PROBE_PATH: &str = "/nitro/v1/config/nsversion";

impl Client {
    /// Waits until NITRO answers again after a reboot or an upgrade: probes
    /// `GET /nitro/v1/config/nsversion` (without a session, so a failed
    /// login backoff never slows it) until an answer comes from NITRO
    /// itself, at most `timeout`. Refused connections, timeouts, 5xx
    /// answers (503 while NITRO starts, 502/504 from a proxy) and bodies
    /// that are not NITRO JSON mean "not yet". The wait between probes is
    /// a thirtieth of `timeout`, between 50 ms and 5 s; see
    /// [`Client::wait_ready_every`] to choose it.
    ///
    /// Gives up with [`Error::NotReady`], naming what the last probe saw.
    pub async fn wait_ready(&self, timeout: Duration) -> Result<Ready> {
        let interval = (timeout / 30).clamp(Duration::from_millis(50), Duration::from_secs(5));
        self.wait_ready_every(timeout, interval).await
    }

    /// [`Client::wait_ready`] with `interval` between probes.
    pub async fn wait_ready_every(&self, timeout: Duration, interval: Duration) -> Result<Ready> {
        let start = Instant::now();
        let parts = Parts { method: Method::Get, path: PROBE_PATH.into(), resource: "nsversion", ..Parts::default() };
        let mut attempts = 0;
        loop {
            attempts += 1;
            let last = match self.probe(&parts).await {
                Ok((status, body)) if nitro_answered(status, &body) => {
                    return Ok(Ready { waited: start.elapsed(), attempts });
                }
                Ok((status, _)) => format!("http {status} without a NITRO answer"),
                Err(error @ (Error::Transport(_) | Error::ResponseTooLarge { .. })) => error.to_string(),
                // A request this client cannot send will not get better.
                Err(error) => return Err(error),
            };
            let elapsed = start.elapsed();
            if elapsed + interval > timeout {
                return Err(Error::NotReady { waited: elapsed, attempts, last });
            }
            tokio::time::sleep(interval).await;
        }
    }

    /// The HA role of the node this client talks to (`GET
    /// /nitro/v1/config/hanode`, node id 0's `state`).
    pub async fn ha_role(&self) -> Result<HaRole> {
        let answer = self.send(Request::raw(Method::Get, "/nitro/v1/config/hanode")).await?;
        ha_role_of(&answer)
    }

    /// Connects to the primary of an HA pair: builds a client for each
    /// address with `builder` (the same credentials and trust for each),
    /// asks every node its role, and returns the client of the one node
    /// that takes writes (primary, or standalone). Refused with
    /// [`Error::NoPrimary`] when no node is, or when more than one says it
    /// is (a split pair: writing to either would be lost), naming each
    /// address with its role or error.
    ///
    /// ```no_run
    /// # async fn run() -> netscaler::Result<()> {
    /// use netscaler::runtime::Client;
    /// let client = Client::connect_primary(["https://10.0.0.1", "https://10.0.0.2"], |address| {
    ///     Client::builder(address).session("nsroot", std::env::var("NS_PASSWORD").unwrap_or_default())
    /// })
    /// .await?;
    /// # Ok(()) }
    /// ```
    pub async fn connect_primary<A: AsRef<str>>(
        addresses: impl IntoIterator<Item = A>,
        builder: impl Fn(&str) -> ClientBuilder,
    ) -> Result<Client> {
        let mut takers = Vec::new();
        let mut seen = Vec::new();
        for address in addresses {
            let address = address.as_ref();
            let client = builder(address).build()?;
            match client.ha_role().await {
                Ok(role) => {
                    seen.push(format!("{}: {role:?}", client.base_url()));
                    if role.takes_writes() {
                        takers.push(client);
                    }
                }
                Err(error) => seen.push(format!("{}: {error}", client.base_url())),
            }
        }
        match takers.len() {
            1 => Ok(takers.remove(0)),
            0 if seen.is_empty() => Err(Error::NoPrimary("no address given".into())),
            0 => Err(Error::NoPrimary(seen.join("; "))),
            _ => Err(Error::NoPrimary(format!("more than one node takes writes (a split pair?): {}", seen.join("; ")))),
        }
    }

    /// Changes the password at the first login of a new appliance, whose
    /// logins fail with errorcode 1046 until then
    /// ([`Error::is_password_change_required`]): logs in with the current
    /// password and `new_password` (the login body's `new_password`, as
    /// the vendor's SDKs send it), closes that session, and returns a
    /// client like this one that uses the new password.
    ///
    /// ```no_run
    /// # async fn run(client: netscaler::runtime::Client) -> netscaler::Result<()> {
    /// let client = match client.login().await {
    ///     Err(error) if error.is_password_change_required() => {
    ///         let client = client.change_password_on_first_login("N3w-pass!").await?;
    ///         client.login().await?;
    ///         client
    ///     }
    ///     other => other.map(|()| client)?,
    /// };
    /// # Ok(()) }
    /// ```
    pub async fn change_password_on_first_login(&self, new_password: impl Into<Secret>) -> Result<Client> {
        let new_password = new_password.into();
        if new_password.expose().is_empty() {
            return Err(Error::InvalidRequest("the new password is empty".into()));
        }
        self.login_changing_password(&new_password).await?;
        self.builder_with_password(new_password).build()
    }
}

/// An answer from NITRO itself: 2xx, or 4xx with a NITRO error body.
fn nitro_answered(status: u16, body: &[u8]) -> bool {
    let nitro_body = || serde_json::from_slice::<Value>(body).is_ok_and(|value| value.get("errorcode").is_some());
    match status {
        200..=299 => true,
        400..=499 => nitro_body(),
        _ => false,
    }
}

/// The role in a `hanode` answer.
fn ha_role_of(answer: &Value) -> Result<HaRole> {
    let nodes: Vec<&Value> = match answer.get("hanode") {
        Some(Value::Array(nodes)) => nodes.iter().collect(),
        Some(node @ Value::Object(_)) => vec![node],
        _ => Vec::new(),
    };
    let is_local = |node: &&&Value| match node.get("id") {
        Some(Value::String(id)) => id.trim() == "0",
        Some(Value::Number(id)) => id.as_f64() == Some(0.0),
        _ => false,
    };
    let local = nodes.iter().find(is_local).ok_or_else(|| Error::Decode {
        resource: "hanode".into(),
        status: 200,
        message: "the answer has no node with id 0 (this node)".into(),
    })?;
    if nodes.len() == 1 {
        return Ok(HaRole::Standalone);
    }
    Ok(match local.get("state").and_then(Value::as_str).unwrap_or_default() {
        state if state.eq_ignore_ascii_case("Primary") => HaRole::Primary,
        state if state.eq_ignore_ascii_case("Secondary") => HaRole::Secondary,
        other => HaRole::Other(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ha_role_is_node_zero_state_and_standalone_without_a_peer() {
        let pair = |state: &str| json!({"hanode": [{"id": "0", "state": state}, {"id": "1", "state": "Secondary"}]});
        assert_eq!(ha_role_of(&pair("Primary")).unwrap(), HaRole::Primary);
        assert_eq!(ha_role_of(&pair("Secondary")).unwrap(), HaRole::Secondary);
        assert_eq!(ha_role_of(&pair("UNKNOWN")).unwrap(), HaRole::Other("UNKNOWN".into()));
        assert_eq!(ha_role_of(&json!({"hanode": [{"id": 0, "state": "Primary"}]})).unwrap(), HaRole::Standalone);
        assert!(matches!(ha_role_of(&json!({"hanode": [{"id": "1"}]})), Err(Error::Decode { .. })));
        assert!(matches!(ha_role_of(&json!({"errorcode": 0})), Err(Error::Decode { .. })));
    }

    #[test]
    fn only_nitro_bodies_count_as_ready() {
        assert!(nitro_answered(200, b""));
        assert!(nitro_answered(401, br#"{"errorcode":354,"message":"Not logged in"}"#));
        assert!(!nitro_answered(503, br#"{"errorcode":0}"#));
        assert!(!nitro_answered(404, b"<html>not found</html>"));
        assert!(!nitro_answered(302, b""));
    }
}
