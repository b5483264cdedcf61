//! What every test of the binary needs: files to read, the binary run, its verdicts.
// Each test crate uses its own part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_cxm");

/// Writes `contents` to a file of its own under the target directory's temporary directory.
pub fn file(name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cxm-cli-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

pub fn cxm(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

pub fn report(path: &Path, args: &[&str]) -> Output {
    let mut all = vec!["report", path.to_str().unwrap()];
    all.extend_from_slice(args);
    cxm(&all)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A good run: exit 0, nothing on stderr; returns stdout.
pub fn succeeds(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(output));
    assert_eq!(stderr(output), "");
    stdout(output)
}

/// A bad file: exit 1, stdout empty, and stderr exactly `cxm: <path>: <message>` on one line.
pub fn bad_file(path: &Path, args: &[&str], message: &str) {
    let output = report(path, args);
    assert_eq!(output.status.code(), Some(1), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), "", "nothing may be printed before a failure");
    assert_eq!(stderr(&output), format!("cxm: {}: {message}\n", path.display()));
}

/// Bad usage: exit 2, stdout empty, stderr containing `message`.
pub fn bad_usage(args: &[&str], message: &str) {
    let output = cxm(args);
    assert_eq!(output.status.code(), Some(2), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), "");
    assert!(stderr(&output).contains(message), "stderr: {}", stderr(&output));
}
