//! Colour on a real terminal: the CLI's streams attached to a pseudo-terminal, so that
//! `--color auto` sees a TTY. Pipes are covered in `manners.rs`.
#![cfg(unix)]

use std::io::Read;
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use rustix::fs::{Mode, OFlags};
use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};

/// Which of the child's streams is the terminal.
#[derive(Clone, Copy)]
enum On {
    Stdout,
    Stderr,
}

/// Runs `qrpin args` with one stream on a new pseudo-terminal (the other on a pipe to nowhere),
/// `TERM=xterm-256color`, no colour variables but `env`; returns the exit code and what was
/// written to the terminal.
fn on_terminal(on: On, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, Vec<u8>) {
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = rustix::fs::open(
        name.as_c_str(),
        OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .unwrap();
    let mut cmd = Command::cargo_bin("qrpin").unwrap();
    cmd.args(args).stdin(Stdio::null());
    match on {
        On::Stdout => cmd.stdout(Stdio::from(slave)).stderr(Stdio::null()),
        On::Stderr => cmd.stderr(Stdio::from(slave)).stdout(Stdio::null()),
    };
    for k in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "CI"] {
        cmd.env_remove(k);
    }
    cmd.env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    // Our copy of the terminal's other end must be closed, or reading would never end.
    drop(cmd);
    // Read until the child has closed the terminal, then reap it: reading first means a child
    // that writes more than the terminal buffers never waits on us.
    let mut seen = Vec::new();
    let mut master = std::fs::File::from(master);
    let mut buf = [0u8; 4096];
    loop {
        match master.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
            // Linux reports the closed other end as EIO once the buffered output is read.
            Err(e) if e.raw_os_error() == Some(rustix::io::Errno::IO.raw_os_error()) => break,
            Err(e) => panic!("reading the terminal: {e}"),
        }
    }
    let status = child.wait().unwrap();
    (status.code(), seen)
}

fn has_escape(b: &[u8]) -> bool {
    b.contains(&0x1b)
}

#[test]
fn errors_are_coloured_on_a_terminal_unless_no_color() {
    let (code, seen) = on_terminal(On::Stderr, &["parse", "x"], &[]);
    assert_eq!(code, Some(2));
    let text = String::from_utf8_lossy(&seen);
    assert!(text.starts_with("\x1b[1m\x1b[31merror:\x1b[0m not a valid payload"), "{text:?}");
    // no-color.org: a non-empty NO_COLOR turns colour off; an empty one does not.
    let (_, seen) = on_terminal(On::Stderr, &["parse", "x"], &[("NO_COLOR", "1")]);
    assert!(!has_escape(&seen), "{:?}", String::from_utf8_lossy(&seen));
    assert!(seen.starts_with(b"error: not a valid payload"));
    let (_, seen) = on_terminal(On::Stderr, &["parse", "x"], &[("NO_COLOR", "")]);
    assert!(has_escape(&seen));
    // The flag decides over the terminal and over NO_COLOR.
    let (_, seen) = on_terminal(On::Stderr, &["--color", "never", "parse", "x"], &[]);
    assert!(!has_escape(&seen));
    let (_, seen) =
        on_terminal(On::Stderr, &["--color", "always", "parse", "x"], &[("NO_COLOR", "1")]);
    assert!(has_escape(&seen));
    let (_, seen) = on_terminal(On::Stderr, &["parse", "x"], &[("TERM", "dumb")]);
    assert!(!has_escape(&seen));
}

#[test]
fn warnings_are_yellow_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("w.svg");
    let args = ["render", "--raw", "hello", "-o", out.to_str().unwrap()];
    let (code, seen) = on_terminal(On::Stderr, &args, &[]);
    assert_eq!(code, Some(0));
    assert!(
        seen.starts_with(b"\x1b[1m\x1b[33mwarning:\x1b[0m "),
        "{:?}",
        String::from_utf8_lossy(&seen)
    );
    let (_, seen) = on_terminal(On::Stderr, &args, &[("NO_COLOR", "yes")]);
    assert!(seen.starts_with(b"warning: --raw text"));
    assert!(!has_escape(&seen));
}

#[test]
fn clap_help_follows_the_same_rules() {
    let (code, seen) = on_terminal(On::Stdout, &["--help"], &[]);
    assert_eq!(code, Some(0));
    assert!(has_escape(&seen));
    let (_, seen) = on_terminal(On::Stdout, &["--help"], &[("NO_COLOR", "1")]);
    assert!(!has_escape(&seen) && String::from_utf8_lossy(&seen).contains("Usage: qrpin"));
    let (_, seen) = on_terminal(On::Stdout, &["--color", "never", "--help"], &[]);
    assert!(!has_escape(&seen));
}
