//! End-to-end tests of the client, the test kit and the examples against
//! local servers, in one test binary (one link instead of sixteen: about
//! ten seconds of a cold `cargo test` on two cores). The tests that watch
//! `tracing` output stay in binaries of their own (`e2e_tracing`,
//! `e2e_firmware_check`): tracing caches per callsite whether anyone
//! listens, so another test's requests could hide their events.

mod client;
mod connecting;
mod decode_stored;
mod desired_state;
mod examples;
mod generated;
mod nextgen_trust;
mod openapi_nextgen_client;
mod reach;
mod reference;
mod testkit;
mod testkit_readme;
mod throughput;
mod tls;
mod trust;
mod workflows;
