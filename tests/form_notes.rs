//! The submission schema's enumerations against the notes of the provincial registration form
//! 《浙江省小微企业园信息登记表（已投运）》, as `docs/domain.md` lists them (section "The
//! registration form"): each note's labels, character for character, are the labels of the
//! schema fields that take its values, and the field's description cites the note with its
//! confidence. A note that changes in the catalogue, a label edited in the schema, or a new enum
//! that nobody has classified fails here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;

use serde_json::Value;

/// The form's notes, by number: the values of each list the note gives (note 5 gives two: the
/// park types, and the subtypes of 生产性服务业等).
fn notes() -> BTreeMap<u32, Vec<Vec<String>>> {
    let text = std::fs::read_to_string(common::root().join("docs/domain.md")).unwrap();
    let section = text
        .split("\n## ")
        .find(|s| s.starts_with("The registration form"))
        .expect("docs/domain.md has a section \"The registration form\"");
    // A note is a line `N. label: values`, continued on indented lines.
    let mut items: Vec<String> = Vec::new();
    for line in section.lines() {
        let starts_note = line
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if starts_note {
            items.push(line.to_owned());
        } else if line.starts_with("   ") && !items.is_empty() {
            let last = items.last_mut().unwrap();
            last.push(' ');
            last.push_str(line.trim());
        } else if !items.is_empty() && !line.trim().is_empty() {
            break;
        }
    }
    items
        .iter()
        .map(|item| {
            let (number, rest) = item.split_once(". ").unwrap();
            let (_, values) = rest.split_once(": ").unwrap();
            let lists = values
                .split("; ")
                .map(|part| {
                    // `是 / 否 (是: the name ends …)`: the explanation is not a label.
                    let part = part.split(" (").next().unwrap();
                    // `for 生产性服务业等 a subtype: 科技园 / …`: the list after the colon.
                    let part = part.rsplit_once(": ").map_or(part, |(_, v)| v);
                    part.split(" / ").map(|v| v.trim().to_owned()).collect()
                })
                .collect();
            (number.parse().unwrap(), lists)
        })
        .collect()
}

/// The schema nodes that take each note's values: (note, which of its lists, pointer).
const FIELDS: &[(u32, usize, &str)] = &[
    (1, 0, "/properties/park/properties/status"),
    (3, 0, "/properties/land/properties/source"),
    (4, 0, "/properties/land/properties/use"),
    (5, 0, "/properties/park/properties/type"),
    (5, 1, "/properties/park/properties/subtype"),
    (6, 0, "/properties/park/properties/dev_mode"),
    (7, 0, "/properties/facilities"),
    (8, 0, "/properties/services"),
    (9, 0, "/properties/park/properties/star/properties/level"),
    (9, 0, "/$defs/star_level"),
    (10, 0, "/properties/operator/properties/nature"),
    (11, 0, "/properties/operator/properties/mode"),
    (12, 0, "/properties/tenants/items/properties/status"),
];

/// Note 2 (是 / 否) is the boolean `park.phased`; the levels applied for are note 9 without 无.
const PHASED: &str = "/properties/park/properties/phased";
const APPLIED_LEVEL: &str = "/properties/star_application/properties/level";

/// The schema's other enumerations, which do not come from the form (each with its source).
const NOT_FROM_THE_FORM: &[&str] = &[
    "/properties/kind",                                     // parkcheck's own
    "/properties/park/properties/region/properties/county", // GB/T 2260, Jiaxing
    "/properties/park/properties/region_code",              // GB/T 2260, Jiaxing
    "/properties/park/properties/star/properties/rated_by", // the star rating scheme
    "/properties/buildings/properties/list/items/properties/fire_class", // GB 50016
    "/properties/buildings/properties/list/items/properties/floors_detail/items/properties/use",
    "/properties/operator/properties/documents/items", // jx-standard topics
    "/properties/safety/properties/accidents_last_12m/items/properties/level", // 生产安全事故等级
    "/properties/tenants/items/properties/sector",     // the SME size standard
    "/properties/tenants/items/properties/declared_size", // the SME size standard
    "/properties/tenants/items/properties/honours/items", // titles of enterprises
    "/$defs/attachment/properties/kind",               // the documents the rulebooks name
    "/allOf/1/if/properties/kind",
    "/allOf/3/if/properties/kind",
];

fn schema() -> Value {
    let text =
        std::fs::read_to_string(common::root().join("schemas/submission.v1.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The labels of the node at `pointer` (or of its items), as strings.
fn labels(schema: &Value, pointer: &str) -> Vec<String> {
    let node = schema
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer}"));
    let node = node.get("items").unwrap_or(node);
    node["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{pointer} has no enum"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

fn description<'a>(schema: &'a Value, pointer: &str) -> &'a str {
    schema.pointer(pointer).unwrap()["description"]
        .as_str()
        .unwrap()
}

#[test]
fn the_catalogue_lists_twelve_notes() {
    let notes = notes();
    assert_eq!(
        notes.keys().copied().collect::<Vec<_>>(),
        (1..=12).collect::<Vec<_>>()
    );
    assert_eq!(notes[&2], [["是", "否"]]);
    assert_eq!(notes[&5].len(), 2, "types, then the subtypes");
    assert_eq!(notes[&7][0].len(), 17);
    assert_eq!(notes[&8][0].len(), 19);
}

#[test]
fn each_form_field_takes_its_notes_labels_and_cites_the_note() {
    let notes = notes();
    let schema = schema();
    for &(note, list, pointer) in FIELDS {
        let expected = &notes[&note][list];
        assert_eq!(
            &labels(&schema, pointer),
            expected,
            "{pointer} against note {note} of the form"
        );
        assert_eq!(
            schema.pointer(pointer).unwrap()["x-form-note"],
            note,
            "{pointer}: x-form-note names note {note}"
        );
        let text = description(&schema, pointer);
        assert!(
            text.contains(&format!("登记表填表说明第 {note} 项"))
                && text.contains(&format!("note {note} of the form's instructions"))
                && text.contains("secondary"),
            "{pointer}: the description cites note {note} with its confidence: {text}"
        );
        // The description lists the labels, in the form's order.
        assert!(
            text.contains(&expected.join(" / ")),
            "{pointer}: the description lists the labels of note {note}: {text}"
        );
        assert!(
            !text.contains("待官方") && !text.contains("to be confirmed"),
            "{pointer}: {text}"
        );
    }
    let phased = schema.pointer(PHASED).unwrap();
    assert_eq!(phased["type"], "boolean", "note 2 (是 / 否) is a boolean");
    assert_eq!(phased["x-form-note"], 2);
    assert_eq!(schema.pointer(APPLIED_LEVEL).unwrap()["x-form-note"], 9);
    assert!(description(&schema, PHASED).contains("登记表填表说明第 2 项"));
    let mut applied = notes[&9][0].clone();
    applied.retain(|l| l != "无");
    assert_eq!(labels(&schema, APPLIED_LEVEL), applied);
    assert!(description(&schema, APPLIED_LEVEL).contains("登记表填表说明第 9 项"));
}

#[test]
fn every_enum_of_the_schema_is_a_notes_or_declared_not_from_the_form() {
    fn walk(node: &Value, at: &str, out: &mut Vec<String>) {
        match node {
            Value::Object(map) => {
                if map.contains_key("enum") {
                    out.push(at.to_owned());
                }
                for (key, value) in map {
                    walk(value, &format!("{at}/{key}"), out);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut enums = Vec::new();
    walk(&schema(), "", &mut enums);
    let classified: Vec<String> = FIELDS
        .iter()
        .map(|(_, _, p)| (*p).to_owned())
        .chain([APPLIED_LEVEL.to_owned()])
        .chain(NOT_FROM_THE_FORM.iter().map(|p| (*p).to_owned()))
        .flat_map(|p| [format!("{p}/items"), p])
        .collect();
    for pointer in enums {
        assert!(
            classified.contains(&pointer),
            "{pointer}: an enum neither mapped to a note of the form nor declared not from it"
        );
    }
}

#[test]
fn aliases_lead_to_labels_and_are_not_labels() {
    let schema = schema();
    let mut seen = 0;
    for &(_, _, pointer) in FIELDS {
        let node = schema.pointer(pointer).unwrap();
        let node = node.get("items").unwrap_or(node);
        let Some(aliases) = node.get("x-aliases").and_then(Value::as_object) else {
            continue;
        };
        let labels = labels(&schema, pointer);
        for (alias, targets) in aliases {
            assert!(!labels.contains(alias), "{pointer}: {alias} is a label");
            for target in targets.as_array().unwrap() {
                assert!(
                    labels.iter().any(|l| l == target.as_str().unwrap()),
                    "{pointer}: {alias} → {target} is not a label"
                );
            }
            seen += 1;
        }
    }
    // The provisional labels of dev_mode, facilities and services before issue 12.
    assert!(seen >= 3 + 11 + 12, "{seen}");
}
