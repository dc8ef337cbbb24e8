//! The hand-written examples of the `netscaler` crate, run against the
//! local NITRO test server: `generated/examples/everyday.rs` is included
//! as a module and its `everyday` function called twice (the second run
//! meets "already exists" for every object and must still succeed).

#[path = "../../generated/examples/everyday.rs"]
mod everyday;

use netscaler::Client;
use netscaler_tests::nitro_server::{NitroServer, PASSWORD, USER};

#[tokio::test]
async fn everyday_jobs_run_against_the_test_server_and_twice() {
    let server = NitroServer::start().await;
    let client = Client::builder(server.base_url()).session(USER, PASSWORD).build().unwrap();

    // One HTTP virtual server exists before, and a TCP one the filter hides.
    {
        let mut state = server.state();
        let vservers = state.objects.entry("lbvserver".into()).or_default();
        for (name, servicetype) in [("old-http", "HTTP"), ("old-tcp", "TCP")] {
            let object = serde_json::json!({"name": name, "servicetype": servicetype, "ipv46": "10.0.0.1", "port": 80});
            vservers.insert(name.into(), object.as_object().unwrap().clone());
        }
    }

    let first = everyday::everyday(&client).await.expect("first run");
    assert_eq!(first.http_vservers_before, ["old-http"]);
    assert!(first.already_existed.is_empty(), "{:?}", first.already_existed);
    assert_eq!(first.requests.len(), 1);
    assert_eq!(first.requests[0].0, "web-vs");
    assert!(first.requests[0].1 > 0);

    {
        let state = server.state();
        assert_eq!(state.saves, 1);
        assert!(state.objects["server"].contains_key("web-1"));
        assert!(state.objects["servicegroup"].contains_key("web-sg"));
        let bound = &state.bindings["lbvserver_servicegroup_binding"];
        assert!(bound.iter().any(|row| row["name"] == "web-vs" && row["servicegroupname"] == "web-sg"), "{bound:?}");
        let members = &state.bindings["servicegroup_servicegroupmember_binding"];
        assert!(members.iter().any(|row| row["servername"] == "web-1" && row["port"] == 80), "{members:?}");
        // Logged out at the end: no session left open.
        assert!(state.sessions.is_empty(), "{:?}", state.sessions);
    }

    let second = everyday::everyday(&client).await.expect("second run tolerates existing objects");
    assert_eq!(second.http_vservers_before, ["old-http", "web-vs"]);
    assert_eq!(second.already_existed.len(), 5, "{:?}", second.already_existed);
    assert_eq!(server.state().saves, 2);
}
