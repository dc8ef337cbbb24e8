//! Releases are facts: the checks `scrape-bundle` makes before it writes a
//! snapshot, so that a build number or a mislabelled file never becomes a
//! release that `codegen` would then rank above every real one.

use codegen::inputs::release_major_minor;
use std::path::Path;

/// Checks the release a snapshot is about to be written with: it must
/// start with a major.minor ([`release_major_minor`]: a build number such
/// as `48.10` alone is refused), and an `--out` file name that names a
/// release (`specs/nitro/adc/11.1-48.10.json`) must name this one, or its
/// major.minor.
pub fn check_release(release: &str, given: bool, out: Option<&Path>) -> Result<(), String> {
    let Some((major, minor)) = release_major_minor(release) else {
        return Err(if given {
            format!("--release `{release}` is not a release: it must start with major.minor (e.g. 11.1 or 11.1-48.10)")
        } else {
            format!(
                "the bundle's major.minor could not be read from its names or build.js (detected `{release}`); pass --release <major.minor-build>, e.g. --release 11.1-48.10"
            )
        });
    };
    let Some(out) = out else { return Ok(()) };
    let stem = out.file_stem().unwrap_or_default().to_string_lossy();
    if !stem.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok(());
    }
    if stem == release || stem == format!("{major}.{minor}") {
        return Ok(());
    }
    Err(format!(
        "--out {} names release `{stem}`, the bundle is `{release}`{}; rename the file or pass the right --release",
        out.display(),
        if given { " (--release)" } else { " (detected)" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_disagreeing_names_are_refused() {
        assert!(check_release("11.1-48.10", false, Some(Path::new("specs/nitro/adc/11.1-48.10.json"))).is_ok());
        assert!(check_release("11.1-48.10", false, Some(Path::new("specs/nitro/adc/11.1.json"))).is_ok());
        assert!(check_release("11.1-48.10", false, Some(Path::new("snapshot.json"))).is_ok());
        assert!(check_release("14.1", true, None).is_ok());
        let error = check_release("48.10", false, Some(Path::new("specs/nitro/adc/11.1-48.10.json"))).unwrap_err();
        assert!(error.contains("--release"), "{error}");
        assert!(check_release("48.10", true, None).unwrap_err().contains("not a release"));
        assert!(check_release("unknown", false, None).is_err());
        let error = check_release("12.1-55.3", false, Some(Path::new("specs/nitro/adc/11.1-48.10.json"))).unwrap_err();
        assert!(error.contains("names release `11.1-48.10`"), "{error}");
        assert!(check_release("11.1-48.10", false, Some(Path::new("11.1-50.1.json"))).is_err());
    }
}
