//! `--help` of every command, snapshot-tested.

use crate::{omniroute, stdout};

fn help(args: &[&str]) -> String {
    let out = omniroute().args(args).arg("--help").assert().success();
    stdout(&out)
}

#[test]
fn help_main() {
    insta::assert_snapshot!("help_main", help(&[]));
}

#[test]
fn help_of_every_command() {
    for cmd in [
        "demo",
        "gen",
        "validate",
        "route",
        "reroute",
        "explain",
        "check",
        "serve",
        "completions",
        "watch",
        "db",
    ] {
        let text = help(&[cmd]);
        assert!(text.contains("Example:"), "{cmd} --help has no example");
        insta::assert_snapshot!(format!("help_{cmd}"), text);
    }
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = omniroute().args(["completions", shell]).assert().success();
        let text = stdout(&out);
        assert!(text.contains("omniroute"), "{shell}");
        assert!(
            text.contains("explain"),
            "{shell} script lacks the explain command"
        );
    }
}

#[test]
fn unknown_flag_exits_2() {
    omniroute().args(["route", "--bogus"]).assert().code(2);
}
