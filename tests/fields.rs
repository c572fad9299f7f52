//! `docs/fields.md` is the output of `parkcheck schema --format markdown` (issue 13, item 19): a
//! change to the schema or the rulebooks that is not carried into the field reference fails here.
#![allow(clippy::unwrap_used)]

mod common;

use common::{parkcheck, root};

#[test]
fn the_field_reference_is_current() {
    let output = parkcheck()
        .args(["schema", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let generated = String::from_utf8(output.stdout).unwrap();
    let committed = std::fs::read_to_string(root().join("docs/fields.md")).unwrap();
    assert!(
        generated == committed,
        "docs/fields.md is not current: run `cargo run -- schema --format markdown > docs/fields.md`"
    );
}

#[test]
fn every_field_of_the_schema_is_in_it_with_its_title_and_rules() {
    let text = std::fs::read_to_string(root().join("docs/fields.md")).unwrap();
    // A field of a list item, with its unit and the rules that read it.
    let employees = text
        .lines()
        .find(|l| l.starts_with("| `tenants[].employees` |"))
        .unwrap();
    assert!(
        employees.contains("从业人员") && employees.contains("| 人 |"),
        "{employees}"
    );
    assert!(employees.contains("SIZE-001"), "{employees}");
    // An enum with the form's labels; a field required for one kind only.
    let dev_mode = text
        .lines()
        .find(|l| l.starts_with("| `park.dev_mode` |"))
        .unwrap();
    assert!(dev_mode.contains("政府主导开发"), "{dev_mode}");
    let star = text
        .lines()
        .find(|l| l.starts_with("| `star_application` |"))
        .unwrap();
    assert!(star.contains("星级申报"), "{star}");
    // Money in 万元.
    assert!(
        text.lines()
            .any(|l| l.contains("万元") && l.starts_with("| `investment.")),
        "no amount in 万元"
    );
}
