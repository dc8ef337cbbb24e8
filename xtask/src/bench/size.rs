//! The generated crate's size: files, lines, public items, features.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Default)]
pub(super) struct Size {
    pub(super) files: usize,
    pub(super) lines: usize,
    pub(super) bytes: usize,
    pub(super) runtime_lines: usize,
    pub(super) runtime_bytes: usize,
    pub(super) structs: usize,
    pub(super) enums: usize,
    pub(super) functions: usize,
    pub(super) features: usize,
}

impl Size {
    pub(super) fn line(&self) -> String {
        format!(
            "generated (outside runtime/): {} files, {} lines, {} bytes; {} pub structs, {} pub enums, {} pub fns; {} features\nruntime (hand-written): {} lines, {} bytes",
            self.files,
            self.lines,
            self.bytes,
            self.structs,
            self.enums,
            self.functions,
            self.features,
            self.runtime_lines,
            self.runtime_bytes
        )
    }
}

pub(super) fn generated_size(generated: &Path) -> Option<Size> {
    let mut size = Size::default();
    let mut files = Vec::new();
    collect_files(&generated.join("src"), &mut files);
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        if file.starts_with(generated.join("src/runtime")) {
            size.runtime_lines += text.lines().count();
            size.runtime_bytes += text.len();
            continue;
        }
        size.files += 1;
        size.lines += text.lines().count();
        size.bytes += text.len();
        for line in text.lines() {
            let line = line.trim_start();
            size.structs += usize::from(line.starts_with("pub struct "));
            size.enums += usize::from(line.starts_with("pub enum "));
            size.functions += usize::from(line.starts_with("pub fn "));
        }
    }
    size.features = declared_features(generated).len();
    Some(size)
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Feature names declared in `generated/Cargo.toml` (`default` and `full`
/// left out), read line by line: the manifest is ours and flat.
pub(super) fn declared_features(generated: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(generated.join("Cargo.toml")).unwrap_or_default();
    let mut in_features = false;
    let mut features = BTreeSet::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_features = line == "[features]";
        } else if in_features {
            if let Some((name, _)) = line.split_once('=') {
                let name = name.trim().trim_matches('"');
                if !name.is_empty() && name != "default" && name != "full" {
                    features.insert(name.to_string());
                }
            }
        }
    }
    features
}
