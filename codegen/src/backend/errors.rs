//! `src/<product>/errors.rs`: the product's error listing ([`Api::errors`])
//! as typed constants, so callers compare `Error::errorcode()` with
//! `adc::errors::NSERR_NOENT` instead of a bare number.
//!
//! Emitted: one `pub const NAME: i64 = code;` per listed name with a code
//! (doc: code in decimal and hex, and the listing's section; no vendor
//! prose), `BY_CODE` sorted by code then name with [`name_of`]-style
//! lookup, and `WITHOUT_CODE` for the warning rows the listing gives no
//! code. Names that are not Rust identifiers are reported and left out
//! (none in the listings read so far).

use super::print_rust;
use crate::diagnostics::Diagnostic;
use crate::ir::{Api, Origin};
use proc_macro2::{Ident, Literal, Span};
use quote::quote;

/// The module text, or `None` when the API has no error table.
pub fn error_module(api: &Api, spec_path: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    if api.errors.is_empty() {
        return None;
    }
    let mut consts = Vec::new();
    let mut by_code: Vec<(i64, &str)> = Vec::new();
    let mut without_code = Vec::new();
    for error in api.errors.values() {
        if !is_identifier(&error.name) {
            diagnostics.push(
                Diagnostic::warning(Origin { file: spec_path.into(), ..Origin::default() }, format!("error name `{}` is not a rust identifier; left out", error.name)),
            );
            continue;
        }
        let Some(code) = error.code else {
            without_code.push(error.name.as_str());
            continue;
        };
        let ident = Ident::new(&error.name, Span::call_site());
        let section = if error.section.is_empty() { String::new() } else { format!(", section `{}`", error.section) };
        let doc = format!(" `{code}` (`{code:#x}`){section}.");
        let value = Literal::i64_unsuffixed(code);
        consts.push(quote! {
            #[doc = #doc]
            pub const #ident: i64 = #value;
        });
        by_code.push((code, error.name.as_str()));
    }
    by_code.sort();
    let codes = by_code.iter().map(|(code, _)| Literal::i64_unsuffixed(*code));
    let names = by_code.iter().map(|(_, name)| *name);
    let title = format!(
        " Error codes of {} {}: {} names from the error listing ({} without a code).",
        api.product.as_str().to_uppercase(),
        api.release,
        api.errors.len(),
        without_code.len()
    );
    let lowercase = api.errors.keys().any(|name| name.chars().any(|c| c.is_ascii_lowercase()));
    let allow = lowercase.then(|| quote! { #![allow(non_upper_case_globals)] });
    let tokens = quote! {
        #![doc = #title]
        //!
        //! Compare with [`crate::runtime::Error::errorcode`]. Generated from the
        //! IR's error table; names and codes only.
        #allow

        #(#consts)*

        /// Every listed `(code, name)`, sorted by code then name (two names may
        /// share a code).
        pub const BY_CODE: &[(i64, &str)] = &[#((#codes, #names)),*];

        /// Names the listing gives without a code (warnings).
        pub const WITHOUT_CODE: &[&str] = &[#(#without_code),*];

        /// The listed name of a code (the first by name when several share it).
        pub fn name_of(code: i64) -> Option<&'static str> {
            let at = BY_CODE.partition_point(|(c, _)| *c < code);
            BY_CODE.get(at).filter(|(c, _)| *c == code).map(|(_, name)| *name)
        }
    };
    Some(print_rust(&[spec_path.to_string()], tokens))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && syn::parse_str::<Ident>(name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::ErrorCode;

    #[test]
    fn constants_table_and_lookup() {
        let mut api = Api { release: "9.9".into(), ..Api::default() };
        for (name, code) in [("NSERR_NOENT", Some(258)), ("NSERR_ALIAS", Some(258)), ("NSWAR_SOFT", None), ("bad-name", Some(1))] {
            api.errors.insert(name.into(), ErrorCode { name: name.into(), code, section: "base".into(), message: None });
        }
        let mut diagnostics = Vec::new();
        let text = error_module(&api, "specs/nitro/adc/9.9.json", &mut diagnostics).expect("a module");
        assert!(text.contains("pub const NSERR_NOENT: i64 = 258;"), "{text}");
        assert!(text.contains("`258` (`0x102`), section `base`."));
        assert!(text.contains("(258, \"NSERR_ALIAS\"), (258, \"NSERR_NOENT\")"), "{text}");
        assert!(text.contains("WITHOUT_CODE: &[&str] = &[\"NSWAR_SOFT\"]"), "{text}");
        assert!(!text.contains("bad-name = "));
        assert_eq!(diagnostics.len(), 1);
        assert!(error_module(&Api::default(), "x", &mut diagnostics).is_none());
    }
}
