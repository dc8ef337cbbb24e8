//! Backend: IR -> the files of the generated `netscaler` crate.
//!
//! [`emit`] is a pure function of the IRs and [`EmitSettings`]: it returns
//! every file the backend owns (paths relative to `generated/`) and the
//! diagnostics found on the way. Writing them is the caller's job;
//! [`plan_write`] compares them with what is on disk for both
//! `cargo xtask codegen` and `--check`. `generated/src/runtime/` is
//! hand-written and never produced, compared or deleted here.
//!
//! With [`EmitSettings::standalone`] set, [`emit`] writes instead a client
//! crate of its own for one OpenAPI-described API ([`standalone`]: the
//! [`http`] module plus the runtime it needs), for `cargo xtask openapi`.
//!
//! Stages inside: [`index`] decides every Rust name of a product first,
//! [`model`] emits the items of each resource, [`crate_files`] the
//! manifest, `lib.rs`, the module files and the README, [`testkit`] the
//! rules data of the NITRO simulator behind the `testkit` feature.

mod crate_files;
mod docs;
pub mod errors;
pub mod http;
mod index;
mod model;
pub mod naming;
mod plan;
pub mod shape;
pub mod standalone;
pub mod testkit;

pub use plan::{is_marker_line, plan_write, Plan, GENERATED_MARKER, RUNTIME_DIR, TESTKIT_DIR};

use crate::diagnostics::Diagnostic;
use crate::ir::{Api, Product};
use crate::since::Gone;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Options of one emission (a plain struct: the driver fills it).
#[derive(Clone, Debug, Default)]
pub struct EmitSettings {
    /// Put the vendor's descriptions into doc comments. Off for the
    /// committed crate, whose docs state facts only.
    pub descriptions: bool,
    /// Emit a standalone client crate for one OpenAPI document instead of
    /// the `netscaler` crate (`cargo xtask openapi`; see [`standalone`]).
    pub standalone: Option<standalone::Standalone>,
}

/// What [`emit`] produced.
#[derive(Clone, Debug, Default)]
pub struct Emitted {
    /// Path relative to `generated/` -> file contents.
    pub files: BTreeMap<PathBuf, String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Emitted {
    pub fn total_lines(&self) -> usize {
        self.files.values().map(|text| text.lines().count()).sum()
    }
    pub fn total_bytes(&self) -> usize {
        self.files.values().map(String::len).sum()
    }
}

/// Emits the crate from one IR per product (ADC and ADM NITRO, Next-Gen).
///
/// Each product module is written from the one `Api` given for it; giving
/// two of the same product is reported and the later one is ignored.
pub fn emit(apis: &[Api], settings: &EmitSettings) -> Emitted {
    emit_with_removed(apis, &BTreeMap::new(), settings)
}

/// [`emit`], with the notes on what older releases had and the newest
/// lacks (`removed`, per product: `since::annotate`'s gone items).
pub fn emit_with_removed(apis: &[Api], removed: &BTreeMap<Product, Vec<Gone>>, settings: &EmitSettings) -> Emitted {
    if let Some(options) = &settings.standalone {
        return standalone::emit_standalone(apis, options);
    }
    let mut diagnostics = Vec::new();
    let mut files = BTreeMap::new();

    let mut nitro = Vec::new();
    let mut nextgen = None;
    for api in apis {
        let duplicate = match api.product {
            Product::Adc | Product::Adm => nitro.iter().any(|seen: &&Api| seen.product == api.product),
            Product::Nextgen => nextgen.is_some(),
            Product::Openapi => {
                diagnostics.push(Diagnostic::warning(
                    origin_of(api),
                    "an OpenAPI document is not part of the netscaler crate; use `cargo xtask openapi`",
                ));
                continue;
            }
        };
        if duplicate {
            diagnostics.push(Diagnostic::warning(
                origin_of(api),
                format!("a second {} API (release {}) was given; it is ignored", api.product.as_str(), api.release),
            ));
            continue;
        }
        match api.product {
            Product::Nextgen => nextgen = Some(api),
            _ => nitro.push(api),
        }
    }
    nitro.sort_by_key(|api| api.product);

    // Names first (they cross groups), then one file per group.
    let nitro: Vec<Api> = nitro.into_iter().map(|api| normalise(api, &mut diagnostics)).collect();
    let mut indexes: Vec<index::ProductIndex> = nitro.iter().map(|api| index::build(api, &mut diagnostics)).collect();
    for index in &mut indexes {
        index.removed = removed.get(&index.api.product).map_or(&[], Vec::as_slice);
    }
    // Group files are independent once names are indexed: written on all
    // cores, biggest first (the order of `files` is the map's own).
    let mut groups: Vec<(&index::ProductIndex, &String, &index::GroupInfo)> =
        indexes.iter().flat_map(|product| product.groups.iter().map(move |(group, info)| (product, group, info))).collect();
    groups.sort_by_key(|(_, _, info)| std::cmp::Reverse(info.resources.len()));
    // Two phases per group: the shape decides every name, type and
    // signature of its items (and reports renames), then they are printed.
    let written = crate::parallel::map(&groups, |(product, group, info)| {
        let mut group_diagnostics = Vec::new();
        let shapes = shape::group(product, info, &mut group_diagnostics);
        let text = crate_files::group_file(product, group, info, &shapes, settings);
        (PathBuf::from(format!("src/{}/{}.rs", product.module, info.module)), text, group_diagnostics)
    });
    for (path, text, group_diagnostics) in written {
        files.insert(path, text);
        diagnostics.extend(group_diagnostics);
    }
    for product in &indexes {
        let mut product_mod = crate_files::product_mod(product);
        // Error codes (backend/errors.rs): `src/<product>/errors.rs`, not
        // feature-gated, declared at the end of the product's mod.rs.
        if let Some(text) = errors::error_module(product.api, &product.spec_path, &mut diagnostics) {
            files.insert(PathBuf::from(format!("src/{}/errors.rs", product.module)), text);
            product_mod.push_str("pub mod errors;\n");
        }
        files.insert(PathBuf::from(format!("src/{}/mod.rs", product.module)), product_mod);
    }

    // Hook for the Next-Gen emitter (written elsewhere): it adds its files
    // under `src/nextgen/`; the manifest and `lib.rs` then gate that
    // module behind the `nextgen` feature.
    let nextgen_files = nextgen.map(|api| emit_nextgen(api, settings, &mut diagnostics));
    let has_nextgen_module = nextgen_files.as_ref().is_some_and(|f| !f.is_empty());
    let mut crate_inputs: Vec<String> = indexes.iter().map(|p| p.spec_path.clone()).collect();
    if nextgen.is_some() {
        crate_inputs.push(NEXTGEN_SPEC.to_string());
    }
    if let Some(nextgen_files) = nextgen_files {
        files.extend(nextgen_files);
    }

    // The test kit's rules (backend/testkit.rs), read by the `testkit`
    // feature's simulator at run time.
    let products: Vec<(&Api, &str)> = indexes.iter().map(|p| (p.api, p.spec_path.as_str())).collect();
    files.insert(PathBuf::from(testkit::RULES_PATH), testkit::rules(&products, &crate_inputs, &mut diagnostics));

    let crate_info = crate_files::CrateInfo {
        products: &indexes,
        inputs: &crate_inputs,
        nextgen: nextgen.map(|api| api.release.as_str()),
        nextgen_module: has_nextgen_module,
    };
    files.insert(PathBuf::from("Cargo.toml"), crate_files::manifest(&crate_info));
    files.insert(PathBuf::from("src/lib.rs"), crate_files::lib_rs(&crate_info));
    files.insert(PathBuf::from("README.md"), crate_files::readme(&crate_info));

    diagnostics.sort();
    diagnostics.dedup();
    Emitted { files, diagnostics }
}

/// What the shape phase decides for one NITRO API (ADC or ADM), as the
/// text of [`shape::outline`]: every struct, field, enum, variant,
/// constructor, renamed setter and endpoint function, with the
/// diagnostics found deciding them. For snapshot tests: a change of
/// naming rules shows there as a few lines.
pub fn shape_outline(api: &Api) -> (String, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let api = normalise(api, &mut diagnostics);
    let index = index::build(&api, &mut diagnostics);
    let shapes = shape::product(&index, &mut diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    (shape::outline(&index, &shapes), diagnostics)
}

/// A copy of `api` whose map keys agree with the items (resource ids,
/// property names), so later stages can look items up by either. A key
/// that disagrees is bad input: reported, and the item is filed under its
/// own name (the first one wins when two then share a name).
fn normalise(api: &Api, diagnostics: &mut Vec<Diagnostic>) -> Api {
    let mut clean = Api { resources: BTreeMap::new(), ..api.clone() };
    for (key, resource) in &api.resources {
        let mut resource = resource.clone();
        let properties = std::mem::take(&mut resource.properties);
        for (property_key, property) in properties {
            if property_key != property.name {
                diagnostics.push(
                    Diagnostic::warning(
                        resource.origin.clone(),
                        format!("property keyed `{property_key}` is named `{}`; filed under its name", property.name),
                    )
                    .resource(&resource.name),
                );
            }
            if resource.properties.contains_key(&property.name) {
                diagnostics.push(
                    Diagnostic::warning(resource.origin.clone(), format!("property `{}` is listed twice; the first is kept", property.name))
                        .resource(&resource.name),
                );
                continue;
            }
            resource.properties.insert(property.name.clone(), property);
        }
        let id = resource.id();
        if *key != id {
            diagnostics.push(
                Diagnostic::warning(resource.origin.clone(), format!("resource keyed `{key}` has id `{id}`; filed under its id"))
                    .resource(&resource.name),
            );
        }
        if clean.resources.contains_key(&id) {
            diagnostics.push(
                Diagnostic::warning(resource.origin.clone(), format!("resource `{id}` is listed twice; the first is kept"))
                    .resource(&resource.name),
            );
            continue;
        }
        clean.resources.insert(id, resource);
    }
    // Secret properties are marked here, from names and types, so the
    // committed snapshots need not carry the flag.
    crate::ir::secret::mark(&mut clean);
    clean
}

/// Where the Next-Gen API's description lives, for headers.
pub const NEXTGEN_SPEC: &str = "specs/nextgen/openapi.yaml";

/// The Next-Gen module's files (paths under `src/nextgen/`), written by the
/// HTTP backend ([`http`]).
fn emit_nextgen(api: &Api, _settings: &EmitSettings, diagnostics: &mut Vec<Diagnostic>) -> BTreeMap<PathBuf, String> {
    let settings = http::HttpSettings {
        runtime: "crate::runtime".into(),
        inputs: vec![NEXTGEN_SPEC.into()],
        title: "NetScaler Next-Gen API".into(),
        generator: CODEGEN_COMMAND,
    };
    BTreeMap::from([(PathBuf::from("src/nextgen/mod.rs"), http::emit_http_module(api, &settings, diagnostics))])
}

fn origin_of(api: &Api) -> crate::ir::Origin {
    crate::ir::Origin { file: format!("{} {}", api.product.as_str(), api.release), ..Default::default() }
}

/// First line of every generated Rust file.
pub fn header(inputs: &[String], comment: &str) -> String {
    header_by(CODEGEN_COMMAND, inputs, comment, "")
}

/// The command named in the `@generated` header of the `netscaler` crate.
pub(crate) const CODEGEN_COMMAND: &str = "`cargo xtask codegen`";

/// The `@generated` line naming `generator` (a command in backticks) and
/// the inputs, between `open` and `close` (`<!--`, ` -->`).
pub(crate) fn header_by(generator: &str, inputs: &[String], open: &str, close: &str) -> String {
    let from = if inputs.is_empty() { String::new() } else { format!(" from {}", inputs.join(", ")) };
    format!("{open} @generated by {generator}{from}. Do not edit.{close}\n")
}

/// Prints tokens as a Rust file with the `@generated` header.
pub(crate) fn print_rust(inputs: &[String], tokens: proc_macro2::TokenStream) -> String {
    print_rust_by(CODEGEN_COMMAND, inputs, tokens)
}

/// [`print_rust`] with the header naming `generator`.
pub(crate) fn print_rust_by(generator: &str, inputs: &[String], tokens: proc_macro2::TokenStream) -> String {
    print_rust_after(generator, inputs, "", tokens)
}

/// The header, then `preamble` (Rust text with the comments prettyplease
/// would drop, such as why a lint is allowed), then the printed tokens.
pub(crate) fn print_rust_after(generator: &str, inputs: &[String], preamble: &str, tokens: proc_macro2::TokenStream) -> String {
    let file: syn::File = match syn::parse2(tokens) {
        Ok(file) => file,
        // Our token building produced something that is not Rust: a bug in
        // the backend, not bad input.
        Err(error) => panic!("backend produced invalid Rust: {error}"),
    };
    format!("{}{preamble}{}", header_by(generator, inputs, "//", ""), prettyplease::unparse(&file))
}
