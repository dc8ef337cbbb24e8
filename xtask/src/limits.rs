//! The input limits of the frontends as flags, shared by the commands
//! that read pages, bundles and documents (see `codegen::frontend::limits`
//! for what each bounds and why the defaults).

use codegen::frontend::limits::{Limits, DEFAULT_MAX_BUNDLE_BYTES, DEFAULT_MAX_INPUT_BYTES, DEFAULT_MAX_MEMBER_BYTES, DEFAULT_MAX_NODES};

#[derive(clap::Args, Clone, Debug)]
pub struct LimitArgs {
    /// Largest input file (page, YAML or JSON document) in bytes
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_INPUT_BYTES)]
    pub max_input_bytes: u64,
    /// Most values in one YAML or JSON document, YAML aliases expanded
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_NODES)]
    pub max_nodes: u64,
    /// Largest decompressed member of a bundle archive in bytes
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_MEMBER_BYTES)]
    pub max_member_bytes: u64,
    /// Most bytes decompressed from one bundle, nested archives included
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BUNDLE_BYTES)]
    pub max_bundle_bytes: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits { max_input_bytes: self.max_input_bytes, max_nodes: self.max_nodes, max_member_bytes: self.max_member_bytes, max_bundle_bytes: self.max_bundle_bytes }
    }
}
