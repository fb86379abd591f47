//! `-q`, `-v` and `--color` through the binary (on pipes; `terminal.rs` covers a terminal).

mod common;

use common::*;

#[test]
fn quiet_silences_warnings_and_verbose_adds_detail() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("w.svg");
    let svg = svg.to_str().unwrap();
    let warn = run(&["render", "--raw", "hello", "-o", svg]);
    assert!(warn.status.success());
    assert!(text(&warn.stderr).starts_with("warning: --raw text is not a valid ms-qrpin payload"));
    for args in [
        &["-q", "render", "--raw", "hello", "-o", svg][..],
        &["render", "--raw", "hello", "-o", svg, "--quiet"][..],
    ] {
        let out = run(args);
        assert!(out.status.success());
        assert_eq!(text(&out.stderr), "", "{args:?}");
    }
    // A badge's own warning (a bidi override removed from the name): shown, silenced by -q, and
    // still in the JSON report, which is a result.
    let pdf = dir.path().join("b.pdf");
    let pdf = pdf.to_str().unwrap();
    let name = "Ada\u{202e}Lovelace";
    let out = run(&["badge", "--raw", SAMPLE, "--name", name, "-o", pdf]);
    assert!(
        text(&out.stderr).contains("warning: removed 1 control or bidirectional-override"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["badge", "-q", "--raw", SAMPLE, "--name", name, "-o", pdf]);
    assert!(out.status.success() && out.stderr.is_empty(), "{}", text(&out.stderr));
    let out = run(&["badge", "-q", "--json", "--raw", SAMPLE, "--name", name, "-o", pdf]);
    assert!(out.stderr.is_empty());
    assert!(stdout_json(&out)["warnings"][0].as_str().unwrap().contains("bidirectional"));

    // -v: the decoder layer and timing; nothing extra without it.
    let png = render_png(dir.path(), "v.png", "l");
    let plain = run(&["decode", &png]);
    assert_eq!(text(&plain.stderr), "");
    let verbose = run(&["decode", "-v", &png]);
    assert_eq!(plain.stdout, verbose.stdout, "-v changes stderr only");
    let err = text(&verbose.stderr);
    assert!(
        err.contains("read by known-geometry")
            && err.contains("version 4, ecl l")
            && err.contains(" ms"),
        "{err}"
    );
    let out = run(&["-v", "render", "--raw", SAMPLE, "-o", &png]);
    assert!(
        text(&out.stderr).starts_with(&format!("wrote {png}: png, version 4, ecl l")),
        "{}",
        text(&out.stderr)
    );
    // --json -v: the detail as JSON Lines.
    let out = run(&["--json", "-v", "verify", &png, "--raw", SAMPLE]);
    assert!(stderr_json(&out)[0]["verbose"].as_str().unwrap().contains("read by"));
}

#[test]
fn quiet_failures_print_exactly_the_final_error() {
    let dir = tempfile::tempdir().unwrap();
    let png = render_png(dir.path(), "h.png", "h");
    let out = run(&["verify", &png, "--raw", SAMPLE, "--ecl", "l"]);
    let err = text(&out.stderr);
    assert!(err.contains("note: ") && err.contains("expected l"), "{err}");
    let out = run(&["verify", "-q", &png, "--raw", SAMPLE, "--ecl", "l"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), format!("error: {png}: no code matches the expected one\n"));
    // A failure whose details were printed gets no extra summary, except with -q.
    let blank = dir.path().join("blank.svg");
    std::fs::write(&blank, r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"/>"#)
        .unwrap();
    let blank = blank.to_str().unwrap();
    let out = run(&["decode", blank]);
    assert_eq!(
        (out.status.code(), text(&out.stderr)),
        (Some(1), format!("error: {blank}: no QR code found\n"))
    );
    let out = run(&["decode", "-q", blank]);
    assert_eq!(
        (out.status.code(), text(&out.stderr)),
        (Some(1), "error: 1 of 1 images hold no QR code\n".into())
    );
}

#[test]
fn batch_quiet_and_verbose() {
    let dir = tempfile::tempdir().unwrap();
    let input = format!("upn,codeId\n{UPN},{GUID}\nc@b.com,44f2f040-ea9d-4283-9e7b-b63ddae391ab\n");
    std::fs::write(dir.path().join("in.csv"), input).unwrap();
    let batch = |extra: &[&str]| {
        qrpin()
            .current_dir(dir.path())
            .args(["batch", "in.csv", "--out", "o"])
            .args(extra)
            .output()
            .unwrap()
    };
    let plain = text(&batch(&[]).stderr);
    assert!(plain.starts_with("batch: 2 rows: 2 written") && plain.lines().count() == 1, "{plain}");
    let verbose = text(&batch(&["-v", "--resume"]).stderr);
    let lines: Vec<&str> = verbose.lines().collect();
    assert_eq!(lines.len(), 3, "{verbose}");
    assert!(lines[0].starts_with("row 1 (line 2): already there: o/"), "{verbose}");
    assert!(lines[2].starts_with("batch: 2 rows: 0 written, 2 already there"));
    // -q keeps the summary line: it is batch's result.
    let quiet = text(&batch(&["-q"]).stderr);
    assert!(quiet.starts_with("batch: 2 rows") && quiet.lines().count() == 1, "{quiet}");
    for args in [&["-q", "-v"][..], &["--quiet", "--verbose"][..]] {
        let out = batch(args);
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out.stderr).contains("cannot be used with"));
    }
}

#[test]
fn quiet_and_verbose_conflict_everywhere() {
    for args in [
        &["-q", "-v", "parse", SAMPLE][..],
        &["parse", SAMPLE, "-v", "-q"][..],
        &["-q", "pin", "generate", "-v"][..],
        &["--verbose", "graph", "check", "-", "--quiet"][..],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(
            text(&out.stderr).contains("'--quiet' cannot be used with '--verbose'")
                || text(&out.stderr).contains("'--verbose' cannot be used with '--quiet'"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn colour_follows_the_flag_and_never_reaches_pipes_by_default() {
    let esc = |b: &[u8]| b.contains(&0x1b);
    // Not a terminal: no colour, whatever NO_COLOR says.
    for env in [None, Some("1")] {
        let mut c = qrpin();
        if let Some(v) = env {
            c.env("NO_COLOR", v);
        }
        let out =
            c.args(["render", "--raw", "hello", "-o", "/nonexistent/x.svg"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = text(&out.stderr);
        assert!(err.starts_with("warning: ") && err.contains("\nerror: "), "{err}");
        assert!(!esc(&out.stderr), "{err:?}");
    }
    // --color always: bold red error, bold yellow warning; the flag wins over NO_COLOR.
    for env in [None, Some("1")] {
        let mut c = qrpin();
        if let Some(v) = env {
            c.env("NO_COLOR", v);
        }
        let out = c
            .args(["--color", "always", "render", "--raw", "hello", "-o", "/nonexistent/x.svg"])
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert!(err.starts_with("\x1b[1m\x1b[33mwarning:\x1b[0m "), "{err:?}");
        assert!(err.contains("\n\x1b[1m\x1b[31merror:\x1b[0m "), "{err:?}");
    }
    // --color never beats CLICOLOR_FORCE; auto honours it (anstream's rules, as clap's help).
    let out =
        qrpin().env("CLICOLOR_FORCE", "1").args(["--color=never", "parse", "x"]).output().unwrap();
    assert!(!esc(&out.stderr));
    let out = qrpin().env("CLICOLOR_FORCE", "1").args(["parse", "x"]).output().unwrap();
    assert!(esc(&out.stderr), "{:?}", text(&out.stderr));
    // JSON is never coloured.
    let out = run(&["--json", "--color", "always", "parse", "x"]);
    assert!(!esc(&out.stderr));
    final_error(&out);
}

#[test]
fn clap_help_and_usage_follow_color() {
    let esc = |b: &[u8]| b.contains(&0x1b);
    assert!(!esc(&run(&["--help"]).stdout));
    assert!(esc(&run(&["--color", "always", "--help"]).stdout));
    assert!(esc(&run(&["render", "--help", "--color=always"]).stdout));
    assert!(!esc(&run(&["--color", "never", "render", "--help"]).stdout));
    let out = run(&["--color", "always", "parse", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(esc(&out.stderr));
    let out = run(&["parse", "--bogus"]);
    assert!(!esc(&out.stderr) && text(&out.stderr).starts_with("error: unexpected argument"));
    // The help documents the global flags once, for every subcommand.
    let help = text(&run(&["--help"]).stdout);
    for flag in ["--json", "--quiet", "--verbose", "--color <WHEN>", "NO_COLOR", "Exit codes"] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    let sub = text(&run(&["verify", "--help"]).stdout);
    assert!(sub.contains("--json") && sub.contains("\"match\""), "{sub}");
}
