//! The generator's tests, one module each in one test binary (one link
//! instead of eighteen): frontends on fixtures and on the reference
//! corpus (`../shared`), the backend and its snapshots, freshness of
//! `generated/` and `specs/`, hostile inputs, and nested compile checks
//! of emitted crates (`netscaler_tests::nested`).

mod backend_compile;
mod backend_emit;
mod bundle_conformance;
mod bundle_fixture;
mod diff;
mod errors_listing;
mod facts_bundle_snapshots;
mod facts_overlay;
mod freshness;
mod hostile_inputs;
mod nitro_corpus;
mod nitro_scrape;
mod openapi_codegen;
mod openapi_frontend;
mod openapi_nextgen;
mod openapi_public;
mod openapi_standalone;
mod secret_properties;
