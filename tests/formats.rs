//! The report formats end to end: SARIF against the official schema, JUnit as XML with the
//! attributes CI viewers read, GitHub annotations, several outputs in one run, atomic writing,
//! and an interrupted run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{parkcheck, root};
use parkcheck::document::Pointer;
use parkcheck::finding::FileReport;
use parkcheck::finding::{Finding, Related, Severity, Suppression};
use parkcheck::report::sarif;
use parkcheck::run::Summary;
use parkcheck::source::{SourceFile, Span};
use parkcheck::text::{Lang, Text};
use quick_xml::events::Event;
use serde_json::Value;

/// Failing fixtures of several kinds: a rule with a calculation, schema findings, an unreadable
/// file.
const INPUTS: &[&str] = &[
    "fixtures/rules/REC-007/fail.yaml",
    "fixtures/rules/FORM-018/fail.yaml",
    "fixtures/structural/wrong-enum.yaml",
    "fixtures/structural/unknown-field.yaml",
    "fixtures/structural/syntax-error.yaml",
    "fixtures/examples/puyuan-sweater-park.yaml",
];

fn run(args: &[&str]) -> (i32, String, String) {
    let output = parkcheck().args(args).output().unwrap();
    (
        output.status.code().expect("exited with a code"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn check(format: &str, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["check", "--format", format];
    args.extend_from_slice(extra);
    args.extend_from_slice(INPUTS);
    let (code, out, err) = run(&args);
    assert!(err.is_empty(), "stderr: {err}");
    (code, out)
}

fn json_report() -> Value {
    let (_, out) = check("json", &[]);
    serde_json::from_str(&out).unwrap()
}

/// The official SARIF 2.1.0 schema, compiled with format checks (`uri`, `uri-reference`, …).
///
/// The schema's pattern for `run.language` and `toolComponent.language` has a stray `]`
/// (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`), a known defect that regex engines refuse; it is
/// dropped here, in memory (parkcheck writes no `language`), and the file stays as published.
fn sarif_validator() -> jsonschema::Validator {
    const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    fn drop_broken(value: &mut Value) -> usize {
        match value {
            Value::Object(map) => {
                let mut dropped = 0;
                if map.get("pattern").and_then(Value::as_str) == Some(BROKEN) {
                    map.remove("pattern");
                    dropped += 1;
                }
                dropped + map.values_mut().map(drop_broken).sum::<usize>()
            }
            Value::Array(items) => items.iter_mut().map(drop_broken).sum(),
            _ => 0,
        }
    }
    let mut schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/vendor/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(drop_broken(&mut schema), 2, "the known defect, and only it");
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    // The schema does check what matters: a region's lines start at 1, a URI is a URI.
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
        "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "a b<>"}, "region": {"startLine": 0}}}]}]}]});
    assert_eq!(validator.iter_errors(&bad).count(), 2);
    validator
}

fn assert_valid_sarif(log: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not valid SARIF 2.1.0: {errors:#?}");
}

#[test]
fn sarif_is_valid_against_the_official_schema_and_matches_the_json_report() {
    let (code, out) = check("sarif", &["--lang", "en"]);
    assert_eq!(code, 2, "an unreadable input makes exit code 2");
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&log);
    // A log without results (clean files) is valid too.
    let (clean_code, clean, _) = run(&["check", "--format", "sarif", "fixtures/examples/"]);
    assert_eq!(clean_code, 0);
    assert_valid_sarif(&serde_json::from_str(&clean).unwrap());

    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["tool"]["driver"]["name"], "parkcheck");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    // Every rule in force is described, and every structural id that occurs.
    for id in [
        "REC-007", "FORM-018", "LAND-001", "PARSE", "SCHEMA", "FORM-001",
    ] {
        assert!(ids.contains(&id), "{id} not among the rules: {ids:?}");
    }
    let rec007 = &rules[ids.iter().position(|i| *i == "REC-007").unwrap()];
    assert_eq!(rec007["properties"]["rulebook"], "zj-recognition");
    assert!(rec007["properties"]["clause"].as_str().is_some());
    assert!(rec007["properties"]["confidence"].as_str().is_some());
    assert!(rec007["help"]["text"].as_str().unwrap().contains("Source:"));
    assert!(
        rec007["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("**Source**")
    );
    assert!(
        rec007["defaultConfiguration"]["level"]
            .as_str()
            .is_some_and(|l| ["error", "warning", "note"].contains(&l))
    );

    // Each result is the finding of the JSON report at the same place, with its rule's index.
    let json = json_report();
    let findings = json["findings"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (result, finding) in results.iter().zip(findings) {
        assert_eq!(result["ruleId"], finding["rule"]);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], finding["rule"]);
        let location = &result["locations"][0];
        let physical = &location["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], finding["file"]);
        if finding["line"].is_null() {
            assert!(physical["region"].is_null());
        } else {
            let region = &physical["region"];
            assert_eq!(region["startLine"], finding["line"]);
            assert_eq!(region["startColumn"], finding["column"]);
            assert_eq!(region["endLine"], finding["end_line"]);
            assert_eq!(region["endColumn"], finding["end_column"]);
        }
        if let Some(pointer) = finding["pointer"].as_str() {
            assert_eq!(
                location["logicalLocations"][0]["fullyQualifiedName"],
                pointer
            );
        }
        let text = result["message"]["text"].as_str().unwrap();
        assert!(text.starts_with(finding["message"]["en"].as_str().unwrap()));
        let fingerprint = result["partialFingerprints"]["parkcheck/v1"]
            .as_str()
            .unwrap();
        // The baseline's fingerprint: SHA-256 in hex.
        assert_eq!(fingerprint.len(), 64);
        assert!(fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
        let level = match finding["severity"].as_str().unwrap() {
            "info" => "note",
            other => other,
        };
        assert_eq!(result["level"], level);
    }
    // Columns count characters: the Chinese value of wrong-enum.yaml starts at column 11.
    let chinese = results
        .iter()
        .find(|r| r["ruleId"] == "FORM-001")
        .expect("the wrong enum value");
    assert_eq!(
        chinese["locations"][0]["physicalLocation"]["region"]["startColumn"],
        11
    );
    // Fingerprints do not depend on the run: the same input gives the same ones.
    let (_, again) = check("sarif", &["--lang", "en"]);
    assert_eq!(again, out);
}

fn report() -> FileReport {
    let text = "park:\n  name: 濮院毛衫园\n  status: 运营中\n";
    let at = |needle: &str| {
        let start = text.find(needle).unwrap();
        Some(Span::new(start, start + needle.len()))
    };
    let pointer = |p: &str| Pointer::parse(p).unwrap();
    let waived = Finding::new("FORM-001", Severity::Error, Text::new("状态", "status"))
        .at(pointer("/park/status"), at("运营中"));
    let mut waived = waived;
    waived.suppression = Some(Suppression::Waived {
        reason: "批准延期 / deferral approved".to_owned(),
        approved_by: "嘉兴市经信局".to_owned(),
        document: Some("嘉经信〔2025〕12号".to_owned()),
        expires: Some("2026-06-30".to_owned()),
        waiver: "waivers.yaml:3".to_owned(),
    });
    let mut baselined = Finding::new("SCHEMA", Severity::Warning, Text::new("名称", "name"))
        .at(pointer("/park/name"), at("濮院毛衫园"));
    baselined.suppression = Some(Suppression::Baselined);
    baselined.related.push(Related {
        file: "parks/其他 园区.yaml".to_owned(),
        pointer: Some(pointer("/park/name")),
        line: Some(2),
        column: Some(9),
        message: Text::new("同名园区", "a park of the same name"),
    });
    FileReport {
        source: SourceFile::new("parks/嘉兴 #1.yaml", text),
        findings: vec![waived, baselined],
        outcomes: Vec::new(),
        unreadable: false,
        facts: None,
    }
}

/// Waivers and baselines come from other parts of parkcheck; the SARIF of findings that carry
/// them, built here, must be valid too.
#[test]
fn waivers_baselines_and_related_places_are_valid_sarif() {
    let reports = vec![report()];
    let out = sarif::render(&reports, &Summary::of(&reports), None, Lang::Both);
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&log);

    let results = &log["runs"][0]["results"];
    let waived = &results[0];
    assert_eq!(waived["suppressions"][0]["kind"], "external");
    assert_eq!(waived["suppressions"][0]["status"], "accepted");
    let justification = waived["suppressions"][0]["justification"].as_str().unwrap();
    assert!(justification.contains("嘉兴市经信局") && justification.contains("2026-06-30"));
    assert_eq!(
        waived["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "parks/%E5%98%89%E5%85%B4%20%231.yaml"
    );
    assert_eq!(
        waived["locations"][0]["physicalLocation"]["region"]["startColumn"],
        11
    );
    let baselined = &results[1];
    assert_eq!(baselined["baselineState"], "unchanged");
    assert!(baselined["suppressions"].is_null());
    let related = &baselined["relatedLocations"][0];
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 2);
    assert_eq!(
        related["logicalLocations"][0]["fullyQualifiedName"],
        "/park/name"
    );
    assert!(
        related["message"]["text"]
            .as_str()
            .unwrap()
            .contains("a park of the same name")
    );
    // Structural ids without a rulebook still get a description.
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["FORM-001", "SCHEMA"]);
    assert_eq!(results[1]["ruleIndex"], 1);
}

#[test]
fn sarif_messages_follow_the_language() {
    let (_, zh) = check("sarif", &["--lang", "zh"]);
    let (_, both) = check("sarif", &[]);
    let json = json_report();
    let first = &json["findings"][0]["message"];
    let zh: Value = serde_json::from_str(&zh).unwrap();
    let both: Value = serde_json::from_str(&both).unwrap();
    let zh_text = zh["runs"][0]["results"][0]["message"]["text"]
        .as_str()
        .unwrap();
    let both_text = both["runs"][0]["results"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert!(zh_text.starts_with(first["zh"].as_str().unwrap()));
    assert!(!zh_text.contains(first["en"].as_str().unwrap()));
    assert!(both_text.contains(first["zh"].as_str().unwrap()));
    assert!(both_text.contains(first["en"].as_str().unwrap()));
}

/// One element of the JUnit document: its name, attributes and children.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: BTreeMap<String, String>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> &str {
        self.attributes
            .get(name)
            .unwrap_or_else(|| panic!("<{}> has no `{name}`: {:?}", self.name, self.attributes))
    }

    fn count(&self, name: &str) -> usize {
        self.children.iter().filter(|c| c.name == name).count()
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// Parses XML strictly (quick-xml checks that end tags match and unescapes entities).
fn parse_xml(xml: &str) -> Element {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack = vec![Element::default()];
    let element = |e: &quick_xml::events::BytesStart<'_>| Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attributes: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        ..Element::default()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(element(&e)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(t) => stack
                .last_mut()
                .unwrap()
                .text
                .push_str(&t.xml10_content().unwrap()),
            Event::GeneralRef(r) => {
                let text = &mut stack.last_mut().unwrap().text;
                if let Some(c) = r.resolve_char_ref().unwrap() {
                    text.push(c);
                } else {
                    let name = r.decode().unwrap();
                    text.push_str(match name.as_ref() {
                        "lt" => "<",
                        "gt" => ">",
                        "amp" => "&",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unexpected entity {other}"),
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut document = stack.pop().unwrap();
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.pop().unwrap()
}

#[test]
fn junit_parses_and_has_what_ci_viewers_read() {
    let (code, out) = check("junit", &["--lang", "en"]);
    assert_eq!(code, 2);
    let root = parse_xml(&out);
    assert_eq!(root.name, "testsuites");
    let suites: Vec<&Element> = root.children.iter().collect();
    assert_eq!(suites.len(), INPUTS.len(), "one testsuite per file");
    let total = |attr: &str| -> usize {
        suites
            .iter()
            .map(|s| s.attr(attr).parse::<usize>().unwrap())
            .sum()
    };
    for attr in ["tests", "failures", "errors", "skipped"] {
        assert_eq!(
            root.attr(attr).parse::<usize>().unwrap(),
            total(attr),
            "{attr}"
        );
    }
    let json = json_report();
    for (suite, file) in suites.iter().zip(INPUTS) {
        assert_eq!(suite.name, "testsuite");
        assert_eq!(suite.attr("name"), *file);
        suite.attr("time");
        let cases: Vec<&Element> = suite.children.iter().collect();
        assert_eq!(suite.attr("tests").parse::<usize>().unwrap(), cases.len());
        let failures = cases
            .iter()
            .filter(|c| c.child("failure").is_some())
            .count();
        let errors = cases.iter().filter(|c| c.child("error").is_some()).count();
        let skipped = cases
            .iter()
            .filter(|c| c.child("skipped").is_some())
            .count();
        assert_eq!(suite.attr("failures").parse::<usize>().unwrap(), failures);
        assert_eq!(suite.attr("errors").parse::<usize>().unwrap(), errors);
        assert_eq!(suite.attr("skipped").parse::<usize>().unwrap(), skipped);
        for case in &cases {
            assert_eq!(case.name, "testcase");
            assert_eq!(case.attr("classname"), *file);
            case.attr("name");
            case.attr("time");
        }
        // Every finding of the file at or above `--fail-on` (error) is in the failure (or
        // error) of its rule's testcase, with its line and column; one below it is in the
        // testcase's system-out, and does not fail it (the CI tab agrees with the exit code).
        for finding in json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["file"] == *file)
        {
            let rule = finding["rule"].as_str().unwrap();
            let case = cases
                .iter()
                .find(|c| c.attr("name").split(' ').next() == Some(rule))
                .unwrap_or_else(|| panic!("no testcase for {rule} in {file}"));
            let failing = finding["severity"] == "error" || suite.attr("errors") != "0";
            let failure = if failing {
                case.child("failure")
                    .or_else(|| case.child("error"))
                    .unwrap_or_else(|| panic!("{rule} in {file} did not fail"))
            } else {
                assert!(
                    case.child("failure").is_none_or(|_| json["findings"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|f| f["file"] == *file
                            && f["rule"] == rule
                            && f["severity"] == "error")),
                    "{rule} in {file} fails on a {} only",
                    finding["severity"]
                );
                case.child("system-out")
                    .unwrap_or_else(|| panic!("{rule} in {file}: no system-out"))
            };
            let at = match finding["line"].as_u64() {
                Some(line) => format!("{file}:{line}:{}", finding["column"]),
                None => (*file).to_owned(),
            };
            assert!(failure.text.contains(&at), "{at} not in {}", failure.text);
            assert!(
                failure
                    .text
                    .contains(finding["message"]["en"].as_str().unwrap()),
                "the message of {rule}, unescaped"
            );
        }
    }
    // The rules evaluated for a readable file are all there: passed, failed or skipped.
    let example = suites
        .iter()
        .find(|s| s.attr("name") == "fixtures/examples/puyuan-sweater-park.yaml")
        .unwrap();
    assert_eq!(example.attr("failures"), "0");
    assert!(example.count("testcase") > 20);
    let skipped = example
        .children
        .iter()
        .find_map(|c| c.child("skipped"))
        .expect("a rule that does not apply to an annual report");
    assert!(!skipped.attr("message").is_empty());
    // The file that does not parse is an error, not a failure.
    let broken = suites
        .iter()
        .find(|s| s.attr("name") == "fixtures/structural/syntax-error.yaml")
        .unwrap();
    assert_eq!(broken.attr("errors"), "1");
    assert_eq!(broken.attr("tests"), "1");
}

#[test]
fn github_annotations_one_line_each_escaped() {
    let (code, out) = check("github", &["--lang", "en"]);
    assert_eq!(code, 2);
    let json = json_report();
    let findings = json["findings"].as_array().unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings.len() + 1, "{out}");
    for (line, finding) in lines.iter().zip(findings) {
        let command = match finding["severity"].as_str().unwrap() {
            "info" => "notice",
            other => other,
        };
        let (head, message) = line
            .strip_prefix("::")
            .and_then(|l| l.split_once("::"))
            .unwrap_or_else(|| panic!("not a workflow command: {line}"));
        let (name, properties) = head.split_once(' ').unwrap();
        assert_eq!(name, command);
        let properties: BTreeMap<&str, &str> = properties
            .split(',')
            .map(|p| p.split_once('=').unwrap())
            .collect();
        assert_eq!(properties["file"], finding["file"].as_str().unwrap());
        if let Some(line) = finding["line"].as_u64() {
            assert_eq!(properties["line"], line.to_string());
            assert_eq!(properties["col"], finding["column"].to_string());
            assert_eq!(properties["endLine"], finding["end_line"].to_string());
            assert_eq!(properties["endColumn"], finding["end_column"].to_string());
        }
        let rule = finding["rule"].as_str().unwrap();
        assert!(properties["title"].starts_with(rule));
        assert!(!properties["title"].contains(':'), "colons are escaped");
        let en = finding["message"]["en"].as_str().unwrap();
        let escaped = en
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        assert!(message.starts_with(&escaped), "{message}");
    }
    let last = lines.last().unwrap();
    assert!(
        last.starts_with("::notice title=parkcheck::checked 6 file(s)"),
        "{last}"
    );
}

fn temp_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn several_formats_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let junit = dir.path().join("junit.xml");
    let sarif_arg = format!("sarif={}", sarif.display());
    let junit_arg = format!("junit={}", junit.display());
    let (code, stdout, stderr) = run(&[
        "check",
        "--format",
        "human",
        "--format",
        &sarif_arg,
        "--format",
        &junit_arg,
        "fixtures/rules/REC-007/fail.yaml",
        "fixtures/structural/wrong-enum.yaml",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("REC-007") && stdout.contains("checked 2 file(s)"));
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 2);
    let root = parse_xml(&std::fs::read_to_string(&junit).unwrap());
    assert_eq!(root.count("testsuite"), 2);
    assert_eq!(temp_entries(dir.path()), ["junit.xml", "out.sarif"]);

    // Only files: nothing on stdout. --output takes the format given without a file.
    let json = dir.path().join("report.json");
    let (code, stdout, _) = run(&[
        "check",
        "--format",
        "json",
        "--output",
        json.to_str().unwrap(),
        "--format",
        &sarif_arg,
        "fixtures/examples/",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.is_empty(), "{stdout}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["files"], 3);
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"], Value::Array(Vec::new()));

    // --output alone: the human report, without colour, in the file.
    let human = dir.path().join("report.txt");
    let (code, stdout, _) = run(&[
        "check",
        "--color",
        "auto",
        "--output",
        human.to_str().unwrap(),
        "fixtures/structural/wrong-enum.yaml",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    let text = std::fs::read_to_string(&human).unwrap();
    assert!(text.contains("FORM-001") && !text.contains('\u{1b}'));
    assert_eq!(
        temp_entries(dir.path()),
        ["junit.xml", "out.sarif", "report.json", "report.txt"]
    );
}

#[test]
fn format_usage_errors_exit_2() {
    for args in [
        vec!["--format", "json", "--format", "sarif"],
        vec!["--format", "xml"],
        vec!["--format", "sarif="],
        vec!["--format", "sarif=a.out", "--format", "junit=a.out"],
    ] {
        let mut all = vec!["check"];
        all.extend(args.iter());
        all.push("fixtures/examples/");
        let (code, stdout, stderr) = run(&all);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}");
        assert!(!stderr.is_empty(), "{args:?} says why");
    }
    assert!(!root().join("a.out").exists());
}

#[test]
fn a_report_that_cannot_be_written_is_exit_2_and_the_others_are_still_written() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/dir/out.sarif");
    let junit = dir.path().join("junit.xml");
    let (code, stdout, stderr) = run(&[
        "check",
        "--format",
        "json",
        "--format",
        &format!("sarif={}", missing.display()),
        "--format",
        &format!("junit={}", junit.display()),
        "fixtures/examples/",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot write the report"), "{stderr}");
    assert!(stderr.contains("out.sarif"), "{stderr}");
    assert!(serde_json::from_str::<Value>(&stdout).is_ok());
    assert!(junit.exists());
    assert_eq!(temp_entries(dir.path()), ["junit.xml"]);
}

/// Whether the process has installed a handler for SIGINT (Linux: bit 2 of `SigCgt`).
#[cfg(target_os = "linux")]
fn catches_sigint(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("SigCgt:"))
                .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        })
        .is_some_and(|mask| mask & (1 << (2 - 1)) != 0)
}

#[cfg(target_os = "linux")]
#[test]
fn sigint_exits_130_and_leaves_no_partial_report() {
    // A corpus that takes a debug build several seconds: the example park, 300 times.
    let corpus = tempfile::tempdir().unwrap();
    let example = std::fs::read(root().join("fixtures/examples/puyuan-sweater-park.yaml")).unwrap();
    for i in 0..300 {
        std::fs::write(corpus.path().join(format!("park-{i:03}.yaml")), &example).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let sarif = out.path().join("report.sarif");
    std::fs::write(&sarif, "the previous, complete report").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_parkcheck"))
        .current_dir(root())
        .args(["check", "--format"])
        .arg(format!("sarif={}", sarif.display()))
        .arg("--format")
        .arg(format!("junit={}", out.path().join("junit.xml").display()))
        .arg(corpus.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !catches_sigint(child.id()) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no SIGINT handler"
        );
        assert!(child.try_wait().unwrap().is_none(), "ended before SIGINT");
        std::thread::sleep(Duration::from_millis(10));
    }
    // Into the checking of the files.
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before it could be interrupted; make the corpus larger"
    );
    // The shell's own `kill`, which every machine with `sh` has.
    let killed = std::process::Command::new("sh")
        .args(["-c", "kill -INT \"$1\"", "sh", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    let elapsed = started.elapsed();
    assert_eq!(
        output.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
    assert_eq!(
        std::fs::read_to_string(&sarif).unwrap(),
        "the previous, complete report"
    );
    assert_eq!(
        temp_entries(out.path()),
        ["report.sarif"],
        "no partial file"
    );
    assert!(elapsed < Duration::from_secs(30));
}

/// A park with only a warning passes `check` at `--fail-on error`, and its testsuite has no
/// failure: the warning is in the testcase's system-out. At `--fail-on warning` it fails both.
#[test]
fn junit_failures_agree_with_the_exit_code() {
    let file = "fixtures/rules/FORM-016/fail.yaml";
    for (fail_on, code, failures) in [("error", 0, "0"), ("warning", 1, "1")] {
        let (got, out, _) = run(&["check", "--format", "junit", "--fail-on", fail_on, file]);
        assert_eq!(got, code, "--fail-on {fail_on}");
        let root = parse_xml(&out);
        let suite = root.child("testsuite").unwrap();
        assert_eq!(
            suite.attr("failures"),
            failures,
            "--fail-on {fail_on}:\n{out}"
        );
        let case = suite
            .children
            .iter()
            .find(|c| c.attr("name").starts_with("FORM-016"))
            .unwrap();
        if fail_on == "error" {
            assert!(case.child("failure").is_none());
            assert!(case.child("system-out").unwrap().text.contains(file));
        } else {
            assert!(case.child("failure").is_some());
        }
    }
}

/// `--format concise`: one `file:line:col: RULE severity message` line per counted finding,
/// in the JSON report's order, then the counts.
#[test]
fn concise_is_one_line_per_finding() {
    let (code, out) = check("concise", &["--lang", "en"]);
    assert_eq!(code, 2);
    let json = json_report();
    let counted: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("suppression").is_none())
        .collect();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), counted.len() + 1, "{out}");
    for (line, f) in lines.iter().zip(&counted) {
        let at = match f["line"].as_u64() {
            Some(l) => format!("{}:{l}:{}: ", f["file"].as_str().unwrap(), f["column"]),
            None => format!("{}: ", f["file"].as_str().unwrap()),
        };
        let want = format!(
            "{at}{} {} {}",
            f["rule"].as_str().unwrap(),
            f["severity"].as_str().unwrap(),
            f["message"]["en"].as_str().unwrap()
        );
        assert_eq!(*line, want);
    }
    assert!(
        lines.last().unwrap().starts_with("checked 6 file(s)"),
        "{out}"
    );
}

/// `--format markdown`: the verdict, a row per park, the findings of the failing parks; a park
/// name cannot add HTML, a link or a column.
#[test]
fn markdown_job_summary() {
    let (code, out) = check("markdown", &["--lang", "en"]);
    assert_eq!(code, 2);
    let json = json_report();
    let verdict = format!(
        "## ❌ parkcheck: {} of {} park(s) fail\n",
        json["summary"]["parks_failed"], json["summary"]["parks"]
    );
    assert!(out.starts_with(&verdict), "{out}");
    let rows = out.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(rows, json["files_detail"].as_array().unwrap().len());
    let failing: Vec<&str> = json["files_detail"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["result"] != "passed")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    let findings = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| failing.contains(&f["file"].as_str().unwrap()))
        .count();
    assert_eq!(
        out.lines().filter(|l| l.starts_with("- `")).count(),
        findings
    );
    // A hostile park name.
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(common::root().join("fixtures/rules/REC-007/fail.yaml")).unwrap();
    let name_line = text.lines().find(|l| l.starts_with("  name: ")).unwrap();
    let text = text.replacen(
        name_line,
        "  name: \"<img src=x onerror=alert(1)>|[x](http://e)\"",
        1,
    );
    let path = dir.path().join("hostile.yaml");
    std::fs::write(&path, text).unwrap();
    let (_, out, _) = run(&["check", "--format", "markdown", path.to_str().unwrap()]);
    assert!(!out.contains("<img") && !out.contains("](http"), "{out}");
    let row = out.lines().find(|l| l.starts_with("| `")).unwrap();
    assert_eq!(
        row.matches(" | ").count() + 2,
        9,
        "one cell per column: {row}"
    );
}
