//! End-to-end: the client's tracing spans (feature `tracing`), alone in
//! this test binary so that no other test registers the client's span
//! callsites while no subscriber listens (tracing caches that interest).

use netscaler::runtime::{Client, Request, RetryPolicy};
use netscaler_tests::hand_model;
use netscaler_tests::nitro_server::{NitroServer, PASSWORD, USER};
use std::sync::Arc;
use std::time::Duration;

hand_model!(Lbvserver, "lbvserver", Config, ["name"], {
    "name" => name: Option<String>,
});

fn builder(server: &NitroServer) -> netscaler::ClientBuilder {
    Client::builder(server.base_url()).allow_insecure_http(true).retry(RetryPolicy::new(4, Duration::from_millis(20)))
}

/// A subscriber that keeps the fields of every `nitro_request` span and of
/// every event, as text.
#[derive(Default)]
struct Spans {
    spans: std::sync::Mutex<Vec<(String, std::collections::BTreeMap<String, String>)>>,
    events: std::sync::Mutex<Vec<String>>,
}

struct Fields<'a>(&'a mut std::collections::BTreeMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

struct Collect(Arc<Spans>);

impl tracing::Subscriber for Collect {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = std::collections::BTreeMap::new();
        span.record(&mut Fields(&mut fields));
        let mut spans = self.0.spans.lock().unwrap();
        spans.push((span.metadata().name().to_string(), fields));
        tracing::span::Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut spans = self.0.spans.lock().unwrap();
        if let Some((_, fields)) = spans.get_mut(span.into_u64() as usize - 1) {
            values.record(&mut Fields(fields));
        }
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = std::collections::BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.0.events.lock().unwrap().push(format!("{fields:?}"));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn each_request_has_a_span_with_its_outcome_and_no_secret() {
    let server = NitroServer::start().await;
    let collected = Arc::new(Spans::default());
    let _default = tracing::subscriber::set_default(Collect(collected.clone()));
    // Other tests of this binary may have registered the client's span
    // while no subscriber listened (interest "never", cached per callsite):
    // ask again now that this one does.
    tracing::callsite::rebuild_interest_cache();
    let client = builder(&server).session(USER, PASSWORD).build().unwrap();
    client.send(Request::<Vec<Lbvserver>>::get_all().filter("name", "s3cret-filter")).await.unwrap();
    server.unavailable_for(2);
    client.send(Request::<Vec<Lbvserver>>::get_all()).await.unwrap();
    client.send(Request::<Vec<Lbvserver>>::get("no-such-vs")).await.unwrap_err();
    let token = server.state().sessions.keys().next().cloned().unwrap();

    let spans: Vec<std::collections::BTreeMap<String, String>> =
        collected.spans.lock().unwrap().iter().filter(|(name, _)| name == "nitro_request").map(|(_, fields)| fields.clone()).collect();
    let field = |index: usize, name: &str| spans[index].get(name).cloned().unwrap_or_default();
    assert_eq!(spans.len(), 4, "login and three reads: {spans:?}");
    assert_eq!((field(0, "method"), field(0, "path"), field(0, "status")), ("POST".into(), "/nitro/v1/config/login".into(), "201".into()));
    assert_eq!((field(1, "path"), field(1, "status"), field(1, "retries")), ("/nitro/v1/config/lbvserver".into(), "200".into(), "0".into()));
    assert_eq!((field(2, "status"), field(2, "retries")), ("200".into(), "2".into()), "two 503s, then the answer");
    assert_eq!((field(3, "status"), field(3, "errorcode")), ("404".into(), "258".into()));
    assert!(spans.iter().all(|span| span.contains_key("elapsed_ms")));
    let retries = collected.events.lock().unwrap().iter().filter(|event| event.contains("retrying")).count();
    assert_eq!(retries, 2);
    let everything = format!("{spans:?} {:?}", collected.events.lock().unwrap());
    for secret in [PASSWORD, "s3cret-filter", token.as_str()] {
        assert!(!everything.contains(secret), "{secret} in {everything}");
    }
}
