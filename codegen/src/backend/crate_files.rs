//! Crate files: the manifest, `lib.rs`, one `mod.rs` per product, one
//! file per group, and the README.

use super::index::{GroupInfo, ProductIndex};
use super::model::{self, ident};
use super::{docs, header, print_rust, EmitSettings};
use crate::diagnostics::Diagnostic;
use crate::ir::{Product, ResourceKind};
use quote::quote;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The `[dependencies]` of the generated crate: exactly what the
/// hand-written runtime uses (see the list at the top of
/// `generated/src/runtime/mod.rs`). Change both together.
pub const RUNTIME_DEPENDENCIES: &str = r#"percent-encoding = "2.3"
reqwest = { version = "0.12", default-features = false, features = ["json", "rustls-tls", "cookies"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
thiserror = "2"
tokio = { version = "1", features = ["sync", "time"] }
"#;

/// Dev-dependencies of the generated crate (doc examples and tests).
const DEV_DEPENDENCIES: &str = r#"proptest = "1.8.0"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
"#;

/// Features on by default, where the groups exist.
const DEFAULT_FEATURES: &[&str] = &["basic", "lb"];

/// Lints allowed in every group module, each because generated names
/// cannot avoid it.
const GROUP_ALLOWS: &[(&str, &str)] = &[(
    "clippy::enum_variant_names",
    "variants are the reference's values, which may all share a word (`HTTP_GET`, `HTTP_POST`, `HTTP_PUT`)",
)];

/// What the crate-level files need to know.
pub struct CrateInfo<'a> {
    pub products: &'a [ProductIndex<'a>],
    /// Every input, for the headers of crate-level files.
    pub inputs: &'a [String],
    /// Release of the Next-Gen API, when one was given.
    pub nextgen: Option<&'a str>,
    /// Whether the Next-Gen emitter produced a module.
    pub nextgen_module: bool,
}

fn product_title(product: Product) -> &'static str {
    match product {
        Product::Adc => "NetScaler ADC",
        Product::Adm => "NetScaler ADM",
        Product::Nextgen => "NetScaler Next-Gen API",
        Product::Openapi => "OpenAPI",
    }
}

/// `src/<product>/<group>.rs`: every resource of one group.
pub fn group_file(
    product: &ProductIndex,
    group: &str,
    info: &GroupInfo,
    settings: &EmitSettings,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let api = product.api;
    let resources: Vec<_> = info.resources.iter().map(|id| &api.resources[id]).collect();
    let count = |kind: ResourceKind| resources.iter().filter(|r| r.kind == kind).count();
    let inner_doc = docs::inner_attrs(&[
        format!("NITRO group {} of {} {}.", docs::code(group), product_title(api.product), api.release),
        String::new(),
        format!(
            "{} resource{}: {} config, {} binding, {} stat. Behind the Cargo feature {}.",
            resources.len(),
            if resources.len() == 1 { "" } else { "s" },
            count(ResourceKind::Config),
            count(ResourceKind::Binding),
            count(ResourceKind::Stat),
            docs::code(&info.feature)
        ),
    ]);
    let allows = GROUP_ALLOWS.iter().map(|(lint, _)| {
        let lint: proc_macro2::TokenStream = lint.parse().expect("lint paths are valid");
        quote!(#![allow(#lint)])
    });
    let uses_fields = resources.iter().any(|r| !r.properties.is_empty());
    let as_field = uses_fields.then(|| quote!(use crate::runtime::AsField as _;));
    let items = resources.iter().map(|resource| model::emit_resource(product, resource, settings, diagnostics));
    let tokens = quote! {
        #inner_doc
        #(#allows)*
        use crate::runtime as rt;
        #as_field
        #(#items)*
    };
    let mut text = print_rust(std::slice::from_ref(&product.spec_path), tokens);
    // prettyplease drops comments, so each allow's reason goes in here.
    for (lint, reason) in GROUP_ALLOWS {
        let line = format!("#![allow({lint})]\n");
        text = text.replacen(&line, &format!("// Allowed: {reason}.\n{line}"), 1);
    }
    text
}

/// `src/<product>/mod.rs`: one feature-gated module per group.
pub fn product_mod(product: &ProductIndex) -> String {
    let api = product.api;
    let mut lines = vec![
        format!("{} NITRO resources, release {}.", product_title(api.product), api.release),
        String::new(),
        "One module per NITRO group, each behind the Cargo feature named in its docs.".to_string(),
    ];
    if let Some(oldest) = &product.oldest_since {
        lines.push(String::new());
        lines.push(format!(
            "Items whose docs give no release were in {}, the oldest release read, and perhaps before.",
            docs::code(oldest)
        ));
    }
    let inner_doc = docs::inner_attrs(&lines);
    let modules = product.groups.values().map(|info| {
        let feature = &info.feature;
        let module = ident(&info.module);
        quote! {
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            pub mod #module;
        }
    });
    print_rust(std::slice::from_ref(&product.spec_path), quote! { #inner_doc #(#modules)* })
}

/// `Cargo.toml` of the generated crate.
pub fn manifest(info: &CrateInfo) -> String {
    let mut text = header(info.inputs, "#");
    text.push_str(
        r#"[package]
name = "netscaler"
version = "0.1.0"
edition = "2021"
rust-version = "1.80"
license = "Apache-2.0"
description = "Typed async client for NetScaler (Citrix ADC) NITRO and Next-Gen APIs, generated from the API references"
repository = "https://github.com/netscaler-rs/netscaler"
readme = "README.md"
keywords = ["netscaler", "citrix", "adc", "nitro", "api"]
categories = ["api-bindings", "network-programming", "web-programming::http-client"]

[package.metadata.docs.rs]
all-features = true
rustdoc-args = ["--cfg", "docsrs"]

[dependencies]
"#,
    );
    text.push_str(RUNTIME_DEPENDENCIES);
    text.push_str("\n[dev-dependencies]\n");
    text.push_str(DEV_DEPENDENCIES);

    // Features: one per group, each listing the groups its types name.
    let mut features: Vec<(String, Vec<String>)> = Vec::new();
    for product in info.products {
        for group in product.groups.values() {
            let needs = group.needs.iter().map(|other| product.groups[other].feature.clone()).collect();
            features.push((group.feature.clone(), needs));
        }
    }
    if info.nextgen.is_some() {
        features.push(("nextgen".to_string(), Vec::new()));
    }
    features.sort();
    let all: BTreeSet<&str> = features.iter().map(|(name, _)| name.as_str()).collect();
    let defaults: Vec<&str> = DEFAULT_FEATURES.iter().copied().filter(|f| all.contains(f)).collect();

    text.push_str("\n[features]\n");
    let _ = writeln!(text, "default = {}", toml_list(defaults.iter().copied()));
    let _ = writeln!(text, "full = {}", toml_list(all.iter().copied()));
    for (name, needs) in &features {
        let _ = writeln!(text, "{} = {}", toml_key(name), toml_list(needs.iter().map(String::as_str)));
    }
    text
}

fn toml_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(|item| format!("{item:?}")).collect();
    format!("[{}]", items.join(", "))
}

/// Feature names are `[a-z0-9_-]`, which TOML accepts as bare keys.
fn toml_key(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        name.to_string()
    } else {
        format!("{name:?}")
    }
}

/// `src/lib.rs`: crate docs, the runtime re-exports, product modules and
/// the releases the crate was generated from.
pub fn lib_rs(info: &CrateInfo) -> String {
    let releases: Vec<(String, String)> = info
        .products
        .iter()
        .map(|p| (p.api.product.as_str().to_string(), p.api.release.clone()))
        .chain(info.nextgen.map(|release| ("nextgen".to_string(), release.to_string())))
        .collect();
    let mut lines = vec![
        "Typed async client for the NetScaler (Citrix ADC) NITRO REST API.".to_string(),
        String::new(),
        "Every NITRO resource is a struct whose fields are the resource's properties, with".to_string(),
        "one function per operation returning a [`Request`] that a [`Client`] sends.".to_string(),
        "Everything outside [`runtime`] is generated by `cargo xtask codegen` from the".to_string(),
        "API reference; the doc comments state facts (URLs, keys, types, ranges, defaults,".to_string(),
        "possible values), not the reference's prose.".to_string(),
        String::new(),
        "# Generated from".to_string(),
        String::new(),
    ];
    for product in info.products {
        let api = product.api;
        let mut line = format!("- {} {}", product_title(api.product), docs::code(&api.release));
        if api.source.derived {
            line.push_str(" (derived facts");
            if let Some(base) = &api.source.overlay_on {
                line.push_str(&format!(" overlaid on {}", docs::code(base)));
            }
            line.push(')');
        }
        lines.push(line);
    }
    if let Some(release) = info.nextgen {
        lines.push(format!("- {} {}", product_title(Product::Nextgen), docs::code(release)));
    }
    lines.extend([
        String::new(),
        "# Features".to_string(),
        String::new(),
        "One Cargo feature per NITRO group (`lb`, `ssl`, `cs`, ...) and per ADM group".to_string(),
        "(`adm-<group>`); `default` enables `basic` and `lb`, `full` enables all.".to_string(),
    ]);
    if info.nextgen_module {
        lines.push("The Next-Gen API module is behind `nextgen`.".to_string());
    }
    if has_lbvserver(info) {
        lines.extend(
            [
                "",
                "# Quick start",
                "",
                "```no_run",
                "use netscaler::adc::lb::Lbvserver;",
                "use netscaler::Client;",
                "",
                "# async fn example() -> netscaler::Result<()> {",
                "let client = Client::builder(\"https://adc.example.net\").credentials(\"nsroot\", \"secret\").build()?;",
                "let servers: Vec<Lbvserver> = client.send(Lbvserver::get_all()).await?;",
                "# let _ = servers;",
                "# Ok(())",
                "# }",
                "```",
            ]
            .map(String::from),
        );
    }
    let doc = docs::inner_attrs(&lines);
    let modules = info.products.iter().map(|product| {
        let module = ident(product.module);
        quote!(pub mod #module;)
    });
    let nextgen_module = info.nextgen_module.then(|| {
        quote! {
            #[cfg(feature = "nextgen")]
            #[cfg_attr(docsrs, doc(cfg(feature = "nextgen")))]
            pub mod nextgen;
        }
    });
    let release_items = releases.iter().map(|(product, release)| quote!((#product, #release)));
    let releases_doc = docs::attrs(&["(product, release) pairs this crate was generated from.".to_string()]);
    let tokens = quote! {
        #doc
        #![cfg_attr(docsrs, feature(doc_cfg))]

        pub mod runtime;
        pub use runtime::{Client, ClientBuilder, Error, Result, Number, Open, WireEnum, Request, Outcome, OnError, Method};

        #(#modules)*
        #nextgen_module

        #releases_doc
        pub const RELEASES: &[(&str, &str)] = &[#(#release_items),*];
    };
    print_rust(info.inputs, tokens)
}

/// The quick start uses `adc::lb::Lbvserver`, which only some inputs have.
fn has_lbvserver(info: &CrateInfo) -> bool {
    info.products.iter().any(|product| {
        product.api.product == Product::Adc
            && product.types.get("lbvserver").is_some_and(|t| t.ident == "Lbvserver")
            && product.groups.get("lb").is_some_and(|g| g.module == "lb" && g.feature == "lb")
            && product.types["lbvserver"].group == "lb"
            && product.api.resources["lbvserver"].operations.contains_key("get_all")
    })
}

/// `README.md` of the generated crate (facts only).
pub fn readme(info: &CrateInfo) -> String {
    let mut text = header(info.inputs, "<!--").replace(". Do not edit.\n", ". Do not edit. -->\n");
    text.push_str("\n# netscaler\n\nTyped async client for the NetScaler (Citrix ADC) NITRO REST API, generated from the API reference.\n\n");
    text.push_str("Generated from:\n\n");
    for product in info.products {
        let api = product.api;
        let resources = api.resources.len();
        let _ = writeln!(text, "- {} {}: {resources} resources in {} groups", product_title(api.product), api.release, product.groups.len());
    }
    if let Some(release) = info.nextgen {
        let _ = writeln!(text, "- {} {release}", product_title(Product::Nextgen));
    }
    text.push_str("\nOne Cargo feature per group; `default` enables `basic` and `lb`, `full` enables all.\n");
    text
}
