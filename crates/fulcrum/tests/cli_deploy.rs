//! Installing and running Fulcrum: the default build is the whole product,
//! shell completions and manual pages cover every command, and README's
//! command table lists every command there is.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fulcrum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every command as its words (`["user", "add"]`), from the pages `fulcrum
/// man --out-dir` writes: one per command, named after its whole path.
fn commands_from_man_pages(dir: &Path) -> Vec<Vec<String>> {
    let mut commands: Vec<Vec<String>> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".1").map(str::to_owned))
        .filter(|n| n != "fulcrum")
        .map(|n| {
            n.strip_prefix("fulcrum-")
                .unwrap()
                .split('-')
                .map(str::to_owned)
                .collect()
        })
        .collect();
    commands.sort();
    commands
}

/// The top-level subcommands `fulcrum --help` lists.
fn top_level_commands() -> Vec<String> {
    let help = ok(&fulcrum(&["--help"]));
    help.split("Commands:")
        .nth(1)
        .unwrap()
        .split("Options:")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_default_build_is_the_whole_product() {
    // `cargo install --path crates/fulcrum` builds the default features:
    // they must hold the store and the server.
    let manifest = std::fs::read_to_string(root().join("crates/fulcrum/Cargo.toml")).unwrap();
    let manifest: toml::Table = manifest.parse().unwrap();
    let default: Vec<&str> = manifest["features"]["default"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(default.contains(&"server"), "default features: {default:?}");
    let server: Vec<&str> = manifest["features"]["server"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(server.contains(&"store"), "server feature: {server:?}");
    let top = top_level_commands();
    for c in ["serve", "user", "import", "forget", "completions", "man"] {
        assert!(top.iter().any(|t| t == c), "no `{c}` in {top:?}");
    }
}

#[test]
fn man_pages_cover_every_command_and_parse() {
    let dir = fresh_dir("man-pages");
    let out = fulcrum(&["man", "--out-dir", dir.to_str().unwrap()]);
    ok(&out);
    let commands = commands_from_man_pages(&dir);
    for c in top_level_commands() {
        assert!(
            commands.contains(&vec![c.clone()]),
            "no page for `fulcrum {c}` in {commands:?}"
        );
    }
    for leaf in [
        &["user", "add"][..],
        &["user", "list"],
        &["user", "remove"],
        &["user", "token"],
        &["experiment", "show"],
        &["chat", "summary"],
        &["ics", "expand"],
    ] {
        let leaf: Vec<String> = leaf.iter().map(|s| (*s).to_owned()).collect();
        assert!(commands.contains(&leaf), "no page for {leaf:?}");
    }
    // Each page is roff that groff reads without a warning, titled with the
    // command's whole path.
    for c in &commands {
        let name = format!("fulcrum-{}", c.join("-"));
        let page = dir.join(format!("{name}.1"));
        let text = std::fs::read_to_string(&page).unwrap();
        assert!(
            text.contains(&format!(".TH {name} 1")),
            "{name}: {}",
            &text[..200.min(text.len())]
        );
        let groff = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(&page)
            .output()
            .expect("groff (Debian's groff-base) renders the manual pages in this test");
        assert!(
            groff.status.success() && groff.stderr.is_empty(),
            "{name}: {}",
            String::from_utf8_lossy(&groff.stderr)
        );
    }
    // Without --out-dir, the main page goes to standard output and names
    // every top-level command.
    let main = ok(&fulcrum(&["man"]));
    assert!(
        main.starts_with(".ie") || main.contains(".TH fulcrum 1"),
        "{main}"
    );
    for c in top_level_commands() {
        assert!(
            main.contains(&format!("fulcrum\\-{c}(1)")),
            "fulcrum.1 lacks {c}"
        );
    }
}

#[test]
fn completions_know_every_command() {
    let top = top_level_commands();
    assert!(top.len() >= 18, "{top:?}");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = ok(&fulcrum(&["completions", shell]));
        for c in &top {
            assert!(script.contains(c.as_str()), "{shell} completions lack {c}");
        }
        // Fish writes `-l database`, the others `--database`.
        for flag in ["database", "out-dir", "people"] {
            assert!(script.contains(flag), "{shell} completions lack {flag}");
        }
    }
    // The bash script is valid bash, and completing `fulcrum us` in it
    // offers `user`.
    let script = ok(&fulcrum(&["completions", "bash"]));
    let dir = fresh_dir("completions");
    let path = dir.join("fulcrum.bash");
    std::fs::write(&path, &script).unwrap();
    let check = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}' && COMP_WORDS=(fulcrum us) COMP_CWORD=1 COMP_LINE='fulcrum us' COMP_POINT=10 && _fulcrum fulcrum us fulcrum && printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display()
        ))
        .output()
        .unwrap();
    let offered = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success() && offered.lines().any(|l| l == "user"),
        "{offered}\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // An unknown shell is refused with the list of known ones.
    let bad = fulcrum(&["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bash"));
}

#[test]
fn readme_lists_every_command() {
    let dir = fresh_dir("man-pages-readme");
    ok(&fulcrum(&["man", "--out-dir", dir.to_str().unwrap()]));
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let missing: Vec<String> = commands_from_man_pages(&dir)
        .into_iter()
        .map(|c| format!("fulcrum {}", c.join(" ")))
        .filter(|c| !readme.contains(&format!("`{c}")))
        .collect();
    assert!(
        missing.is_empty(),
        "README's command table lacks {missing:?}"
    );
}

/// Runs `fulcrum ARGS` in `dir` under a pseudo-terminal (util-linux's
/// `script`), so standard error is a terminal; returns what was drawn.
fn on_a_terminal(dir: &Path, args: &str) -> String {
    let out = Command::new("script")
        .current_dir(dir)
        .args([
            "-qec",
            &format!("{} {args}", env!("CARGO_BIN_EXE_fulcrum")),
            "/dev/null",
        ])
        .env("FULCRUM_REPORT_KEY", "000102030405060708090a0b0c0d0e0f")
        .output()
        .expect("`script` (util-linux) runs the command under a terminal in this test");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{args}: {text}");
    text
}

#[test]
fn progress_bars_show_on_a_terminal_and_not_when_piped() {
    let dir = fresh_dir("progress");
    // On a terminal: the demo, the import and the report draw their bars.
    let drawn = on_a_terminal(&dir, "demo --out tty --people 12 --weeks 3");
    assert!(drawn.contains("writing calendars"), "{drawn}");
    assert!(drawn.contains("/12"), "{drawn}");
    assert!(drawn.contains("writing the Slack export"), "{drawn}");
    let drawn = on_a_terminal(&dir, "import tty");
    assert!(drawn.contains("importing (calendar)"), "{drawn}");
    let drawn = on_a_terminal(&dir, "report tty --format json --out r.json");
    assert!(drawn.contains("reading calendars"), "{drawn}");
    // Piped: the same commands write no bar, only their own lines.
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_fulcrum"))
            .current_dir(&dir)
            .env("FULCRUM_REPORT_KEY", "000102030405060708090a0b0c0d0e0f")
            .args(args)
            .output()
            .unwrap();
        ok(&o);
        String::from_utf8(o.stderr).unwrap()
    };
    for args in [
        &["demo", "--out", "piped", "--people", "12", "--weeks", "3"][..],
        &["import", "piped"],
        &["report", "piped", "--format", "json", "--out", "r.json"],
    ] {
        let stderr = run(args);
        assert!(
            !stderr.contains('\r') && !stderr.contains('\u{1b}') && !stderr.contains("[="),
            "{args:?} drew on a pipe: {stderr:?}"
        );
    }
}

#[test]
fn the_systemd_unit_verifies_against_this_binary() {
    let unit = std::fs::read_to_string(root().join("deploy/fulcrum.service")).unwrap();
    assert!(
        unit.contains("ExecStart=/usr/local/bin/fulcrum serve\n"),
        "{unit}"
    );
    // systemd checks that the binary runs and that the documentation it
    // names exists: point it at this build and at its generated pages.
    let dir = fresh_dir("systemd");
    let man = dir.join("man/man1");
    ok(&fulcrum(&["man", "--out-dir", man.to_str().unwrap()]));
    let path = dir.join("fulcrum.service");
    std::fs::write(
        &path,
        unit.replace("/usr/local/bin/fulcrum", env!("CARGO_BIN_EXE_fulcrum")),
    )
    .unwrap();
    let verify = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .env("MANPATH", dir.join("man"))
        .output()
        .expect("systemd-analyze (Debian's systemd) checks the unit in this test");
    let stderr = String::from_utf8_lossy(&verify.stderr);
    assert!(
        verify.status.success() && stderr.trim().is_empty(),
        "systemd-analyze verify: {stderr}"
    );
    // The command it runs parses: `fulcrum serve` with nothing else.
    ok(&fulcrum(&["serve", "--help"]));
}

#[test]
fn the_dockerfile_builds_the_pinned_toolchain_and_serves_what_it_exposes() {
    let docker = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    let toolchain: toml::Table = std::fs::read_to_string(root().join("rust-toolchain.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let channel = toolchain["toolchain"]["channel"].as_str().unwrap();
    assert!(
        docker.contains(&format!("FROM rust:{channel}-")),
        "the build image is not the pinned toolchain {channel}"
    );
    assert!(docker.contains("cargo install --locked --path crates/fulcrum"));
    assert!(docker.contains("ENTRYPOINT [\"fulcrum\"]") && docker.contains("CMD [\"serve\"]"));
    let listen = docker
        .split("FULCRUM_LISTEN=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    let port = listen.rsplit(':').next().unwrap();
    assert!(
        docker.contains(&format!("EXPOSE {port}")),
        "listens on {listen}"
    );
    assert!(
        listen.starts_with("0.0.0.0:"),
        "a container must listen beyond loopback"
    );
    let ignore = std::fs::read_to_string(root().join(".dockerignore")).unwrap();
    assert!(ignore.lines().any(|l| l.trim() == "target"));
}

/// Every `FULCRUM_*` variable the code reads or the deployment files set.
fn variables_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("FULCRUM_") {
        let name: String = rest[i..]
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        rest = &rest[i + name.len()..];
        out.push(name);
    }
    out
}

#[test]
fn every_environment_variable_is_documented() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("## Configuration from the environment")
        .nth(1)
        .expect("README has a section \"Configuration from the environment\"")
        .split("\n## ")
        .next()
        .unwrap();
    let mut named = Vec::new();
    let mut sources = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "tests") {
                    walk(&p, out);
                }
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    walk(&root().join("crates"), &mut sources);
    for f in ["Dockerfile", "deploy/fulcrum.service", "deploy/fulcrum.env"] {
        sources.push(root().join(f));
    }
    for f in &sources {
        named.extend(variables_in(&std::fs::read_to_string(f).unwrap()));
    }
    named.sort();
    named.dedup();
    // Test-only settings are documented with the tests.
    named.retain(|n| !n.starts_with("FULCRUM_TEST_") && !n.starts_with("FULCRUM_BENCH_"));
    assert!(
        named.contains(&"FULCRUM_DATABASE_URL".to_owned()),
        "{named:?}"
    );
    let missing: Vec<&String> = named
        .iter()
        .filter(|n| !section.contains(&format!("`{n}`")))
        .collect();
    assert!(missing.is_empty(), "README does not document {missing:?}");
}
