//! `--format sarif`: SARIF 2.1.0, the format code-scanning services (GitHub, Azure DevOps, IDE
//! viewers) read. One run; `tool.driver.rules` describes every rule in force and every other id
//! that occurs; each finding is a result at its region, with its JSON pointer as a logical
//! location, the places in other files as related locations, and a waiver as a suppression.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, Location, LogicalLocation, Message, MultiformatMessageString,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor, Result,
    ResultLevel, Run, Sarif, Suppression as SarifSuppression, Tool, ToolComponent,
};

use super::catalogue::{RuleInfo, catalogue, fingerprint};
use crate::engine::Engine;
use crate::finding::FileReport;
use crate::finding::{Finding, Related, Severity, Suppression};
use crate::run::Summary;
use crate::text::{Lang, Text};

/// The schema a SARIF 2.1.0 log names.
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of our fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "parkcheck/v1";

/// Renders the run as a SARIF 2.1.0 log (pretty JSON). Messages are in `lang` (`Both`: the
/// Chinese line, then the English one).
#[must_use]
pub fn render(
    reports: &[FileReport],
    summary: &Summary,
    engine: Option<&Engine>,
    lang: Lang,
) -> String {
    let rules = catalogue(engine, reports);
    let index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let results: Vec<Result> = reports
        .iter()
        .flat_map(|report| report.findings.iter().map(move |f| (report, f)))
        .map(|(report, finding)| {
            result(
                report,
                finding,
                index.get(finding.rule.as_str()).copied(),
                lang,
            )
        })
        .collect();
    let mut driver = ToolComponent::builder().name("parkcheck").build();
    driver.full_name = Some(format!("parkcheck {}", env!("CARGO_PKG_VERSION")));
    driver.version = Some(env!("CARGO_PKG_VERSION").to_owned());
    driver.semantic_version = Some(env!("CARGO_PKG_VERSION").to_owned());
    driver.short_description = Some(text(
        Text::new(
            "小微企业园申报合规检查",
            "compliance checks for small and micro enterprise park submissions",
        )
        .render_inline(Lang::Both),
        None,
    ));
    driver.rules = Some(rules.iter().map(|r| descriptor(r, lang)).collect());
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .build();
    run.results = Some(results);
    // Our columns count characters (Unicode scalar values), as an editor shows them.
    run.column_kind = Some(json!("unicodeCodePoints"));
    run.properties = Some(bag(
        None,
        [(
            "summary",
            serde_json::to_value(summary).unwrap_or(Value::Null),
        )],
    ));
    let mut log = Sarif::builder()
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    log.schema = Some(SCHEMA_URI.to_owned());
    // Serialising plain structs of strings and numbers cannot fail.
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

fn descriptor(rule: &RuleInfo, lang: Lang) -> ReportingDescriptor {
    let title = rule.title.render_inline(lang);
    let help_text = rule.help.render(lang);
    let (full, help, properties) = match &rule.citation {
        Some(c) => {
            let document = c.document.render_inline(lang);
            let source = format!("{document} {}", c.clause);
            let confidence = format!("{} [{}]", c.confidence.as_str(), c.confidence.zh());
            let label = Text::new("依据", "Source").render_inline(lang);
            let full = format!("{title} ({source})");
            let help = text(
                format!("{help_text}\n\n{label}: {source} — {confidence}"),
                Some(format!(
                    "{}\n\n**{label}**: {} {}, {confidence}",
                    markdown_escape(&help_text),
                    markdown_escape(&document),
                    markdown_escape(&c.clause)
                )),
            );
            let properties = bag(
                Some(vec![
                    "compliance".to_owned(),
                    c.rulebook.clone(),
                    c.confidence.as_str().to_owned(),
                ]),
                [
                    ("confidence", json!(c.confidence.as_str())),
                    ("rulebook", json!(c.rulebook)),
                    ("document", json!(c.document)),
                    ("clause", json!(c.clause)),
                ],
            );
            (full, help, properties)
        }
        None => {
            let help = text(help_text.clone(), Some(markdown_escape(&help_text)));
            let properties = bag(Some(vec!["structure".to_owned()]), []);
            (title.clone(), help, properties)
        }
    };
    let mut descriptor = ReportingDescriptor::builder().id(rule.id.clone()).build();
    descriptor.short_description = Some(text(title, None));
    descriptor.full_description = Some(text(full, None));
    descriptor.help = Some(help);
    descriptor.help_uri.clone_from(&rule.url);
    descriptor.default_configuration = Some(ReportingConfiguration {
        level: Some(json!(level(rule.severity).to_string())),
        ..ReportingConfiguration::default()
    });
    descriptor.properties = Some(properties);
    descriptor
}

fn result(report: &FileReport, finding: &Finding, rule_index: Option<usize>, lang: Lang) -> Result {
    let source = &report.source;
    let cell = finding.span.and_then(|s| source.cell_at(s.start));
    let region = finding.span.map(|span| {
        let start = source.locate(span.start);
        let end = source.locate(span.end);
        Region {
            start_line: Some(number(start.line)),
            start_column: Some(number(start.column)),
            end_line: Some(number(end.line)),
            end_column: Some(number(end.column)),
            ..Region::default()
        }
    });
    let location = Location {
        physical_location: Some(PhysicalLocation {
            artifact_location: Some(artifact(source.name())),
            region,
            ..PhysicalLocation::default()
        }),
        logical_locations: {
            let mut logical: Vec<LogicalLocation> = finding
                .pointer
                .iter()
                .map(|p| LogicalLocation {
                    fully_qualified_name: Some(p.as_str().to_owned()),
                    kind: Some("member".to_owned()),
                    ..LogicalLocation::default()
                })
                .collect();
            // A workbook's cell: `入驻企业名录!C14`, as Excel names it.
            logical.extend(cell.iter().map(|c| LogicalLocation {
                fully_qualified_name: Some(c.to_string()),
                name: Some(c.a1()),
                kind: Some("cell".to_owned()),
                ..LogicalLocation::default()
            }));
            (!logical.is_empty()).then_some(logical)
        },
        ..Location::default()
    };
    let related: Vec<Location> = finding
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| related_location(i, r, lang))
        .collect();
    let (suppressions, baseline_state) = match &finding.suppression {
        Some(waiver @ Suppression::Waived { .. }) => (Some(vec![suppression(waiver)]), None),
        Some(Suppression::Baselined) => (None, Some(json!("unchanged"))),
        None => (None, None),
    };
    let mut message = finding.message.render(lang);
    if let Some(cell) = &cell {
        message = format!("{cell}: {message}");
    }
    if let Some(help) = &finding.help {
        message.push_str("\n\n");
        message.push_str(&help.render(lang));
    }
    let mut properties: Vec<(&str, Value)> = vec![("severity", json!(finding.severity))];
    if let Some(trace) = &finding.trace {
        properties.push(("trace", json!(trace)));
    }
    let mut result = Result::builder()
        .message(Message {
            text: Some(message),
            ..Message::default()
        })
        .build();
    result.rule_id = Some(finding.rule.clone());
    result.rule_index = rule_index.map(number);
    result.level = Some(level(finding.severity));
    result.locations = Some(vec![location]);
    result.related_locations = (!related.is_empty()).then_some(related);
    result.partial_fingerprints = Some(BTreeMap::from([(
        FINGERPRINT_KEY.to_owned(),
        fingerprint(report, finding),
    )]));
    result.suppressions = suppressions;
    result.baseline_state = baseline_state;
    result.properties = Some(bag(None, properties));
    result
}

fn related_location(index: usize, related: &Related, lang: Lang) -> Location {
    let region = related.line.map(|line| Region {
        start_line: Some(number(line)),
        start_column: related.column.map(number),
        ..Region::default()
    });
    Location {
        id: Some(number(index)),
        physical_location: Some(PhysicalLocation {
            artifact_location: Some(artifact(&related.file)),
            region,
            ..PhysicalLocation::default()
        }),
        logical_locations: related.pointer.as_ref().map(|p| {
            vec![LogicalLocation {
                fully_qualified_name: Some(p.as_str().to_owned()),
                kind: Some("member".to_owned()),
                ..LogicalLocation::default()
            }]
        }),
        message: Some(Message {
            text: Some(related.message.render(lang)),
            ..Message::default()
        }),
        ..Location::default()
    }
}

fn suppression(waiver: &Suppression) -> SarifSuppression {
    let Suppression::Waived {
        reason,
        approved_by,
        document,
        expires,
        waiver,
    } = waiver
    else {
        return SarifSuppression::builder().kind(json!("external")).build();
    };
    let mut justification = format!("{reason} (approved by {approved_by}");
    if let Some(document) = document {
        justification.push_str(&format!(", {document}"));
    }
    if let Some(expires) = expires {
        justification.push_str(&format!(", until {expires}"));
    }
    justification.push(')');
    let mut suppression = SarifSuppression::builder().kind(json!("external")).build();
    suppression.status = Some(json!("accepted"));
    suppression.justification = Some(justification);
    suppression.properties = Some(bag(
        None,
        [
            ("approvedBy", json!(approved_by)),
            ("document", json!(document)),
            ("expires", json!(expires)),
            ("waiver", json!(waiver)),
        ],
    ));
    suppression
}

const fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn number(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn text(text: String, markdown: Option<String>) -> MultiformatMessageString {
    let mut string = MultiformatMessageString::builder().text(text).build();
    string.markdown = markdown;
    string
}

fn bag<'a>(
    tags: Option<Vec<String>>,
    entries: impl IntoIterator<Item = (&'a str, Value)>,
) -> PropertyBag {
    PropertyBag {
        tags,
        additional_properties: entries
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    }
}

/// Characters that may not appear as they are in a URI reference (RFC 3986): controls, space,
/// `"#%<>?[\]^`{|}` and everything outside ASCII, which is written as its UTF-8 bytes.
const URI_ESCAPE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The artifact location of a file as the report names it: a relative path stays relative (to
/// the directory parkcheck ran in, the repository root in CI), an absolute one becomes a
/// `file://` URI; Windows separators become `/`.
fn artifact(name: &str) -> ArtifactLocation {
    let path = name.replace('\\', "/");
    let encoded = percent_encoding::utf8_percent_encode(&path, URI_ESCAPE).to_string();
    let uri = if path.starts_with('/') {
        format!("file://{encoded}")
    } else if is_drive_path(&path) {
        format!("file:///{encoded}")
    } else {
        // A relative path whose first segment has a colon would read as a scheme.
        encoded.replacen(':', "%3A", usize::from(first_segment_has_colon(&path)))
    };
    ArtifactLocation {
        uri: Some(uri),
        ..ArtifactLocation::default()
    }
}

/// `C:/…` (or `C:` alone): a Windows absolute path.
fn is_drive_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(1) == Some(&b':')
        && matches!(bytes.get(2), None | Some(b'/'))
}

fn first_segment_has_colon(path: &str) -> bool {
    path.split('/').next().is_some_and(|s| s.contains(':'))
}

/// Escapes the characters Markdown would take as formatting.
fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_and_odd_paths_are_uris() {
        assert_eq!(
            artifact("/tmp/a b.yaml").uri.unwrap(),
            "file:///tmp/a%20b.yaml"
        );
        assert_eq!(
            artifact(r"C:\parks\a.yaml").uri.unwrap(),
            "file:///C:/parks/a.yaml"
        );
        assert_eq!(artifact("<stdin>").uri.unwrap(), "%3Cstdin%3E");
        assert_eq!(artifact("a:b/c.yaml").uri.unwrap(), "a%3Ab/c.yaml");
    }
}
