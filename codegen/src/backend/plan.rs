//! Freshness: compares emitted files with `generated/` on disk, for both
//! writing (only changed files are rewritten) and `--check`.

use super::Emitted;
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

/// The hand-written runtime, relative to `generated/`: never produced,
/// compared, overwritten or deleted by the backend.
pub const RUNTIME_DIR: &str = "src/runtime";

/// How `generated/` differs from an emission. Paths are relative to
/// `generated/`, sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// On disk with the same contents (after normalising CRLF).
    pub unchanged: Vec<PathBuf>,
    /// On disk with different contents.
    pub stale: Vec<PathBuf>,
    /// Emitted but not on disk.
    pub missing: Vec<PathBuf>,
    /// On disk, outside the runtime, and not emitted.
    pub extra: Vec<PathBuf>,
}

impl Plan {
    pub fn is_fresh(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    /// Files to (re)write: stale and missing.
    pub fn to_write(&self) -> impl Iterator<Item = &PathBuf> {
        self.stale.iter().chain(&self.missing)
    }
}

/// Compares `emitted` with the files under `root` (the `generated/`
/// folder). Every file under `root` except the runtime and dot-files is
/// the backend's, so a file nobody emitted is `extra`.
pub fn plan_write(root: &Path, emitted: &Emitted) -> io::Result<Plan> {
    let mut plan = Plan::default();
    for (path, contents) in &emitted.files {
        match std::fs::read(root.join(path)) {
            Ok(bytes) => {
                let on_disk = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
                if on_disk == *contents {
                    plan.unchanged.push(path.clone());
                } else {
                    plan.stale.push(path.clone());
                }
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => plan.missing.push(path.clone()),
            Err(error) => return Err(io::Error::new(error.kind(), format!("{}: {error}", root.join(path).display()))),
        }
    }
    let mut on_disk = BTreeSet::new();
    if root.is_dir() {
        collect_files(root, Path::new(""), &mut on_disk)?;
    }
    plan.extra = on_disk.into_iter().filter(|path| !emitted.files.contains_key(path)).collect();
    Ok(plan)
}

fn collect_files(root: &Path, relative: &Path, out: &mut BTreeSet<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(root.join(relative))?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = relative.join(&name);
        if path == Path::new(RUNTIME_DIR) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            collect_files(root, &path, out)?;
        } else {
            out.insert(path);
        }
    }
    Ok(())
}
