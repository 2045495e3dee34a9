//! The docs stay true: every error code the code base can emit has a heading in docs/errors.md.

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
