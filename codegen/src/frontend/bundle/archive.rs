//! Opens a bundle into an in-memory list of files: a gzip'd tar
//! (`nitro-rest.tgz`), a plain tar, any `.tar`/`.tgz` nested inside (at any
//! depth up to [`MAX_DEPTH`]), or an already-extracted folder (which may
//! itself hold a nested archive). Paths use `/` and are relative to the
//! input; an inner archive's files are prefixed with the archive's path
//! minus its extension, then folders that wrap every file are removed (and
//! their names kept for release detection).
//!
//! Only files a reader needs are kept (`.html`, `.htm`, `.js`): the PDF
//! guide and viewer images are skipped.

use std::io::Read;
use std::path::Path;

/// Nested archives are opened this many levels deep at most.
pub const MAX_DEPTH: usize = 4;

/// One file of the bundle.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Path relative to the bundle root, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The bundle's files and the names of the archives and folders that held
/// them (for release detection), plus problems met on the way.
#[derive(Clone, Debug, Default)]
pub struct Contents {
    pub entries: Vec<Entry>,
    /// Input name, nested archive names (without folders).
    pub containers: Vec<String>,
    /// Lower case messages about unreadable members.
    pub problems: Vec<String>,
}

/// Reads a bundle file or folder. `Err` only when nothing can be read.
pub fn open(path: &Path) -> Result<Contents, String> {
    let mut contents = Contents::default();
    if let Some(name) = path.file_name() {
        contents.containers.push(name.to_string_lossy().into_owned());
    }
    if path.is_dir() {
        walk_dir(path, path, &mut contents);
    } else {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read bundle: {e}"))?;
        if !is_gzip(&bytes) && !is_tar(&bytes) {
            return Err("not a gzip'd tar, a tar, or a folder".into());
        }
        expand("", &bytes, 0, &mut contents);
    }
    strip_wrappers(&mut contents);
    contents.entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(contents)
}

/// Removes the folders every file sits in (`ns_nitro-rest_x/`, a nested
/// archive's name), so paths read alike however the bundle was packed;
/// their names are kept in `containers` for release detection.
fn strip_wrappers(contents: &mut Contents) {
    loop {
        let Some(first) = contents.entries.first().and_then(|e| e.path.split_once('/')).map(|(dir, _)| dir.to_string()) else {
            return;
        };
        // `html/` is part of the layout (the ADM category is the folder
        // below it), never a wrapper.
        if first == "html" {
            return;
        }
        let prefix = format!("{first}/");
        if !contents.entries.iter().all(|e| e.path.starts_with(&prefix)) {
            return;
        }
        for entry in &mut contents.entries {
            entry.path.drain(..prefix.len());
        }
        contents.containers.push(first);
    }
}

fn walk_dir(root: &Path, dir: &Path, contents: &mut Contents) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            contents.problems.push(format!("cannot list {}: {e}", relative(root, dir)));
            return;
        }
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let rel = relative(root, &path);
        if path.is_dir() {
            walk_dir(root, &path, contents);
        } else if wanted(&rel) || archive_name(&rel) {
            match std::fs::read(&path) {
                Ok(bytes) if archive_name(&rel) && (is_gzip(&bytes) || is_tar(&bytes)) => {
                    contents.containers.push(file_name(&rel).to_string());
                    expand(&strip_archive_ext(&rel), &bytes, 1, contents);
                }
                Ok(bytes) => contents.entries.push(Entry { path: rel, bytes }),
                Err(e) => contents.problems.push(format!("cannot read {rel}: {e}")),
            }
        }
    }
}

/// Adds the files of an archive (gzip'd or not) under `prefix`.
fn expand(prefix: &str, bytes: &[u8], depth: usize, contents: &mut Contents) {
    if depth > MAX_DEPTH {
        contents.problems.push(format!("{prefix}: archives nested deeper than {MAX_DEPTH} levels left unread"));
        return;
    }
    if is_gzip(bytes) {
        let mut inner = Vec::new();
        if let Err(e) = flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut inner) {
            contents.problems.push(format!("{}: gzip data is damaged ({e}); read as far as it goes", display(prefix)));
        }
        if is_tar(&inner) {
            read_tar(prefix, &inner, depth, contents);
        } else if !inner.is_empty() {
            contents.problems.push(format!("{}: gzip member is not a tar; left unread", display(prefix)));
        }
        return;
    }
    read_tar(prefix, bytes, depth, contents);
}

fn read_tar(prefix: &str, bytes: &[u8], depth: usize, contents: &mut Contents) {
    let mut archive = tar::Archive::new(bytes);
    let entries = match archive.entries() {
        Ok(entries) => entries,
        Err(e) => {
            contents.problems.push(format!("{}: not a readable tar ({e})", display(prefix)));
            return;
        }
    };
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                contents.problems.push(format!("{}: tar member unreadable ({e}); rest of the archive skipped", display(prefix)));
                return;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = match entry.path() {
            Ok(path) => clean_member_path(&path.to_string_lossy()),
            Err(_) => continue,
        };
        if name.is_empty() {
            continue;
        }
        let path = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        if !(wanted(&path) || archive_name(&path)) {
            continue;
        }
        let mut data = Vec::new();
        if let Err(e) = entry.read_to_end(&mut data) {
            contents.problems.push(format!("{path}: cannot read tar member ({e})"));
            continue;
        }
        if archive_name(&path) && (is_gzip(&data) || is_tar(&data)) {
            contents.containers.push(file_name(&path).to_string());
            expand(&strip_archive_ext(&path), &data, depth + 1, contents);
        } else if wanted(&path) {
            contents.entries.push(Entry { path, bytes: data });
        }
    }
}

/// Member paths without `./`, leading `/` or `..` parts (nothing is
/// written to disk; this only keeps names tidy and relative).
fn clean_member_path(path: &str) -> String {
    path.split(['/', '\\']).filter(|p| !p.is_empty() && *p != "." && *p != "..").collect::<Vec<_>>().join("/")
}

fn wanted(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".js")
}

fn archive_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".tar", ".tgz", ".tar.gz", ".gz"].iter().any(|ext| lower.ends_with(ext))
}

fn strip_archive_ext(path: &str) -> String {
    let lower = path.to_ascii_lowercase();
    for ext in [".tar.gz", ".tgz", ".tar", ".gz"] {
        if lower.ends_with(ext) {
            return path[..path.len() - ext.len()].to_string();
        }
    }
    path.to_string()
}

fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// POSIX (`ustar\0`) and old GNU (`ustar  `) tars carry `ustar` at 257.
fn is_tar(bytes: &[u8]) -> bool {
    bytes.get(257..262) == Some(b"ustar")
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn display(prefix: &str) -> &str {
    if prefix.is_empty() {
        "bundle"
    } else {
        prefix
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}
