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

use crate::frontend::limits::{self, over_limit, Limits};
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
    /// Members or archives left unread because they pass a limit of
    /// [`Limits`] (each message names the limit and its flag).
    pub over_limits: Vec<String>,
    /// Decompressed bytes so far, against [`Limits::max_bundle_bytes`].
    decompressed: u64,
}

/// Reads a bundle file or folder. `Err` only when nothing can be read.
pub fn open(path: &Path, limits: &Limits) -> Result<Contents, String> {
    let mut contents = Contents::default();
    if let Some(name) = path.file_name() {
        contents.containers.push(name.to_string_lossy().into_owned());
    }
    if path.is_dir() {
        walk_dir(path, path, limits, &mut contents);
    } else {
        let bytes = limits::read_regular_file(path, limits.max_bundle_bytes).map_err(|e| format!("cannot read bundle: {e}"))?;
        if !is_gzip(&bytes) && !is_tar(&bytes) {
            return Err("not a gzip'd tar, a tar, or a folder".into());
        }
        expand("", &bytes, 0, limits, &mut contents);
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

fn walk_dir(root: &Path, dir: &Path, limits: &Limits, contents: &mut Contents) {
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
        // Symlinks are not followed (`a -> .` would never end) and special
        // files never read (`page.html -> /dev/zero`).
        let kind = std::fs::symlink_metadata(&path).map(|m| m.file_type());
        if kind.as_ref().is_ok_and(|k| k.is_symlink()) {
            contents.problems.push(format!("{rel}: symlink not followed; only regular files and folders are read"));
        } else if kind.as_ref().is_ok_and(|k| k.is_dir()) {
            walk_dir(root, &path, limits, contents);
        } else if wanted(&rel) || archive_name(&rel) {
            let max = if archive_name(&rel) { limits.max_bundle_bytes } else { limits.max_member_bytes };
            match limits::read_regular_file(&path, max) {
                Ok(bytes) if archive_name(&rel) && (is_gzip(&bytes) || is_tar(&bytes)) => {
                    contents.containers.push(file_name(&rel).to_string());
                    expand(&strip_archive_ext(&rel), &bytes, 1, limits, contents);
                }
                Ok(bytes) => contents.entries.push(Entry { path: rel, bytes }),
                Err(e) => contents.problems.push(format!("cannot read {rel}: {e}")),
            }
        }
    }
}

/// Adds the files of an archive (gzip'd or not) under `prefix`. The
/// archive is decompressed as it is read, never whole into memory; every
/// decompressed byte counts against [`Limits::max_bundle_bytes`].
fn expand(prefix: &str, bytes: &[u8], depth: usize, limits: &Limits, contents: &mut Contents) {
    if depth > MAX_DEPTH {
        contents.problems.push(format!("{prefix}: archives nested deeper than {MAX_DEPTH} levels left unread"));
        return;
    }
    if is_gzip(bytes) {
        let mut decoder = flate2::read::MultiGzDecoder::new(bytes);
        // The first block says whether the gzip holds a tar.
        let mut head = Vec::new();
        if let Err(e) = (&mut decoder).take(512).read_to_end(&mut head) {
            contents.problems.push(format!("{}: gzip data is damaged ({e}); read as far as it goes", display(prefix)));
        }
        if is_tar(&head) {
            read_tar(prefix, std::io::Cursor::new(head).chain(decoder), depth, limits, contents);
        } else if !head.is_empty() {
            contents.problems.push(format!("{}: gzip member is not a tar; left unread", display(prefix)));
        }
        return;
    }
    read_tar(prefix, bytes, depth, limits, contents);
}

/// A reader that counts what passes through it against the bundle's total
/// and fails once the total is passed.
struct Counted<'c, R> {
    inner: R,
    total: &'c mut u64,
    max: u64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if *self.total > self.max {
            return Err(std::io::Error::other("bundle total limit passed"));
        }
        let read = self.inner.read(buf)?;
        *self.total += read as u64;
        Ok(read)
    }
}

fn read_tar(prefix: &str, reader: impl Read, depth: usize, limits: &Limits, contents: &mut Contents) {
    let mut total = contents.decompressed;
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let mut over = Vec::new();
    {
        let counted = Counted { inner: reader, total: &mut total, max: limits.max_bundle_bytes };
        let mut archive = tar::Archive::new(counted);
        match archive.entries() {
            Err(e) => problems.push(format!("{}: not a readable tar ({e})", display(prefix))),
            Ok(entries) => {
                for entry in entries {
                    let mut entry = match entry {
                        Ok(entry) => entry,
                        Err(e) => {
                            problems.push(format!("{}: tar member unreadable ({e}); the archive is damaged or cut short, the rest is skipped", display(prefix)));
                            break;
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
                    // A nested archive may be as large as the whole bundle;
                    // a page only as large as one member.
                    let max = if archive_name(&path) { limits.max_bundle_bytes } else { limits.max_member_bytes };
                    if entry.size() > max {
                        over.push(member_message(&path, max, archive_name(&path)));
                        continue;
                    }
                    // Sized from the header (bounded by the limit) so a large
                    // page is not copied as its buffer doubles; trimmed after,
                    // since the header may claim more than the member holds.
                    let mut data = Vec::with_capacity(entry.size().min(max) as usize);
                    let read = (&mut entry).take(max.saturating_add(1)).read_to_end(&mut data);
                    data.shrink_to_fit();
                    match read {
                        Err(e) => {
                            problems.push(format!("{path}: cannot read tar member ({e}); the archive is damaged or cut short"));
                            continue;
                        }
                        Ok(_) if data.len() as u64 > max => {
                            over.push(member_message(&path, max, archive_name(&path)));
                            continue;
                        }
                        Ok(_) => {}
                    }
                    found.push((path, data));
                }
            }
        }
    }
    if total > limits.max_bundle_bytes {
        // The read errors above are this limit's doing.
        problems.clear();
        over.push(total_message(prefix, limits));
    }
    contents.decompressed = total;
    contents.problems.extend(problems);
    contents.over_limits.extend(over);
    for (path, data) in found {
        if archive_name(&path) && (is_gzip(&data) || is_tar(&data)) {
            contents.containers.push(file_name(&path).to_string());
            expand(&strip_archive_ext(&path), &data, depth + 1, limits, contents);
        } else if wanted(&path) {
            contents.entries.push(Entry { path, bytes: data });
        }
    }
}

fn member_message(path: &str, max: u64, archive: bool) -> String {
    let flag = if archive { "--max-bundle-bytes" } else { "--max-member-bytes" };
    format!("{}; left unread", over_limit(&format!("member `{path}` (decompressed)"), max, flag))
}

fn total_message(prefix: &str, limits: &Limits) -> String {
    format!("{}; the rest of `{}` is left unread", over_limit("the decompressed bundle", limits.max_bundle_bytes, "--max-bundle-bytes"), display(prefix))
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
