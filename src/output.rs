//! Writing files the run produces (reports, baselines): atomically, so that a killed or
//! interrupted run never leaves a half-written file behind.

use std::io::Write;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Held while a file is being written, so that an interrupted run can wait for the write in
/// progress to finish (or not to start) before it exits: no half file, no temporary left.
static WRITES: Mutex<()> = Mutex::new(());

/// Waits until no [`write_atomic`] is in progress and keeps new ones from starting while the
/// guard lives. A signal handler takes it before it ends the process.
pub fn hold_writes() -> MutexGuard<'static, ()> {
    WRITES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Writes `contents` to `path` by writing a temporary file in the same directory and renaming
/// it over `path`: readers see the old file or the new one, never a part. Writes are serialised
/// with [`hold_writes`]. The file gets the mode of the file it replaces, or, when new, the mode
/// any program's new file gets (`0666` less the umask) — not the temporary file's `0600`.
///
/// # Errors
/// Any I/O error creating, writing, syncing or renaming the temporary file; `path` is then
/// untouched and the temporary file removed.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    write_with(path, contents, true)
}

/// As [`write_atomic`], but never replaces a file: when `path` exists (or appears while the
/// temporary file is written) the write fails with [`std::io::ErrorKind::AlreadyExists`] and
/// `path` is untouched.
///
/// # Errors
/// `AlreadyExists`, or any I/O error as [`write_atomic`].
pub fn write_atomic_new(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    write_with(path, contents, false)
}

fn write_with(path: &Path, contents: &[u8], replace: bool) -> std::io::Result<()> {
    let _writing = hold_writes();
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".parkcheck-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Passed to open(2), which applies the umask, as for any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(dir)?;
    // The mode of the file replaced, set before anything is written.
    if let Ok(meta) = std::fs::metadata(path) {
        file.as_file().set_permissions(meta.permissions())?;
    }
    file.write_all(contents)?;
    file.as_file().sync_all()?;
    if replace {
        file.persist(path).map_err(|e| e.error)?;
    } else {
        // link(2), which fails when the name exists: no window in which another file is replaced.
        file.persist_noclobber(path).map_err(|e| e.error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_new_file_is_never_written_over_an_existing_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("park.yaml");
        write_atomic_new(&path, b"first").unwrap();
        let err = write_atomic_new(&path, b"second").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_directory_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/dir/report.json");
        assert!(write_atomic(&path, b"x").is_err());
    }
}
