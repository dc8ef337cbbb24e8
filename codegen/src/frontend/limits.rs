//! Limits on what a frontend reads, so a hostile or broken input ends
//! quickly with an error naming the limit instead of exhausting memory or
//! never answering. Every limit has a flag of the same name on the xtask
//! commands that read inputs (`--max-input-bytes`, `--max-nodes`,
//! `--max-member-bytes`, `--max-bundle-bytes`).
//!
//! Why these defaults: the inputs we know are far below them (the ADC
//! 11.1 bundle is 20 MB extracted, its largest file the 640 KB error
//! listing; reference pages stay under 200 KB; our Next-Gen description
//! is 3,600 values), so real documents many times larger still pass,
//! while the worst case stays bounded: a 64 MiB page, a tree of 4 million
//! JSON values (a few hundred MB), 1 GiB decompressed per bundle.
//!
//! Files are read only when they are regular files: symlinks are never
//! followed when walking folders (`a -> .` would loop) and special files
//! (`/dev/zero`, FIFOs) are never read.

use std::io::Read;
use std::path::Path;

/// 64 MiB: one input file (a page, a YAML or JSON document).
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 64 << 20;
/// 4,000,000 values in one YAML or JSON document, aliases expanded.
pub const DEFAULT_MAX_NODES: u64 = 4_000_000;
/// 64 MiB: one decompressed member of a bundle archive.
pub const DEFAULT_MAX_MEMBER_BYTES: u64 = 64 << 20;
/// 1 GiB: everything decompressed from one bundle, nested archives included.
pub const DEFAULT_MAX_BUNDLE_BYTES: u64 = 1 << 30;

/// The limits a frontend applies; [`Limits::default`] gives the `DEFAULT_`
/// values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of one input file (`--max-input-bytes`).
    pub max_input_bytes: u64,
    /// Values in one YAML/JSON document, aliases expanded (`--max-nodes`).
    pub max_nodes: u64,
    /// Decompressed bytes of one archive member (`--max-member-bytes`).
    pub max_member_bytes: u64,
    /// Decompressed bytes of a whole bundle (`--max-bundle-bytes`).
    pub max_bundle_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
            max_nodes: DEFAULT_MAX_NODES,
            max_member_bytes: DEFAULT_MAX_MEMBER_BYTES,
            max_bundle_bytes: DEFAULT_MAX_BUNDLE_BYTES,
        }
    }
}

/// `64 MiB`, `1 GiB`, `1000 bytes`: a limit as people read it.
pub fn show_bytes(bytes: u64) -> String {
    for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

/// The message for an input over a byte limit.
pub fn over_limit(what: &str, limit: u64, flag: &str) -> String {
    format!("{what} is larger than the {} limit; raise it with {flag}", show_bytes(limit))
}

/// Reads a file that must be a regular file (never a symlink to a special
/// file, a FIFO or a device) of at most `max_bytes` bytes. Symlinks given
/// directly are followed to their target, which must then be a regular
/// file too.
pub fn read_regular_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !metadata.is_file() {
        return Err("not a regular file (a device, FIFO or socket is never read)".to_string());
    }
    if metadata.len() > max_bytes {
        return Err(over_limit("the file", max_bytes, "--max-input-bytes"));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // The size may change between the check and the read: read one byte
    // past the limit to notice.
    file.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > max_bytes {
        return Err(over_limit("the file", max_bytes, "--max-input-bytes"));
    }
    Ok(bytes)
}

/// What a folder walk met: a folder to descend into, a regular file to
/// read, or something it leaves alone (a symlink, a special file).
pub enum Kind {
    Folder,
    File,
    /// Symlink or special file, with a word for the diagnostic.
    Skipped(&'static str),
}

/// The kind of a folder entry, without following symlinks.
pub fn entry_kind(entry: &std::fs::DirEntry) -> Kind {
    match entry.file_type() {
        Ok(kind) if kind.is_symlink() => Kind::Skipped("symlink"),
        Ok(kind) if kind.is_dir() => Kind::Folder,
        Ok(kind) if kind.is_file() => Kind::File,
        Ok(_) => Kind::Skipped("special file"),
        Err(_) => Kind::Skipped("unreadable entry"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_shown_in_their_unit() {
        assert_eq!(show_bytes(64 << 20), "64 MiB");
        assert_eq!(show_bytes(1 << 30), "1 GiB");
        assert_eq!(show_bytes(1000), "1000 bytes");
        assert_eq!(over_limit("member `a`", 1 << 10, "--max-member-bytes"), "member `a` is larger than the 1 KiB limit; raise it with --max-member-bytes");
    }
}
