//! The files a submission's attachments name (`attachments[].file`), looked at for JXF-002:
//! whether each exists beside the submission and its SHA-256. Bound for the rules as the map
//! `files`, keyed by the path as written.
//!
//! A submission is untrusted input, so a path is only followed when it is relative and stays
//! inside the submission's directory (no `..`, no absolute path, no symbolic link leading
//! out); only regular files are read, in chunks, up to [`MAX_ATTACHMENT_BYTES`].

use std::collections::HashMap;
use std::io::Read;
use std::path::{Component, Path};
use std::sync::Arc;

use cel::Value as Cel;
use sha2::{Digest, Sha256};

use crate::document::{Document, Value};

/// The largest attachment hashed (scanned certificates are a few MB; this leaves room).
pub const MAX_ATTACHMENT_BYTES: u64 = 512 * 1024 * 1024;

/// What was found at an attachment's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStatus {
    /// A regular file, with its SHA-256 (lower-case hex).
    Ok(String),
    Missing,
    /// Absolute, or leading out of the submission's directory.
    Outside,
    NotAFile,
    TooLarge(u64),
    Unreadable(String),
}

impl FileStatus {
    fn code(&self) -> &'static str {
        match self {
            Self::Ok(_) => "ok",
            Self::Missing => "missing",
            Self::Outside => "outside",
            Self::NotAFile => "not_a_file",
            Self::TooLarge(_) => "too_large",
            Self::Unreadable(_) => "unreadable",
        }
    }

    /// Why the file cannot serve as evidence, in Chinese and English (empty for `Ok`).
    fn problem(&self) -> (String, String) {
        match self {
            Self::Ok(_) => (String::new(), String::new()),
            Self::Missing => (
                "文件不存在".to_owned(),
                "the file does not exist".to_owned(),
            ),
            Self::Outside => (
                "路径须为相对于申报文件所在目录、且不超出该目录的路径".to_owned(),
                "the path must be relative to the submission's directory and stay inside it"
                    .to_owned(),
            ),
            Self::NotAFile => ("不是普通文件".to_owned(), "not a regular file".to_owned()),
            Self::TooLarge(size) => (
                format!("文件过大（{size} 字节，上限 {MAX_ATTACHMENT_BYTES}）"),
                format!("the file is too large ({size} bytes, limit {MAX_ATTACHMENT_BYTES})"),
            ),
            Self::Unreadable(e) => (format!("无法读取：{e}"), format!("cannot be read: {e}")),
        }
    }
}

/// Looks at `file` (as written in a submission) relative to `base`, the submission's directory.
#[must_use]
pub fn inspect(base: &Path, file: &str) -> FileStatus {
    let relative = Path::new(file);
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return FileStatus::Outside;
    }
    let path = base.join(relative);
    let Ok(meta) = std::fs::metadata(&path) else {
        return FileStatus::Missing;
    };
    // A symbolic link inside the directory may still lead out of it.
    match (std::fs::canonicalize(base), std::fs::canonicalize(&path)) {
        (Ok(base), Ok(full)) if full.starts_with(&base) => {}
        (Ok(_), Ok(_)) => return FileStatus::Outside,
        (_, Err(e)) | (Err(e), _) => return FileStatus::Unreadable(e.to_string()),
    }
    if !meta.is_file() {
        return FileStatus::NotAFile;
    }
    if meta.len() > MAX_ATTACHMENT_BYTES {
        return FileStatus::TooLarge(meta.len());
    }
    match hash(&path) {
        Ok(digest) => FileStatus::Ok(digest),
        Err(e) => FileStatus::Unreadable(e.to_string()),
    }
}

fn hash(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?.take(MAX_ATTACHMENT_BYTES + 1);
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        let Some(chunk) = buffer.get(..n).filter(|c| !c.is_empty()) else {
            break;
        };
        hasher.update(chunk);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The `files` variable for `doc`: for each `attachments[].file`, `{status, sha256,
/// problem_zh, problem_en}`. `None` when the submission has no directory (standard input):
/// rules reading `files` are then not applicable.
#[must_use]
pub fn bind(doc: &Document) -> Option<Cel> {
    let name = doc.source.name();
    if name == "<stdin>" {
        return None;
    }
    let base = Path::new(name)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let mut files: HashMap<String, Cel> = HashMap::new();
    if let Some(Value::Seq(items)) = doc.root.get("attachments").map(|n| &n.value) {
        for item in items {
            let Some(Value::Str(file)) = item.get("file").map(|n| &n.value) else {
                continue;
            };
            if files.contains_key(file) {
                continue;
            }
            let status = inspect(base, file);
            let (zh, en) = status.problem();
            let digest = match &status {
                FileStatus::Ok(d) => d.clone(),
                _ => String::new(),
            };
            let entry: HashMap<String, Cel> = [
                ("status", status.code().to_owned()),
                ("sha256", digest),
                ("problem_zh", zh),
                ("problem_en", en),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Cel::String(Arc::new(v))))
            .collect();
            files.insert(file.clone(), Cel::from(entry));
        }
    }
    Some(Cel::from(files))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_submission_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.pdf"), b"abc").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert_eq!(
            inspect(dir.path(), "a.pdf"),
            FileStatus::Ok(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".to_owned()
            )
        );
        assert_eq!(inspect(dir.path(), "./a.pdf"), inspect(dir.path(), "a.pdf"));
        assert_eq!(inspect(dir.path(), "b.pdf"), FileStatus::Missing);
        assert_eq!(inspect(dir.path(), "sub"), FileStatus::NotAFile);
        assert_eq!(inspect(dir.path(), "../a.pdf"), FileStatus::Outside);
        assert_eq!(inspect(dir.path(), "sub/../a.pdf"), FileStatus::Outside);
        assert_eq!(inspect(dir.path(), "/etc/passwd"), FileStatus::Outside);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_out_of_the_directory_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), b"x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("link.pdf"))
            .unwrap();
        assert_eq!(inspect(dir.path(), "link.pdf"), FileStatus::Outside);
    }
}
