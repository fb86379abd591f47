//! `qrpin completions` and `qrpin man`: the generated scripts and man page cover every
//! subcommand that `qrpin --help` lists.

use assert_cmd::Command;

fn qrpin() -> Command {
    Command::cargo_bin("qrpin").unwrap()
}

fn stdout_of(args: &[&str]) -> String {
    let out = qrpin().args(args).output().unwrap();
    assert!(out.status.success(), "qrpin {args:?} failed: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The subcommand names in the "Commands:" section of `qrpin --help` (without `help`).
fn subcommands() -> Vec<String> {
    let help = stdout_of(&["--help"]);
    let section = help.split("Commands:").nth(1).expect("--help has a Commands: section");
    let names: Vec<String> = section
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect();
    for expected in ["encode", "render", "badge", "completions", "man"] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
    }
    names
}

#[test]
fn bash_completions_mention_every_subcommand() {
    let script = stdout_of(&["completions", "bash"]);
    assert!(script.contains("complete -F _qrpin"), "not a bash completion script");
    for name in subcommands() {
        // The bash script offers each subcommand as a word and has a case arm for it.
        assert!(
            script.contains(&format!("qrpin__{name}")) || script.contains(&format!("qrpin,{name}")),
            "bash completions do not handle subcommand {name}"
        );
        assert!(
            script.contains(&format!(" {name} ")) || script.contains(&format!(" {name}\"")),
            "bash completions do not offer subcommand {name}"
        );
    }
}

#[test]
fn every_shell_gets_a_script() {
    for (shell, marker) in [
        ("zsh", "#compdef qrpin"),
        ("fish", "complete -c qrpin"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains(marker), "{shell} script lacks {marker:?}");
    }
}

#[test]
fn unknown_shell_is_a_usage_error() {
    qrpin().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_page_has_title_and_names_subcommands() {
    let page = stdout_of(&["man"]);
    // clap_mangen puts two roff lines defining the `Aq` string (.ie/.el) before the title; the
    // first real request must be the title header.
    let first = page.lines().find(|l| !l.starts_with(".ie ") && !l.starts_with(".el ")).unwrap();
    assert!(first.starts_with(".TH qrpin 1"), "man page starts with {first:?}");
    assert!(page.contains(".SH SUBCOMMANDS"));
    for name in subcommands() {
        // roff escapes the hyphen: qrpin\-encode(1)
        assert!(page.contains(&format!("qrpin\\-{name}(1)")), "man page does not name {name}");
    }
}
