//! `cargo xtask diff <old> <new>`: what changed between two IR snapshots,
//! as Markdown (coloured on a terminal, plain when piped) or JSON.
//! `--fail-on` turns changes of a class into a non-zero exit, for CI.

use anyhow::{bail, Context};
use codegen::diff::{self, ChangeReport};
use codegen::ir::{release_key, Api};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Old snapshot: a path to IR JSON, or `<product>@<release>` such as
    /// `adc@12.0-FR4` (= specs/nitro/adc/12.0-FR4.json)
    old: String,
    /// New snapshot, same forms as <OLD>
    new: String,
    /// Markdown (coloured on a terminal, plain when piped or NO_COLOR is
    /// set) or JSON (with --series: an array of reports)
    #[arg(long, value_enum, default_value = "md")]
    format: Format,
    /// Exit non-zero when changes of this class (or a more severe one) exist:
    /// `breaking`, `compatible` (breaking or compatible), `any`
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Compare only these resources (wire names; repeatable, or comma
    /// separated). A name selects its config, binding and stat resources
    #[arg(long, value_delimiter = ',')]
    resource: Vec<String>,
    /// Compare every committed release from <OLD> to <NEW> with the next
    /// (both `<product>@<release>`), one report per pair; an item absent
    /// from some releases only is then reported as a documentation gap
    #[arg(long)]
    series: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Md,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Breaking,
    Compatible,
    Any,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut releases = if args.series { series(&args.old, &args.new)? } else { vec![load(&args.old)?, load(&args.new)?] };
    if let [first, .., last] = releases.as_slice() {
        if first.product != last.product {
            bail!(
                "diff compares two releases of one product; {} is {} {} and {} is {} {}",
                args.old,
                first.product.as_str(),
                first.release,
                args.new,
                last.product.as_str(),
                last.release
            );
        }
    }
    if !args.resource.is_empty() {
        releases.iter_mut().for_each(|api| diff::retain_resources(api, &args.resource));
        if releases.iter().all(|api| api.resources.is_empty()) {
            bail!("no resource named {} in any snapshot", args.resource.join(", "));
        }
    }
    let reports =
        if args.series { diff::compare_series(&releases) } else { vec![diff::compare(&releases[0], &releases[1])] };
    let text = match args.format {
        Format::Json if args.series => {
            let mut text = serde_json::to_string_pretty(&reports)?;
            text.push('\n');
            text
        }
        Format::Json => diff::json(&reports[0]),
        Format::Md => {
            let text = reports.iter().map(diff::markdown).collect::<Vec<_>>().join("\n");
            if colour_wanted() {
                colour(&text)
            } else {
                text
            }
        }
    };
    // A reader that stops early (`| head`) is not an error: stop quietly.
    // (On Unix SIGPIPE already ends the process quietly, see main.)
    {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            other => other.context("cannot write the report")?,
        }
    }
    let codes: Vec<ExitCode> = reports.iter().map(|report| verdict(report, args.fail_on)).collect();
    Ok(if codes.contains(&ExitCode::FAILURE) { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Every committed snapshot of one product from `old` to `new` inclusive
/// (`<product>@<release>` both), oldest first.
fn series(old: &str, new: &str) -> anyhow::Result<Vec<Api>> {
    let (Some((product, first)), Some((same, last))) = (old.split_once('@'), new.split_once('@')) else {
        bail!("--series takes <product>@<release> for both ends, e.g. adc@10.5 adc@12.1");
    };
    if product != same {
        bail!("--series compares one product, got {product} and {same}");
    }
    let folder = resolve(old)?.parent().map(Path::to_path_buf).unwrap_or_default();
    resolve(new)?;
    let (from, to) = (release_key(first), release_key(last));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)
        .with_context(|| format!("cannot list {}", folder.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .filter(|path| {
            let key = release_key(&path.file_stem().unwrap_or_default().to_string_lossy());
            from <= key && key <= to
        })
        .collect();
    paths.sort_by_key(|path| release_key(&path.file_stem().unwrap_or_default().to_string_lossy()));
    paths.iter().map(|path| load(&path.to_string_lossy())).collect()
}

/// Reads a snapshot given as a path or as `<product>@<release>`.
fn load(spec: &str) -> anyhow::Result<Api> {
    let path = resolve(spec)?;
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    codegen::ir::parse_snapshot(&text).with_context(|| format!("{} is not IR JSON", path.display()))
}

/// A path that exists wins; otherwise `<product>@<release>` names a
/// committed snapshot under specs/.
fn resolve(spec: &str) -> anyhow::Result<PathBuf> {
    if Path::new(spec).is_file() {
        return Ok(PathBuf::from(spec));
    }
    let Some((product, release)) = spec.split_once('@') else {
        bail!("{spec}: no such file, and not of the form <product>@<release> (e.g. adc@12.1)");
    };
    let specs = crate::workspace_root().join("specs");
    let path = match product {
        "adc" | "adm" => specs.join("nitro").join(product).join(format!("{release}.json")),
        "nextgen" => specs.join("nextgen").join(format!("{release}.json")),
        other => bail!("{spec}: unknown product {other} (adc, adm or nextgen)"),
    };
    if !path.is_file() {
        bail!("{spec}: no snapshot at {}", path.strip_prefix(crate::workspace_root()).unwrap_or(&path).display());
    }
    Ok(path)
}

fn verdict(report: &ChangeReport, fail_on: Option<FailOn>) -> ExitCode {
    let summary = report.summary;
    let (failed, what) = match fail_on {
        None => return ExitCode::SUCCESS,
        Some(FailOn::Breaking) => (summary.breaking > 0, "breaking"),
        Some(FailOn::Compatible) => (summary.breaking + summary.compatible > 0, "breaking or compatible"),
        Some(FailOn::Any) => (!report.changes.is_empty(), "any"),
    };
    if failed {
        eprintln!("diff: {what} changes found (--fail-on)");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Colour only for a person at a terminal, and never when NO_COLOR is set.
fn colour_wanted() -> bool {
    std::io::stdout().is_terminal() && !matches!(std::env::var_os("NO_COLOR"), Some(value) if !value.is_empty())
}

/// Colours the class tags the Markdown renderer writes, and headings.
fn colour(markdown: &str) -> String {
    const RED: &str = "\x1b[31;1m";
    const GREEN: &str = "\x1b[32m";
    const DIM: &str = "\x1b[2m";
    const BOLD: &str = "\x1b[1m";
    const RESET: &str = "\x1b[0m";
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.lines() {
        let line = if line.starts_with('#') {
            format!("{BOLD}{line}{RESET}")
        } else {
            line.replace("[breaking]", &format!("{RED}[breaking]{RESET}"))
                .replace("[compatible]", &format!("{GREEN}[compatible]{RESET}"))
                .replace("[doc-only]", &format!("{DIM}[doc-only]{RESET}"))
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorthand_names_a_committed_snapshot() {
        let error = resolve("adc@0.0-none").unwrap_err().to_string();
        assert!(error.contains("specs/nitro/adc/0.0-none.json"), "{error}");
        let error = resolve("nextgen@v9").unwrap_err().to_string();
        assert!(error.contains("specs/nextgen/v9.json"), "{error}");
        assert!(resolve("foo@1").unwrap_err().to_string().contains("unknown product foo"));
        assert!(resolve("no-such-file.json").is_err());
    }

    #[test]
    fn fail_on_thresholds() {
        let mut report = ChangeReport::default();
        report.summary.compatible = 1;
        report.changes.push(codegen::diff::Change {
            class: codegen::diff::Class::Compatible,
            item: codegen::diff::Item::Resource,
            change: codegen::diff::ChangeKind::Added,
            aspect: None,
            scope: "config".into(),
            group: String::new(),
            owner: "x".into(),
            member: None,
            old: None,
            new: None,
            note: None,
        });
        assert_eq!(verdict(&report, Some(FailOn::Breaking)), ExitCode::SUCCESS);
        assert_eq!(verdict(&report, Some(FailOn::Compatible)), ExitCode::FAILURE);
        assert_eq!(verdict(&report, Some(FailOn::Any)), ExitCode::FAILURE);
        assert_eq!(verdict(&ChangeReport::default(), Some(FailOn::Any)), ExitCode::SUCCESS);
    }

    #[test]
    fn colour_marks_only_tags_and_headings() {
        let text = colour("# title\n- `a`: [breaking] removed\n- plain\n");
        assert!(text.starts_with("\x1b[1m# title\x1b[0m\n"));
        assert!(text.contains("\x1b[31;1m[breaking]\x1b[0m removed"));
        assert!(text.ends_with("- plain\n"));
    }
}
