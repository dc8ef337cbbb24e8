//! All-or-nothing writes for every command that writes files.
//!
//! [`apply`] takes a set of changes (files to write, files to delete) and
//! makes them in two steps: every new file is first written and synced to
//! a temporary sibling (`.<name>.xtask-<pid>.new`, in the same folder, so
//! the rename is atomic); only when all are written is each target moved
//! aside (`.<name>.xtask-<pid>.old`) and the new file renamed into place.
//! Any failure undoes what was done: temporary files are removed and moved
//! targets are put back, so every target is either as it was or complete.
//! Dot-files are never read as generated output, so a leftover of a killed
//! run is harmless.
//!
//! For tests, `XTASK_TEST_FAIL_AFTER_FILES=<n>` makes staging fail after
//! `n` files and `XTASK_TEST_FAIL_AFTER_RENAMES=<n>` makes the commit fail
//! after `n` renames (injected failures between files).

use anyhow::{bail, Context};
use std::io::Write;
use std::path::{Path, PathBuf};

/// One change: write `contents` to `path`, or delete `path` (`None`).
pub struct Change {
    pub path: PathBuf,
    pub contents: Option<Vec<u8>>,
}

impl Change {
    pub fn write(path: impl Into<PathBuf>, contents: impl Into<Vec<u8>>) -> Self {
        Change { path: path.into(), contents: Some(contents.into()) }
    }
    pub fn delete(path: impl Into<PathBuf>) -> Self {
        Change { path: path.into(), contents: None }
    }
}

/// Writes one file atomically (temporary sibling, then rename).
pub fn write_file(path: &Path, contents: impl Into<Vec<u8>>) -> anyhow::Result<()> {
    apply(&[Change::write(path, contents)])
}

/// Makes every change or none (see the module docs). Folders a deletion
/// leaves empty are removed afterwards.
pub fn apply(changes: &[Change]) -> anyhow::Result<()> {
    let mut staged = Staged::default();
    if let Err(error) = staged.stage(changes) {
        staged.undo();
        return Err(error);
    }
    if let Err(error) = staged.commit(changes) {
        staged.undo();
        return Err(error);
    }
    staged.finish(changes);
    Ok(())
}

#[derive(Default)]
struct Staged {
    /// Temporary files written, per change index.
    temporary: Vec<(usize, PathBuf)>,
    /// Folders created for new files, outermost first.
    created_folders: Vec<PathBuf>,
    /// Targets moved aside: (target, backup).
    moved: Vec<(PathBuf, PathBuf)>,
    /// Targets now holding the new contents (no earlier file).
    placed: Vec<PathBuf>,
}

fn sibling(path: &Path, suffix: &str) -> anyhow::Result<PathBuf> {
    let name = path.file_name().with_context(|| format!("{} names no file", path.display()))?;
    Ok(path.with_file_name(format!(".{}.xtask-{}.{suffix}", name.to_string_lossy(), std::process::id())))
}

fn injected(variable: &str) -> Option<usize> {
    std::env::var(variable).ok()?.parse().ok()
}

impl Staged {
    fn stage(&mut self, changes: &[Change]) -> anyhow::Result<()> {
        let fail_after = injected("XTASK_TEST_FAIL_AFTER_FILES");
        for (index, change) in changes.iter().enumerate() {
            let Some(contents) = &change.contents else { continue };
            if fail_after == Some(self.temporary.len()) {
                bail!("injected failure before writing {} (XTASK_TEST_FAIL_AFTER_FILES)", change.path.display());
            }
            if let Some(parent) = change.path.parent().filter(|p| !p.as_os_str().is_empty()) {
                let mut missing = Vec::new();
                let mut folder = Some(parent);
                while let Some(dir) = folder.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
                    missing.push(dir.to_path_buf());
                    folder = dir.parent();
                }
                std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
                self.created_folders.extend(missing.into_iter().rev());
            }
            let temporary = sibling(&change.path, "new")?;
            self.temporary.push((index, temporary.clone()));
            let mut file = std::fs::File::create(&temporary).with_context(|| format!("cannot write {}", temporary.display()))?;
            file.write_all(contents).and_then(|()| file.sync_all()).with_context(|| format!("cannot write {}", temporary.display()))?;
        }
        Ok(())
    }

    fn commit(&mut self, changes: &[Change]) -> anyhow::Result<()> {
        let fail_after = injected("XTASK_TEST_FAIL_AFTER_RENAMES");
        let mut renames = 0;
        let mut check = |what: &Path| -> anyhow::Result<()> {
            if fail_after == Some(renames) {
                bail!("injected failure before renaming {} (XTASK_TEST_FAIL_AFTER_RENAMES)", what.display());
            }
            renames += 1;
            Ok(())
        };
        for (index, change) in changes.iter().enumerate() {
            if change.path.symlink_metadata().is_ok() {
                check(&change.path)?;
                let backup = sibling(&change.path, "old")?;
                std::fs::rename(&change.path, &backup).with_context(|| format!("cannot move {} aside", change.path.display()))?;
                self.moved.push((change.path.clone(), backup));
            }
            if change.contents.is_some() {
                let Some(position) = self.temporary.iter().position(|(i, _)| *i == index) else {
                    bail!("internal: {} was not staged", change.path.display())
                };
                check(&change.path)?;
                std::fs::rename(&self.temporary[position].1, &change.path)
                    .with_context(|| format!("cannot rename into {}", change.path.display()))?;
                self.temporary.remove(position);
                self.placed.push(change.path.clone());
            }
        }
        Ok(())
    }

    /// Puts everything back as it was (best effort; each step is a rename
    /// or removal in one folder).
    fn undo(&mut self) {
        for (_, temporary) in self.temporary.drain(..) {
            let _ = std::fs::remove_file(temporary);
        }
        for placed in self.placed.drain(..).rev() {
            let _ = std::fs::remove_file(placed);
        }
        for (target, backup) in self.moved.drain(..).rev() {
            let _ = std::fs::rename(backup, target);
        }
        for folder in self.created_folders.drain(..).rev() {
            let _ = std::fs::remove_dir(folder);
        }
    }

    fn finish(&mut self, changes: &[Change]) {
        for (_, backup) in self.moved.drain(..) {
            let _ = std::fs::remove_file(backup);
        }
        // Drop folders a deletion left empty (say a product no longer
        // given); `remove_dir` fails harmlessly on a folder still in use.
        for change in changes.iter().filter(|c| c.contents.is_none()) {
            let mut parent = change.path.parent();
            while let Some(folder) = parent.filter(|f| !f.as_os_str().is_empty()) {
                if std::fs::remove_dir(folder).is_err() {
                    break;
                }
                parent = folder.parent();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = crate::workspace_root().join("target").join("xtask-write-tests").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn listing(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(folder) = stack.pop() {
            for entry in std::fs::read_dir(&folder).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    out.push((path.strip_prefix(dir).unwrap().display().to_string() + "/", String::new()));
                    stack.push(path);
                } else {
                    out.push((path.strip_prefix(dir).unwrap().display().to_string(), std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    fn changes(dir: &Path) -> Vec<Change> {
        vec![
            Change::write(dir.join("a.rs"), "new a"),
            Change::write(dir.join("sub/deeper/b.rs"), "new b"),
            Change::delete(dir.join("gone/c.rs")),
            Change::write(dir.join("d.rs"), "new d"),
        ]
    }

    fn seed(dir: &Path) {
        std::fs::write(dir.join("a.rs"), "old a").unwrap();
        std::fs::create_dir_all(dir.join("gone")).unwrap();
        std::fs::write(dir.join("gone/c.rs"), "old c").unwrap();
        std::fs::write(dir.join("d.rs"), "old d").unwrap();
    }

    // One test, so the environment variables of the injected failures are
    // never seen by another test running at the same time.
    #[test]
    fn every_target_is_as_it_was_or_complete() {
        let dir = scratch("all");
        seed(&dir);
        let before = listing(&dir);
        for (variable, n) in [("XTASK_TEST_FAIL_AFTER_FILES", 0), ("XTASK_TEST_FAIL_AFTER_FILES", 2), ("XTASK_TEST_FAIL_AFTER_RENAMES", 0), ("XTASK_TEST_FAIL_AFTER_RENAMES", 3), ("XTASK_TEST_FAIL_AFTER_RENAMES", 5)] {
            std::env::set_var(variable, n.to_string());
            let error = apply(&changes(&dir)).unwrap_err();
            std::env::remove_var(variable);
            assert!(format!("{error:#}").contains("injected failure"), "{error:#}");
            assert_eq!(listing(&dir), before, "after a failure with {variable}={n}");
        }
        apply(&changes(&dir)).unwrap();
        let after: Vec<(String, String)> = listing(&dir);
        let expected: Vec<(String, String)> = [("a.rs", "new a"), ("d.rs", "new d"), ("sub/", ""), ("sub/deeper/", ""), ("sub/deeper/b.rs", "new b")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(after, expected);
    }
}
