//! The docs stay true: every error code the code base can emit has a heading in docs/errors.md,
//! every `docs/design.md §N` reference names a section of it, and no tracked file points outside
//! the repository.

use omniroute_core::codes::Code;
use std::path::Path;

fn codes_in(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            codes_in(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices("\"E") {
                let code = &text[i + 1..text.len().min(i + 6)];
                if code.len() == 5
                    && code[1..].bytes().all(|b| b.is_ascii_digit())
                    && text[i + 6..].starts_with('"')
                {
                    out.push(code.to_owned());
                }
            }
        }
    }
}

#[test]
fn every_error_code_has_a_heading_in_errors_md() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut codes = Vec::new();
    codes_in(&root.join("crates"), &mut codes);
    codes.sort();
    codes.dedup();
    assert!(codes.len() > 40, "found only {codes:?}");
    let doc = std::fs::read_to_string(root.join("docs/errors.md")).unwrap();
    let missing: Vec<_> = codes
        .iter()
        .filter(|c| !doc.contains(&format!("\n## {c}\n")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a heading in docs/errors.md: {missing:?}"
    );
}

/// The families whose codes are still written as string literals (each converted family leaves
/// this list; a code of any other family must be a variant of its enum).
const LITERAL_FAMILIES: &[&str] = &[];

#[test]
fn every_code_is_an_enum_variant_with_a_heading_in_errors_md() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let doc = std::fs::read_to_string(root.join("docs/errors.md")).unwrap();
    let variants: Vec<Code> = Code::all().collect();
    assert!(
        variants.len() >= 27,
        "found only {} variants",
        variants.len()
    );
    let missing: Vec<_> = variants
        .iter()
        .filter(|c| !doc.contains(&format!("\n## {}\n", c.id())))
        .collect();
    assert!(
        missing.is_empty(),
        "variants without a heading in docs/errors.md: {missing:?}"
    );
    // A code written as a literal (a string "E2050" in the source) must be declared as a
    // variant of its family's enum in crates/core/src/codes/ (see its module docs).
    let mut codes = Vec::new();
    codes_in(&root.join("crates"), &mut codes);
    let undeclared: Vec<_> = codes
        .iter()
        .filter(|c| !LITERAL_FAMILIES.contains(&&c[..2]) && Code::find(c).is_none())
        .collect();
    assert!(
        undeclared.is_empty(),
        "codes that are not a variant in crates/core/src/codes/: {undeclared:?}"
    );
}

/// Every tracked text file (`git ls-files`; binary files such as gzip or Parquet, which are
/// not UTF-8, are left out) as (path, text), or `None` outside a git checkout.
fn tracked_texts(root: &Path) -> Option<Vec<(String, String)>> {
    let out = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|out| out.status.success());
    let Some(out) = out else {
        eprintln!("not a git checkout: nothing to check");
        return None;
    };
    let files = String::from_utf8_lossy(&out.stdout)
        .split('\0')
        .filter(|p| !p.is_empty())
        .filter_map(|p| Some((p.to_owned(), std::fs::read_to_string(root.join(p)).ok()?)))
        .collect();
    Some(files)
}

#[test]
fn no_tracked_file_names_a_path_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let Some(files) = tracked_texts(&root) else {
        return;
    };
    assert!(
        files.len() > 100,
        "found only {} tracked files",
        files.len()
    );
    // Written in pieces so that this file does not match itself.
    let outside = [
        ["..", "/shared"].concat(),
        ["shared", "/data/"].concat(),
        ["/wo", "rk/"].concat(),
        ["/ro", "ot/"].concat(),
        ["/ho", "me/"].concat(),
        ["/Us", "ers/"].concat(),
        ["C:", "\\Users"].concat(),
    ];
    let mut found = Vec::new();
    for (file, text) in &files {
        for (n, line) in text.lines().enumerate() {
            if let Some(p) = outside.iter().find(|p| line.contains(p.as_str())) {
                found.push(format!("{file}:{}: `{p}` in {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "tracked files name paths outside the repository:\n{}",
        found.join("\n")
    );
}

#[test]
fn design_references_name_sections_of_docs_design_md() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let Some(files) = tracked_texts(&root) else {
        return;
    };
    let design = std::fs::read_to_string(root.join("docs/design.md")).unwrap();
    let mut cited = 0;
    let mut dangling = Vec::new();
    for (file, text) in &files {
        // In pieces, as above.
        for marker in [["design.md", " §"].concat(), ["design.md`", " §"].concat()] {
            for (i, _) in text.match_indices(&marker) {
                let digits: String = text[i + marker.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                if text[i + marker.len()..].starts_with('N') {
                    continue; // the placeholder in "cite it as `docs/design.md §N`"
                }
                cited += 1;
                if digits.is_empty() || !design.contains(&format!("\n## {digits}. ")) {
                    dangling.push(format!("{file}: §{digits}"));
                }
            }
        }
    }
    assert!(cited > 30, "found only {cited} references");
    assert!(dangling.is_empty(), "no such section: {dangling:?}");
}
