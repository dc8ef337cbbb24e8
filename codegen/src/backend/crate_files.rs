//! Crate files: the manifest, `lib.rs`, one `mod.rs` per product, one
//! file per group, and the README.

use super::index::{self, GroupInfo, ProductIndex};
use super::model::{self, ident};
use super::shape::ResourceShape;
use super::{docs, header, print_rust, print_rust_after, EmitSettings, CODEGEN_COMMAND};
use crate::ir::Item;
use crate::ir::{Product, ResourceKind};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The `[dependencies]` of the generated crate and of a standalone crate
/// (`standalone::manifest`): exactly what the hand-written runtime uses,
/// as (name, version) in manifest syntax. The one list; the runtime's
/// module docs repeat it for readers, and a test checks they agree. The
/// TLS backend comes from [`RUNTIME_FEATURES`].
pub const RUNTIME_DEPENDENCIES: &[(&str, &str)] = &[
    ("percent-encoding", r#""2.3""#),
    ("reqwest", r#"{ version = "0.12", default-features = false, features = ["json", "cookies"] }"#),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    ("serde_json", r#""1""#),
    ("thiserror", r#""2""#),
    ("tokio", r#"{ version = "1", features = ["sync", "time"] }"#),
    ("tracing", r#"{ version = "0.1", optional = true }"#),
];

/// The runtime's own features (TLS backend, tracing), besides the group
/// features; `rustls` is on by default. Same list in
/// `generated/src/runtime/mod.rs` and the standalone manifest.
pub const RUNTIME_FEATURES: &str = r#"rustls = ["reqwest/rustls-tls"]
native-tls = ["reqwest/native-tls"]
tracing = ["dep:tracing"]
"#;

/// The optional dependency of the `testkit` feature: the NITRO simulator,
/// its own crate (`generated/testkit/`, hand-written but for its rules)
/// with no dependency on this one, so that the bindings' compile does not
/// grow with it; `runtime/testkit.rs` re-exports it and adds a client.
/// Not in [`RUNTIME_DEPENDENCIES`]: standalone crates have no kit.
/// It is released with the bindings: `@VERSION@` becomes [`CRATE_VERSION`]
/// (cargo refuses a path crate of another version).
pub const TESTKIT_DEPENDENCIES: &[(&str, &str)] =
    &[("netscaler-testkit", r#"{ version = "@VERSION@", path = "testkit", optional = true }"#)];

/// The `testkit` feature: off by default, in no other feature.
pub const TESTKIT_FEATURE: &str = r#"testkit = ["dep:netscaler-testkit"]
"#;

/// Dev-dependencies of the generated crate (doc examples and tests).
const DEV_DEPENDENCIES: &str = r#"proptest = "1.8.0"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
"#;

/// Version of the generated crate. Bumped by hand when a release is cut,
/// following `docs/semver.md`: minor for a breaking change (the changelog
/// says which release pairs have one), patch otherwise.
pub const CRATE_VERSION: &str = "0.2.0";

/// Minimum supported Rust version of the generated crate.
const RUST_VERSION: &str = "1.80";

/// Hand-written examples under `generated/examples/` (the backend never
/// writes or deletes them: they carry no `@generated` marker), the
/// features each needs and the ADC resources it uses. An example is
/// listed in the manifest (with `required-features`) only when the ADC
/// input has those resources, so a crate emitted from other inputs (test
/// fixtures) does not name an example it cannot have.
const EXAMPLES: &[(&str, &[&str], &[&str])] = &[
    (
        "cert_inventory",
        &["ssl"],
        &["sslcertkey", "sslcertkey_binding", "sslcertkey_sslvserver_binding", "sslcertkey_service_binding"],
    ),
    (
        "everyday",
        &["basic", "lb", "ns"],
        &["lbvserver", "server", "servicegroup", "servicegroup_servicegroupmember_binding", "lbvserver_servicegroup_binding", "stat/lbvserver", "nsconfig"],
    ),
];

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

/// `src/<product>/<group>.rs`: every resource of one group, printed as
/// `shapes` (resource id -> shape, every resource of the group) decided.
pub fn group_file(
    product: &ProductIndex,
    group: &str,
    info: &GroupInfo,
    shapes: &BTreeMap<String, ResourceShape>,
    settings: &EmitSettings,
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
    let uses_fields = resources.iter().any(|r| !r.properties.is_empty());
    let as_field = uses_fields.then(|| quote!(use crate::runtime::AsField as _;));
    let items = resources.iter().map(|resource| model::emit_resource(product, resource, &shapes[&resource.id()], settings));
    let tokens = quote! {
        #inner_doc
        use crate::runtime as rt;
        #as_field
        #(#items)*
    };
    // Inner attributes go before the module docs, each after the comment
    // that says why (prettyplease would drop the comment).
    let allows: String = GROUP_ALLOWS.iter().map(|(lint, reason)| format!("// Allowed: {reason}.\n#![allow({lint})]\n")).collect();
    print_rust_after(CODEGEN_COMMAND, std::slice::from_ref(&product.spec_path), &allows, tokens)
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
    // Resources of older releases this one lacks: one bullet each (ADM
    // 14.1 lacks 188 of 12.1's).
    let gone: Vec<_> = product.removed.iter().filter(|gone| gone.item == Item::Resource).collect();
    if !gone.is_empty() {
        lines.push(String::new());
        lines.push(format!("Resources of older releases that {} lacks:", docs::code(&api.release)));
        lines.push(String::new());
        for gone in gone {
            lines.push(format!("- {}: {}", index::gone_entry(&gone.resource, gone), index::gone_reason(gone.reason)));
        }
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
    let facts = model::resource_facts(product);
    let facts_doc = docs::attrs(&["Facts the runtime looks up by resource name (`runtime::resource`): releases for the firmware check, a binding's delete arguments.".to_string()]);
    print_rust(
        std::slice::from_ref(&product.spec_path),
        quote! { #inner_doc #(#modules)* #facts_doc pub(crate) const RESOURCE_FACTS: &str = #facts; },
    )
}

/// One `[dependencies]` line, `@VERSION@` read as [`CRATE_VERSION`].
fn dependency_line(name: &str, spec: &str) -> String {
    format!("{name} = {}\n", spec.replace("@VERSION@", CRATE_VERSION))
}

/// `Cargo.toml` of the generated crate.
pub fn manifest(info: &CrateInfo) -> String {
    let mut text = header(info.inputs, "#");
    text.push_str(
        &r#"[package]
name = "netscaler"
version = "@VERSION@"
edition = "2021"
rust-version = "@RUST_VERSION@"
license = "Apache-2.0"
description = "Typed async client for NetScaler (Citrix ADC) NITRO and Next-Gen APIs, generated from the API references"
repository = "https://github.com/netscaler-rs/netscaler"
documentation = "https://docs.rs/netscaler"
readme = "README.md"
keywords = ["netscaler", "citrix", "adc", "nitro", "api"]
categories = ["api-bindings", "network-programming", "web-programming::http-client"]

# docs.rs: every feature, so every group is documented, each item
# labelled with the feature that enables it (`doc(cfg)` under `docsrs`);
# one target, as the crate has no platform-specific code.
[package.metadata.docs.rs]
all-features = true
rustdoc-args = ["--cfg", "docsrs"]
targets = ["x86_64-unknown-linux-gnu"]

[dependencies]
"#
        .replace("@VERSION@", CRATE_VERSION)
        .replace("@RUST_VERSION@", RUST_VERSION),
    );
    for (name, spec) in RUNTIME_DEPENDENCIES.iter().chain(TESTKIT_DEPENDENCIES) {
        text.push_str(&dependency_line(name, spec));
    }
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
    let mut defaults: Vec<&str> = DEFAULT_FEATURES.iter().copied().filter(|f| all.contains(f)).collect();
    defaults.push("rustls");

    for (name, needs, _) in EXAMPLES.iter().filter(|example| has_example(info, example.0)) {
        {
            let _ = write!(text, "\n[[example]]\nname = {name:?}\nrequired-features = {}\n", toml_list(needs.iter().copied()));
        }
    }

    text.push_str("\n[features]\n");
    let _ = writeln!(text, "default = {}", toml_list(defaults.iter().copied()));
    let _ = writeln!(text, "full = {}", toml_list(all.iter().copied()));
    text.push_str(RUNTIME_FEATURES);
    text.push_str(TESTKIT_FEATURE);
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
    lines.extend(
        [
            "",
            "# Features",
            "",
            "One Cargo feature per NITRO group (`lb`, `ssl`, `cs`, ...) and per ADM group",
            "(`adm-<group>`); `default` enables `basic` and `lb`, `full` enables all. A",
            "group whose types name another group's types enables that group itself, so",
            "every feature builds on its own. In these docs each module and item shows",
            "the feature that enables it.",
            "",
        ]
        .map(String::from),
    );
    lines.extend(feature_lines(info));
    lines.push("- `testkit` (off by default): `testkit::NitroServer` (the crate `netscaler-testkit`),".to_string());
    lines.push("  a NITRO simulator on loopback held to the reference's rules, for testing code that uses this crate".to_string());
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
                "let client = Client::builder(\"https://adc.example.net\").session(\"nsroot\", \"secret\").build()?;",
                "client.login().await?;",
                "// Every HTTP virtual server: a filter runs on the appliance.",
                "let http: Vec<Lbvserver> = client.send(Lbvserver::get_all().filter(\"servicetype\", \"HTTP\")).await?;",
                "for vserver in &http {",
                "    println!(\"{:?}\", vserver.name);",
                "}",
                "",
                "// One expression per object: `new` takes the key, setters the rest.",
                "let vserver = Lbvserver::new(\"web-vs\")",
                "    .servicetype(netscaler::adc::lb::LbvserverServicetype::Http)",
                "    .ipv46(\"10.0.0.100\")",
                "    .port(80);",
                "match client.send(vserver.add()).await {",
                "    Ok(_) => {}",
                "    Err(error) if error.is_already_exists() => {}",
                "    Err(error) => return Err(error),",
                "}",
                "client.logout().await?;",
                "# Ok(())",
                "# }",
                "```",
            ]
            .map(String::from),
        );
    }
    if has_example(info, "everyday") {
        lines.extend(
            [
                "",
                "`examples/everyday.rs` goes through the everyday jobs: log in, list with a",
                "filter, create a server, a service group and a virtual server and bind them,",
                "handle \"already exists\", save the configuration, read statistics, log out;",
                "without `--apply` it only prints what it would do, and it saves only with `--save`.",
            ]
            .map(String::from),
        );
    }
    if has_example(info, "cert_inventory") {
        lines.extend(
            [
                "",
                "`examples/cert_inventory.rs` reads several appliances at once: every certificate-key",
                "pair with its expiry and the virtual servers and services it is bound to, as JSON.",
            ]
            .map(String::from),
        );
    }
    lines.push(String::new());
    // One heading level up: `#` is the crate docs' top level.
    lines.extend(CONNECTING.trim_end().lines().map(|line| line.strip_prefix('#').filter(|_| line.starts_with("## ")).unwrap_or(line).to_string()));
    lines.extend(
        [
            "",
            "# Building models",
            "",
            "An ADC model is one expression: `new` takes its key properties and a chained",
            "setter per property its `add` sends (`Server::new(\"web-1\").ipaddress(\"10.0.0.11\")`);",
            "a setter is named after its field, or `with_<field>` where the field's name is",
            "already one of the type's functions (`with_count`). Other fields (and every",
            "field of ADM models, which have no setters: compile cost) are public `Option`s.",
            "Structs and enums are `#[non_exhaustive]`, so a later release can add",
            "properties and values without a breaking change: struct literals are refused",
            "outside the crate, and `match`es on enums need a wildcard arm. Values a release",
            "does not list arrive as `Open::Unknown`. A list of values several properties",
            "share is one enum named after its values (`OnOff`, `EnabledDisabled`) or the",
            "property they share (`Servicetype`).",
            "",
            "# Versions",
            "",
            "[`RELEASES`] names the product releases the crate was generated from;",
            "`CHANGELOG.md` lists, per pair of consecutive releases, what was added and",
            "removed and which changes are breaking. A breaking change in the API bumps",
            "the minor version while the crate is at `0.x`; anything else bumps the patch.",
        ]
        .map(String::from),
    );
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
    let error_code_name = error_code_name(info);
    let resource_facts = resource_facts(info);
    let releases_doc = docs::attrs(&["(product, release) pairs this crate was generated from.".to_string()]);
    let tokens = quote! {
        #doc
        #![cfg_attr(docsrs, feature(doc_cfg))]

        pub mod runtime;
        #[cfg(feature = "testkit")]
        #[cfg_attr(docsrs, doc(cfg(feature = "testkit")))]
        pub use runtime::testkit;
        pub use runtime::{Client, ClientBuilder, ManagedInstance, RetryPolicy, Error, Result, Number, Open, WireEnum, Request, Outcome, OnError, Method};

        #(#modules)*
        #nextgen_module

        #releases_doc
        pub const RELEASES: &[(&str, &str)] = &[#(#release_items),*];

        #error_code_name

        #resource_facts
    };
    print_rust(info.inputs, tokens)
}

/// `error_code_name(product, code)`, behind `runtime::Error::code_name`:
/// the name in `<product>::errors` for products with an error table,
/// `None` for the others (one arm per `runtime::Product` variant).
fn error_code_name(info: &CrateInfo) -> proc_macro2::TokenStream {
    let arms = [(Product::Adc, quote!(Adc)), (Product::Adm, quote!(Adm))].into_iter().map(|(product, variant)| {
        let table = info.products.iter().find(|p| p.api.product == product && !p.api.errors.is_empty());
        match table {
            Some(found) => {
                let module = ident(found.module);
                quote!(runtime::Product::#variant => #module::errors::name_of(code),)
            }
            None => quote!(runtime::Product::#variant => None,),
        }
    });
    let uses_code = info.products.iter().any(|p| !p.api.errors.is_empty());
    let code = if uses_code { quote!(code) } else { quote!(_code) };
    quote! {
        /// The name `product`'s error listing gives `code`, from the
        /// generated `errors` modules (`runtime::Error::code_name`).
        pub(crate) fn error_code_name(product: runtime::Product, #code: i64) -> Option<&'static str> {
            match product {
                #(#arms)*
            }
        }
    }
}

/// `resource_facts(api)`, behind the firmware check and `sync_bindings`
/// (`runtime::resource`): the `RESOURCE_FACTS` text of the product an API
/// belongs to, empty for a product the crate lacks.
fn resource_facts(info: &CrateInfo) -> proc_macro2::TokenStream {
    let arm = |product: Product| match info.products.iter().find(|p| p.api.product == product) {
        Some(found) => {
            let module = ident(found.module);
            quote!(#module::RESOURCE_FACTS)
        }
        None => quote!(""),
    };
    let (adc, adm) = (arm(Product::Adc), arm(Product::Adm));
    quote! {
        /// The resource facts of the product `api` belongs to
        /// (`<product>::RESOURCE_FACTS`).
        pub(crate) fn resource_facts(api: runtime::Api) -> &'static str {
            match api {
                runtime::Api::AdcV1 => #adc,
                runtime::Api::AdmV1 | runtime::Api::AdmV2 => #adm,
            }
        }
    }
}

/// One line per feature: what it gates and which features it enables.
fn feature_lines(info: &CrateInfo) -> Vec<String> {
    let mut lines = Vec::new();
    for product in info.products {
        let api = product.api;
        for (group, group_info) in &product.groups {
            let mut line = format!(
                "- {}: {} group {} ({} resource{})",
                docs::code(&group_info.feature),
                product_title(api.product),
                docs::code(group),
                group_info.resources.len(),
                if group_info.resources.len() == 1 { "" } else { "s" }
            );
            if !group_info.needs.is_empty() {
                let needs: Vec<&str> = group_info.needs.iter().map(|other| product.groups[other].feature.as_str()).collect();
                line.push_str(&format!("; enables {}", docs::code_list(needs)));
            }
            lines.push(line);
        }
    }
    if info.nextgen_module {
        lines.push(format!("- {}: the {} module", docs::code("nextgen"), product_title(Product::Nextgen)));
    }
    lines
}

/// Whether the example `name` of [`EXAMPLES`] goes with this crate: the
/// ADC input has the resources it uses, in groups whose features exist.
fn has_example(info: &CrateInfo, name: &str) -> bool {
    let Some((_, needs, resources)) = EXAMPLES.iter().find(|example| example.0 == name) else { return false };
    let Some(adc) = info.products.iter().find(|product| product.api.product == Product::Adc) else { return false };
    let features: BTreeSet<&str> = adc.groups.values().map(|group| group.feature.as_str()).collect();
    resources.iter().all(|id| adc.api.resources.contains_key(*id)) && needs.iter().all(|feature| features.contains(feature))
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

/// The section "Connecting to an appliance" of the crate docs and the
/// README (Markdown both read; headings one level below the README's
/// title, which `lib_rs` lifts by one).
const CONNECTING: &str = r#"## Connecting to an appliance

The client verifies the appliance's TLS certificate. A new appliance
presents its default self-signed certificate, which nothing trusts, so the
first request fails with a certificate error. Trust that certificate (or
the CA that signed the one you installed) rather than switching checks
off. Fetch it from the appliance:

```text
openssl s_client -connect 10.0.0.1:443 -showcerts </dev/null | openssl x509 -out adc.pem
openssl x509 -in adc.pem -noout -subject -ext subjectAltName
```

The second command shows the names the certificate carries: the host in
the base URL must be one of them. When it is not (the default certificate
rarely names the management address), install a certificate for that
address, signed by your CA, and trust the CA.

```rust,no_run
use netscaler::{Client, Error};

fn client() -> netscaler::Result<Client> {
    let pem = std::fs::read("adc.pem").map_err(|error| Error::Config(error.to_string()))?;
    Client::builder("https://10.0.0.1").add_root_certificate(&pem).session("nsroot", "secret").build()
}
```

`danger_accept_invalid_certs(true)` accepts any certificate: use it only
for a lab appliance. Plain `http://` with credentials is refused unless
`allow_insecure_http(true)` says so; the password then travels in clear.

`Client::from_env()` builds a session client from these variables (the
examples read them too); a missing one is an `Error::Config` naming it:

| variable | meaning |
|---|---|
| `NS_URL` | base URL of the appliance, `https://10.0.0.1` (required) |
| `NS_USER` | user name (required) |
| `NS_PASSWORD` | password (required) |
| `NS_CA_FILE` | PEM file of the appliance's certificate or its CA, trusted besides the built-in roots |
| `NS_INSECURE` | `1`: accept any certificate (lab only) |
| `NS_ALLOW_HTTP` | `1`: allow an `http://` `NS_URL` (lab only) |

## Choosing a TLS backend

Two Cargo features pick the TLS library; each builds on its own.

- `rustls` (default): pure Rust. It speaks TLS 1.2 and 1.3 with ECDHE key
  exchange and AEAD cipher suites only.
- `native-tls`: the system's TLS library (OpenSSL on Linux, which needs its
  development files to build: `libssl-dev pkg-config` on Debian). Pick it
  for appliances whose management interface offers only RSA key exchange or
  CBC cipher suites (fresh or older VPX appliances before a modern SSL
  profile is enabled), which rustls does not implement: with rustls such an
  appliance cannot be reached at all, even with certificate checks off.
  `default-features = false, features = ["native-tls", "lb"]`; with both
  features compiled in, `ClientBuilder::use_native_tls()` picks it per
  client.

`tls_server_name("adc.example.net")` connects to the address of the base
URL (say the NSIP, `https://10.0.0.1`) but verifies that the certificate
names `adc.example.net`: the certificate keeps its DNS name and no host
file entry is needed.

## Reaching appliances the way operators do

- **Console as a proxy**: `managed_instance(ManagedInstance::ip("10.0.0.5"))`
  (or `::name`, `::id`, with `.credentials(user, password)` for the
  instance's own login) sends the `_MPS_API_PROXY_MANAGED_INSTANCE_*`
  headers with every request except login and logout, so one Console
  session configures many ADCs.
- **Admin partitions**: `partition("tenant-a")` switches every new session
  (the first and each re-login after expiry) to that partition before any
  request uses it. It needs `session`: header credentials have no session
  to hold a partition.
- **Retries**: `retry(RetryPolicy)`; by default 4 tries with waits of about
  0.5 s, 1 s and 2 s (doubling, with jitter). Reads (`GET`) and writes marked
  `.idempotent()` (`idempotent=yes`) are tried again after a reset
  connection, a timeout or a 502/503/504; any request after a refused
  connection (nothing was sent); a plain write the appliance may have
  executed never is. `RetryPolicy::none()` turns this off.
- **Limits**: at most `max_in_flight(n)` requests at once per client
  (default 8, well under the management plane's connection limit), so a
  fan-out over one appliance queues instead of being refused.
  `Request::timeout(d)` gives one request (a `save`, an `install`, a large
  read) longer than the client's `timeout`.
- **Headers**: `header(name, value)` on the builder (every request) or on a
  request (that one); the default `User-Agent` names this crate and its
  version.
- **Tracing** (feature `tracing`): one span `nitro_request` per request with
  method, path (never the query, whose values may be secrets), status,
  errorcode, retries and elapsed milliseconds, and an event per retry.
- **Your own transport**: `http_client(reqwest::Client)` sends through a
  client you built (the same `reqwest` as `netscaler::runtime::reqwest`).
  Its TLS, timeout and redirect settings are then yours: build it with
  `redirect(Policy::none())`. Status checks, size limits, retries, the
  in-flight cap and headers still apply.
- **Anything else**: `Request::raw(Method::Post, "/nitro/v1/config/nsconfig")`
  with `.option(..)`, `.header(..)` and `.json(..)` answers the whole JSON
  body; action outcomes keep what the appliance answered
  (`Outcome::payload()`, e.g. for `nsconfig?action=diff`);
  `client.stream(request)` reads every item of a `get (all)` page by page.

```rust,no_run
use netscaler::runtime::Product;
use netscaler::{Client, ManagedInstance, RetryPolicy};
use std::time::Duration;

fn through_console() -> netscaler::Result<Client> {
    Client::builder("https://console.example.net")
        .product(Product::Adm)
        .session("console-admin", "secret")
        .managed_instance(ManagedInstance::ip("10.0.0.5"))
        .retry(RetryPolicy::new(5, Duration::from_secs(1)))
        .max_in_flight(4)
        .build()
}
```

"#;

/// The README's paragraph on `examples/everyday.rs`.
const EVERYDAY: &str = r#"`examples/everyday.rs` does the everyday jobs in order: log in, list with a
filter, create a server, a service group and a virtual server and bind them,
tolerate "already exists" (`Error::is_already_exists`), save the
configuration (`Nsconfig::save`), read statistics (`LbvserverStats`), log
out. Without `--apply` it changes nothing and prints what it would do; it
saves the configuration only with `--save`. Flags name and address the
objects (`--vserver`, `--vip`, `--port`, `--servicegroup`, `--server`,
`--server-ip`; defaults in the example's docs):

```text
NS_URL=https://adc.example.net NS_USER=nsroot NS_PASSWORD=... \
    cargo run --example everyday --features lb,basic,ns -- --vip 10.1.2.3
```

"#;

/// The README's section on the test kit; its example is the test
/// `tests/tests/e2e/testkit_readme.rs`, and a test keeps the two the same.
const TESTKIT: &str = r#"## Testing your automation without an appliance

With the feature `testkit`, `netscaler::testkit::NitroServer::start().await`
runs a NITRO simulator on `127.0.0.1` (a free port) for your tests, and
`netscaler::testkit::client(&server)` gives a client for it. The simulator
is the crate `netscaler-testkit`, which the feature adds (the bindings
compile no larger for it). Its rules are generated from the same API
reference as the bindings: it stores every ADC config and binding
resource by its keys, serves get, count, filters, pages and bindings,
and refuses what the reference forbids (a key the operation
does not take, a missing mandatory one, a value out of range or not among
the possible values, both of two alternative arguments) with the
appliance's error codes. `seed` sets what the appliance already holds,
`objects`/`object`/`requests` show what your code did, and `inject` shows
faults: expired sessions, a phase of 503 answers while booting, slow
answers, warnings (209 with `X-NITRO-WARNING`), failing items in a bulk
write (207).

```toml
[dev-dependencies]
netscaler = { version = "0.2", features = ["testkit"] }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
```

```rust,ignore
use netscaler::adc::lb::{Lbvserver, LbvserverServicetype};
use netscaler::testkit::{Fault, NitroServer};
use netscaler::Client;

/// The automation under test: the web virtual server exists, once.
async fn ensure_web_vserver(client: &Client) -> netscaler::Result<()> {
    let wanted = Lbvserver::new("web").servicetype(LbvserverServicetype::Http).ipv46("10.0.0.10").port(80);
    match client.send(wanted.add()).await {
        Ok(_) => Ok(()),
        Err(error) if error.is_already_exists() => Ok(()),
        Err(error) => Err(error),
    }
}

#[tokio::test]
async fn ensure_web_vserver_creates_it_once() {
    let server = NitroServer::start().await.unwrap();
    let client = netscaler::testkit::client(&server).unwrap();

    ensure_web_vserver(&client).await.unwrap();
    ensure_web_vserver(&client).await.unwrap();
    assert_eq!(server.objects("lbvserver").len(), 1);
    assert_eq!(server.object("lbvserver", "web").unwrap()["port"], 80);

    // While the appliance boots it answers 503: the error reaches the caller.
    server.inject(Fault::Unavailable { requests: 1 });
    assert_eq!(ensure_web_vserver(&client).await.unwrap_err().status(), Some(503));
}
```

"#;

/// `README.md` of the generated crate (facts only, our words).
pub fn readme(info: &CrateInfo) -> String {
    let mut text = super::header_by(super::CODEGEN_COMMAND, info.inputs, "<!--", " -->");
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
    let feature_count = info.products.iter().map(|p| p.groups.len()).sum::<usize>() + usize::from(info.nextgen_module);
    let _ = write!(
        text,
        r#"
## Install

```toml
[dependencies]
netscaler = {{ version = "{major_minor}", features = ["lb", "ssl"] }}
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}
```

{feature_count} features, one per NITRO group (`lb`, `ssl`, `cs`, ...; ADM groups
are `adm-<group>`){nextgen}. `default` enables
`basic` and `lb`; `full` enables everything (a much longer build). A group
whose types name another group's types enables that group itself, so every
feature builds alone. The crate documentation lists every feature.

## Use

```rust,no_run
use netscaler::adc::lb::Lbvserver;
use netscaler::Client;

#[tokio::main]
async fn main() -> netscaler::Result<()> {{
    let client = Client::builder("https://adc.example.net").session("nsroot", "secret").build()?;
    client.login().await?;
    let http: Vec<Lbvserver> = client.send(Lbvserver::get_all().filter("servicetype", "HTTP")).await?;
    println!("{{}} HTTP virtual servers", http.len());
    client.logout().await?;
    Ok(())
}}
```

{connecting}{example}{testkit}Each resource is a struct with `Option` fields, one function per NITRO
operation (`add`, `get`, `get_all`, `update`, `delete`, actions such as
`enable`) returning a request that `Client::send` sends. Its documentation
gives the NITRO URL, key, operations and the release that introduced it.

## Building models

An ADC model is one expression: `new` takes its key properties, and each
property its `add` sends has a chained setter named after the field
(`with_<field>` where that name is already one of the type's functions,
such as `with_count`):

```rust,ignore
let server = Server::new("web-1").ipaddress("10.0.0.11");
client.send(server.add()).await?;
```

Other fields, and ADM models (no setters, for compile time), are public
`Option` fields: `let mut x = T::default(); x.field = Some(..);`. Structs
and enums are `#[non_exhaustive]`, so a new release can add properties and
values without breaking your code. Enum values the crate does not know
arrive as `Open::Unknown`. A list of values several properties share is one
enum named after its values (`OnOff`, `EnabledDisabled`) or the property
they share (`Servicetype`).

## Versions

`netscaler::RELEASES` names the product releases the crate was generated
from. `CHANGELOG.md` lists, per pair of consecutive releases, the resources
added and removed and the breaking changes. While the crate is at `0.x`, a
breaking change in the API bumps the minor version, anything else the patch.

Minimum supported Rust version: {rust_version}. License: Apache-2.0.
"#,
        example = if has_example(info, "everyday") { EVERYDAY } else { "" },
        connecting = CONNECTING,
        testkit = TESTKIT,
        nextgen = if info.nextgen_module { ", plus `nextgen` for the Next-Gen API" } else { "" },
        major_minor = CRATE_VERSION.rsplit_once('.').map_or(CRATE_VERSION, |(head, _)| head),
        rust_version = RUST_VERSION,
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kit is released with the bindings: the dependency asks for the
    /// crate's own version (cargo refuses a path crate of another one).
    #[test]
    fn testkit_dependency_asks_for_the_crate_version() {
        for (name, spec) in TESTKIT_DEPENDENCIES {
            let line = dependency_line(name, spec);
            assert!(line.contains(&format!("version = \"{CRATE_VERSION}\"")), "{line}");
        }
    }
}
