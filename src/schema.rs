//! Structural validation of submissions against `schemas/submission.v1.schema.json`.
//!
//! Each schema error becomes a [`Finding`] under the catalogue id that the failing schema node
//! (or its nearest ancestor) names in its `x-rule` annotation, or under `SCHEMA`. The finding
//! points at the offending value, at the unknown key, or at the object that lacks a field.

use std::collections::BTreeMap;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value as Json;

use crate::document::{Document, NumberIssueKind, Pointer, Tree, Value};
use crate::finding::{Finding, Severity};
use crate::text::Text;

/// The submission schema, as shipped in the binary.
pub const SUBMISSION_SCHEMA: &str = include_str!("../schemas/submission.v1.schema.json");
/// The rulebook schema, as shipped in the binary.
pub const RULEBOOK_SCHEMA: &str = include_str!("../schemas/rulebook.schema.json");
/// The profile schema, as shipped in the binary.
pub const PROFILE_SCHEMA: &str = include_str!("../schemas/profile.schema.json");

/// The rule id of a structural finding in a submission that no catalogue rule claims.
pub const GENERIC_RULE: &str = "SCHEMA";

/// A compiled schema, and the id its findings carry when no `x-rule` claims them.
pub struct Schema {
    schema: Json,
    validator: jsonschema::Validator<Tree>,
    generic_rule: &'static str,
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema")
            .field("generic_rule", &self.generic_rule)
            .finish_non_exhaustive()
    }
}

/// The bundled schema failed to load: a build defect, reported rather than panicking.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the bundled submission schema is invalid: {0}")]
#[diagnostic(code(parkcheck::schema))]
pub struct SchemaError(String);

impl Schema {
    /// The bundled submission schema.
    ///
    /// # Errors
    /// When the bundled schema is not a valid 2020-12 schema (a build defect).
    pub fn bundled() -> Result<Self, SchemaError> {
        Self::compile(SUBMISSION_SCHEMA, GENERIC_RULE)
    }

    /// The bundled rulebook schema; its findings are reported under `RULEBOOK`.
    ///
    /// # Errors
    /// As [`Schema::bundled`].
    pub fn rulebook() -> Result<Self, SchemaError> {
        Self::compile(RULEBOOK_SCHEMA, "RULEBOOK")
    }

    /// The bundled profile schema; its findings are reported under `PROFILE`.
    ///
    /// # Errors
    /// As [`Schema::bundled`].
    pub fn profile() -> Result<Self, SchemaError> {
        Self::compile(PROFILE_SCHEMA, "PROFILE")
    }

    /// Compiles a schema (offline: no remote references are fetched).
    ///
    /// # Errors
    /// When `text` is not JSON or not a valid 2020-12 schema.
    pub fn compile(text: &str, generic_rule: &'static str) -> Result<Self, SchemaError> {
        let schema: Json = serde_json::from_str(text).map_err(|e| SchemaError(e.to_string()))?;
        let validator = jsonschema::options_for::<Tree>()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&schema)
            .map_err(|e| SchemaError(e.to_string()))?;
        Ok(Self {
            schema,
            validator,
            generic_rule,
        })
    }

    /// The schema as JSON.
    #[must_use]
    pub const fn json(&self) -> &Json {
        &self.schema
    }

    /// Validates a document and reports the loader's number issues.
    #[must_use]
    pub fn check(&self, doc: &Document) -> Vec<Finding> {
        let mut findings: Vec<Finding> = doc
            .number_issues
            .iter()
            .map(|i| number_finding(doc, i, self.generic_rule))
            .collect();
        // What a workbook reader noticed (a code stored as a number, an unknown header).
        findings.extend(doc.read_issues.iter().map(|i| {
            let severity = if i.error {
                Severity::Error
            } else {
                Severity::Warning
            };
            let finding = Finding::new(self.generic_rule, severity, i.message.clone());
            match &i.pointer {
                Some(pointer) => finding.at(pointer.clone(), Some(i.span)),
                None => finding.with_span(Some(i.span)),
            }
            .with_help(i.help.clone())
        }));
        // A full-width colon, space, bracket or comma in the structure (`staff：18`): the value
        // or key it is in is reported once, at that character, and not again for its echoes
        // (the text where a mapping was meant, the unknown key 「　name」).
        let punctuation = crate::document::punctuation::issues(doc);
        findings.extend(punctuation.iter().map(|i| {
            Finding::new(
                self.generic_rule,
                Severity::Error,
                crate::document::punctuation_message(i.found, i.ascii),
            )
            .at(i.pointer.clone(), Some(i.span))
            .with_help(Some(crate::document::punctuation_help()))
        }));
        let echo = |pointer: &Pointer| {
            punctuation
                .iter()
                .any(|i| i.pointer == *pointer || i.echoes.contains(pointer))
        };
        let mut explained = Vec::new();
        for error in self.validator.iter_errors(&doc.root) {
            let pointer = Pointer::parse(&error.instance_path().to_string()).unwrap_or_default();
            // A value the loader already reported is not reported twice.
            if doc.number_issues.iter().any(|i| i.pointer == pointer)
                || doc
                    .read_issues
                    .iter()
                    .any(|i| i.error && i.pointer.as_ref() == Some(&pointer))
                || echo(&pointer)
            {
                continue;
            }
            // An unknown key 「　name」 is the full-width space already reported.
            let mut kind = error.kind();
            let without_spaces;
            if let ValidationErrorKind::AdditionalProperties { unexpected } = kind {
                if !punctuation.is_empty() && unexpected.iter().any(|k| k.starts_with('\u{3000}')) {
                    let unexpected: Vec<String> = unexpected
                        .iter()
                        .filter(|k| !k.starts_with('\u{3000}'))
                        .cloned()
                        .collect();
                    if unexpected.is_empty() {
                        continue;
                    }
                    without_spaces = ValidationErrorKind::AdditionalProperties { unexpected };
                    kind = &without_spaces;
                }
            }
            let path = self.schema_chain(&error.evaluation_path().to_string());
            explained.extend(explain(
                doc,
                &pointer,
                kind,
                &path,
                self.generic_rule,
                self.json(),
            ));
        }
        findings.extend(say_each_thing_once(explained));
        findings
    }

    /// The schema nodes along an evaluation path, following `$ref`s; the last is the keyword's value.
    fn schema_chain<'a>(&'a self, path: &str) -> Vec<Step<'a>> {
        let mut chain = vec![Step {
            node: &self.schema,
            via_ref: false,
        }];
        let Some(pointer) = Pointer::parse(path) else {
            return chain;
        };
        let mut current = &self.schema;
        for token in pointer.tokens() {
            let via_ref = token == "$ref";
            let next = if via_ref {
                current
                    .get("$ref")
                    .and_then(Json::as_str)
                    .and_then(|r| r.strip_prefix('#'))
                    .and_then(|p| self.schema.pointer(p))
            } else {
                match current {
                    Json::Object(map) => map.get(token.as_ref()),
                    Json::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                    _ => None,
                }
            };
            let Some(next) = next else { break };
            chain.push(Step {
                node: next,
                via_ref,
            });
            current = next;
        }
        chain
    }
}

/// One schema node on the way to a failing keyword.
#[derive(Clone, Copy)]
struct Step<'a> {
    node: &'a Json,
    /// Reached by following a `$ref` (a shared definition, whose own title is generic).
    via_ref: bool,
}

/// The schema node that holds the failing keyword and its ancestors, deepest first.
fn holders<'a>(chain: &'a [Step<'a>]) -> impl Iterator<Item = &'a Json> {
    let n = chain.len().saturating_sub(1);
    chain.iter().take(n).rev().map(|s| s.node)
}

fn rule_of(chain: &[Step<'_>], generic: &str) -> String {
    holders(chain)
        .find_map(|node| node.get("x-rule").and_then(Json::as_str))
        .unwrap_or(generic)
        .to_owned()
}

/// A documentation keyword (`title`, `description`) of the field that failed: the property's
/// own, in preference to the generic one of a shared definition it refers to.
fn doc_of<'a>(chain: &'a [Step<'a>], keyword: &str) -> Option<&'a str> {
    let n = chain.len().saturating_sub(1);
    let holder = chain.get(..n)?;
    let mut index = holder.len().checked_sub(1)?;
    // Climb from a shared definition back to the property that referred to it.
    while holder.get(index).is_some_and(|s| s.via_ref) && index > 0 {
        let referrer = holder.get(index - 1)?;
        if referrer.node.get(keyword).is_none() {
            break;
        }
        index -= 1;
    }
    // The items of a list (`facilities[2]`) are documented by the list's own schema.
    let node = holder.get(index)?.node;
    if node.get(keyword).is_none() && index > 0 {
        let list = holder.get(index - 1)?.node;
        if list
            .get("items")
            .is_some_and(|items| std::ptr::eq(items, node))
        {
            return list.get(keyword)?.as_str();
        }
    }
    node.get(keyword)?.as_str()
}

/// The title of the property `name` of the object schema that holds the failing keyword.
fn property_title<'a>(chain: &'a [Step<'a>], name: &str) -> Option<&'a str> {
    holders(chain).find_map(|n| n.get("properties")?.get(name)?.get("title")?.as_str())
}

/// Splits a bilingual schema text `中文 / English` into its two halves: at the first ` / `
/// that an ASCII letter follows (the Chinese half may itself list values with ` / `).
fn split_bilingual(text: &str) -> Text {
    let cut = text.match_indices(" / ").map(|(i, _)| i).find(|&i| {
        text.get(i + 3..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_alphabetic())
    });
    match cut.and_then(|i| Some((text.get(..i)?, text.get(i + 3..)?))) {
        Some((zh, en)) => Text::new(zh.trim(), en.trim()),
        None => Text::new(text, text),
    }
}

/// A field named for people: `园区状况（park.status）` / `park.status`; an item of a list by
/// its place counted from 1, as a person counts (`公共配套设施第 1 项（facilities[0]）`).
fn field_name(pointer: &Pointer, title: Option<&str>) -> Text {
    if pointer.as_str().is_empty() {
        return Text::new("申报文档", "the submission");
    }
    let dotted = pointer.dotted();
    if let Some((list, last)) = pointer.split_last() {
        if let (Ok(index), false) = (last.parse::<usize>(), list.as_str().is_empty()) {
            let n = index + 1;
            let list_dotted = list.dotted();
            return match title {
                Some(title) => Text::new(
                    format!("{title}第 {n} 项（{dotted}）"),
                    format!("item {n} of `{list_dotted}` ({title})"),
                ),
                None => Text::new(
                    format!("「{list_dotted}」第 {n} 项（{dotted}）"),
                    format!("item {n} of `{list_dotted}`"),
                ),
            };
        }
    }
    match title {
        Some(title) => Text::new(
            format!("{title}（{dotted}）"),
            format!("`{dotted}` ({title})"),
        ),
        None => Text::new(format!("「{dotted}」"), format!("`{dotted}`")),
    }
}

/// A field of a tenant named as the form names its rows, `名录第 4 家企业「…」的…`, before the
/// field's own name; other fields as they are.
fn of_tenant(doc: &Document, pointer: &Pointer, field: Text) -> Text {
    let mut tokens = pointer.tokens();
    if tokens.next().as_deref() != Some("tenants") {
        return field;
    }
    let Some(index) = tokens.next().and_then(|t| t.parse::<usize>().ok()) else {
        return field;
    };
    let name = doc
        .get(
            &Pointer::root()
                .join("tenants")
                .join(&index.to_string())
                .join("name"),
        )
        .and_then(|n| match &n.value {
            Value::Str(s) => Some(crate::text::clip(s)),
            _ => None,
        });
    let n = index + 1;
    let rest: Vec<String> = tokens.map(std::borrow::Cow::into_owned).collect();
    if rest.is_empty() {
        // The row itself.
        return match name {
            Some(name) => Text::new(
                format!("名录第 {n} 家企业「{name}」"),
                format!("tenant {n} of the list ({name})"),
            ),
            None => Text::new(
                format!("名录第 {n} 家企业"),
                format!("tenant {n} of the list"),
            ),
        };
    }
    // The field by its key inside the row (`contact.mobile`), not by a path that counts the
    // rows from 0.
    let inner = rest.iter().fold(Pointer::root(), |p, t| p.join(t)).dotted();
    let field = match field.zh.split_once('（') {
        Some((title, _)) if !title.starts_with('「') => Text::new(
            format!("{title}（{inner}）"),
            format!("`{inner}` ({title})"),
        ),
        _ => Text::new(format!("「{inner}」"), format!("`{inner}`")),
    };
    match name {
        Some(name) => Text::new(
            format!("名录第 {n} 家企业「{name}」的{}", field.zh),
            format!("{} of tenant {n} of the list ({name})", field.en),
        ),
        None => Text::new(
            format!("名录第 {n} 家企业的{}", field.zh),
            format!("{} of tenant {n} of the list", field.en),
        ),
    }
}

/// The schema of the value at an instance `pointer`, walking `properties` and `items` from the
/// root and following local `$ref`s.
fn schema_at<'a>(root: &'a Json, pointer: &Pointer) -> Option<&'a Json> {
    let resolve = |mut node: &'a Json| {
        for _ in 0..8 {
            match node.get("$ref").and_then(Json::as_str) {
                Some(r) => node = root.pointer(r.strip_prefix('#')?)?,
                None => break,
            }
        }
        Some(node)
    };
    pointer.tokens().try_fold(resolve(root)?, |node, token| {
        let next = if token.parse::<usize>().is_ok() {
            node.get("items")?
        } else {
            node.get("properties")?.get(token.as_ref())?
        };
        resolve(next)
    })
}

/// A field inside an item of a list other than the tenants (`attachments/2/kind`), named by the
/// item's place counted from 1: `附件第 3 项的附件类型（kind）`. Others as they are.
fn in_list(root: &Json, pointer: &Pointer, field: Text) -> Text {
    let tokens: Vec<String> = pointer.tokens().map(std::borrow::Cow::into_owned).collect();
    let Some(at) = tokens.iter().rposition(|t| t.parse::<usize>().is_ok()) else {
        return field;
    };
    if at + 1 == tokens.len() || tokens.first().map(String::as_str) == Some("tenants") {
        return field;
    }
    let (list, rest) = tokens.split_at(at);
    let Some((index, rest)) = rest.split_first() else {
        return field;
    };
    let n = index.parse::<usize>().unwrap_or(0) + 1;
    let list_pointer = list.iter().fold(Pointer::root(), |p, t| p.join(t));
    let inner = rest.iter().fold(Pointer::root(), |p, t| p.join(t)).dotted();
    let list_title = schema_at(root, &list_pointer)
        .and_then(|s| s.get("title"))
        .and_then(Json::as_str);
    let title = schema_at(root, pointer)
        .and_then(|s| s.get("title"))
        .and_then(Json::as_str);
    let list_zh =
        list_title.map_or_else(|| format!("「{}」", list_pointer.dotted()), str::to_owned);
    let list_en = list_title.map_or_else(
        || format!("`{}`", list_pointer.dotted()),
        |t| format!("`{}` ({t})", list_pointer.dotted()),
    );
    match title {
        Some(title) => Text::new(
            format!("{list_zh}第 {n} 项的{title}（{inner}）"),
            format!("`{inner}` ({title}) of item {n} of {list_en}"),
        ),
        None => Text::new(
            format!("{list_zh}第 {n} 项的「{inner}」"),
            format!("`{inner}` of item {n} of {list_en}"),
        ),
    }
}

/// A JSON Schema type in English words, with its article: `a number`, `true or false`.
fn type_en(name: &str) -> &'static str {
    match name {
        "null" => "empty (null)",
        "boolean" => "true or false",
        "integer" => "a whole number",
        "number" => "a number",
        "string" => "a text",
        "array" => "a list",
        "object" => "a mapping of fields",
        _ => "a value of another type",
    }
}

/// The number an operator meant when a number field holds text such as `215亩`, `6,800`,
/// `１２０` or ` 36 `: digits (full-width ones too), one decimal point and a sign, written with
/// a unit, thousands separators or spaces around them; `None` when the text is not that.
fn meant_number(text: &str) -> Option<String> {
    let mut number = String::new();
    let mut rest = String::new();
    for c in text.trim().chars() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            c => c,
        };
        if c.is_ascii_digit()
            || (c == '.' && !number.contains('.'))
            || (c == '-' && number.is_empty())
        {
            if !rest.is_empty() {
                return None;
            }
            number.push(c);
        } else if matches!(c, ',' | '，' | '_' | ' ' | '\u{3000}')
            && !number.is_empty()
            && rest.is_empty()
        {
            // A thousands separator or a space inside the number.
        } else if !number.is_empty() {
            rest.push(c);
        } else {
            return None;
        }
    }
    let rest = rest.trim();
    let unit_like =
        rest.is_empty() || rest.chars().count() <= 6 && !rest.chars().any(|c| c.is_ascii_digit());
    (number.chars().any(|c| c.is_ascii_digit()) && unit_like && number.parse::<f64>().is_ok())
        .then_some(number)
}

/// The `YYYY-MM-DD` an operator meant by `2025/12/31`, `2025.12.31`, `2025年12月31日` or
/// `2025-1-5`; `None` when the text is not a date written another way.
fn meant_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text
        .trim()
        .trim_end_matches('日')
        .split(['/', '.', '-', '年', '月'])
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let (y, m, d) = (
        y.parse::<u16>().ok()?,
        m.parse::<u8>().ok()?,
        d.parse::<u8>().ok()?,
    );
    let date = format!("{y:04}-{m:02}-{d:02}");
    (y >= 1900 && crate::domain::dates::parse_date(&date).is_ok() && date != text).then_some(date)
}

fn type_zh(name: &str) -> &'static str {
    match name {
        "null" => "空值",
        "boolean" => "布尔值（true/false）",
        "integer" => "整数",
        "number" => "数字",
        "string" => "文字",
        "array" => "列表",
        "object" => "映射（字段集合）",
        _ => "未知类型",
    }
}

/// Shows a JSON value compactly, strings without quotes.
fn show(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn show_list(values: &Json) -> String {
    match values {
        Json::Array(items) => items.iter().map(show).collect::<Vec<_>>().join("、"),
        other => show(other),
    }
}

fn explain(
    doc: &Document,
    pointer: &Pointer,
    kind: &ValidationErrorKind,
    chain: &[Step<'_>],
    generic: &str,
    root: &Json,
) -> Vec<(Cause, Finding)> {
    let rule = rule_of(chain, generic);
    let field = of_tenant(
        doc,
        pointer,
        in_list(root, pointer, field_name(pointer, doc_of(chain, "title"))),
    );
    let node = doc.get(pointer);
    let found = node.map_or_else(String::new, |n| {
        let raw = doc.source.slice(n.span);
        match &n.value {
            Value::Map(_) | Value::Seq(_) => n.value.type_name().to_owned(),
            _ => crate::text::clip(raw.trim_matches(['"', '\''])),
        }
    });
    let is_null = node.is_none_or(|n| matches!(n.value, Value::Null));
    let expected = doc_of(chain, "description").map(|d| {
        let d = split_bilingual(d);
        Text::new(format!("要求：{}", d.zh), format!("expected: {}", d.en))
    });
    let value_finding = |message: Text| {
        Finding::new(rule.clone(), Severity::Error, message)
            .at(pointer.clone(), doc.label_span(pointer))
            .with_help(expected.clone())
    };
    use ValidationErrorKind as K;
    let cause = match kind {
        K::Type { .. } => Cause::Type,
        K::Required { property } => {
            let property = show(property);
            let title = property_title(chain, &property);
            Cause::Missing {
                named: Text::new(
                    title.map_or_else(|| property.clone(), |t| format!("{t}（{property}）")),
                    title.map_or_else(
                        || format!("`{property}`"),
                        |t| format!("`{property}` ({t})"),
                    ),
                ),
                here: of_tenant(doc, pointer, field_name(pointer, None)),
                property,
            }
        }
        _ => Cause::Other,
    };
    let finding = match kind {
        K::Required { property } => {
            let property = show(property);
            let title = property_title(chain, &property);
            let named = title.map_or_else(|| property.clone(), |t| format!("{t}（{property}）"));
            let here = of_tenant(doc, pointer, field_name(pointer, None));
            Finding::new(
                rule,
                Severity::Error,
                Text::new(
                    format!("{}缺少必填字段 {named}", here.zh),
                    format!("{} lacks the required field `{property}`", here.en),
                ),
            )
            .at(pointer.clone(), doc.label_span(pointer))
            .with_label(Text::new(
                format!("缺少 {property}"),
                format!("`{property}` missing"),
            ))
            .with_help(missing_help(chain, &property))
        }
        K::AdditionalProperties { unexpected } => {
            let allowed: Vec<&str> = holders(chain)
                .find_map(|n| n.get("properties")?.as_object())
                .map(|m| m.keys().map(String::as_str).collect())
                .unwrap_or_default();
            return unexpected
                .iter()
                .map(|key| {
                    let meant = did_you_mean(key, &allowed).map(str::to_owned);
                    let finding =
                        unknown_field(doc, pointer, key, meant.as_deref(), &allowed, &rule);
                    (Cause::Unknown(meant), finding)
                })
                .collect();
        }
        K::Enum { options } => {
            let mut finding = value_finding(Text::new(
                format!(
                    "{}的取值「{found}」不在允许范围内；可选：{}",
                    field.zh,
                    show_list(options)
                ),
                format!(
                    "{} has the value `{found}`, which is not allowed; allowed: {}",
                    field.en,
                    show_list(options)
                ),
            ));
            if let Some(Value::Str(value)) = node.map(|n| &n.value) {
                let labels: Vec<&str> = options
                    .as_array()
                    .map(|a| a.iter().filter_map(Json::as_str).collect())
                    .unwrap_or_default();
                let mut up = holders(chain);
                let here = up.next();
                let aliases = here.and_then(|n| n.get("x-aliases"));
                // An item of a multiple choice (`facilities[2]`) the form has no option for is
                // listed under 其他, where the form has one. (For a single choice, 其他 could
                // hide a value that means one of the options.)
                let multiple = up
                    .next()
                    .and_then(|list| list.get("items"))
                    .is_some_and(|items| here.is_some_and(|h| std::ptr::eq(items, h)));
                let mut meant = enum_suggestions(value, &labels, aliases);
                if meant.is_empty() && multiple && labels.contains(&"其他") {
                    meant.push("其他".to_owned());
                }
                // With a suggestion, the note of the form the labels come from is enough (the
                // message lists them); without one, the field's description says what is asked.
                let note = holders(chain)
                    .find_map(|n| n.get("x-form-note"))
                    .and_then(Json::as_u64);
                if let Some(suggestion) = suggestion_help(value, &meant, note.is_some()) {
                    finding.help = Some(match (note, &expected) {
                        (Some(n), _) => Text::new(
                            format!(
                                "{}（标签见登记表填表说明第 {n} 项；可靠转载）。",
                                suggestion.zh.trim_end_matches('。')
                            ),
                            format!(
                                "{} (the labels of note {n} of the form's instructions; confidence: secondary).",
                                suggestion.en.trim_end_matches('.')
                            ),
                        ),
                        (None, Some(e)) => Text::new(
                            format!("{}{}", suggestion.zh, e.zh),
                            format!("{} {}", suggestion.en, e.en),
                        ),
                        (None, None) => suggestion,
                    });
                }
            }
            finding
        }
        K::Constant { expected_value } => value_finding(Text::new(
            format!(
                "{}应为 {}，实际为「{found}」",
                field.zh,
                show(expected_value)
            ),
            format!(
                "{} must be {}, found `{found}`",
                field.en,
                show(expected_value)
            ),
        )),
        K::Type { kind } => {
            let expected: Vec<String> = match kind {
                TypeKind::Single(t) => vec![t.to_string()],
                TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
            };
            let actual = node.map_or("null", |n| n.value.type_name());
            let zh: Vec<&str> = expected.iter().map(|t| type_zh(t)).collect();
            let en: Vec<&str> = expected.iter().map(|t| type_en(t)).collect();
            let container = matches!(actual, "array" | "object");
            let message = if container {
                Text::new(
                    format!(
                        "{}应为{}，实际为{}",
                        field.zh,
                        zh.join("或"),
                        type_zh(actual)
                    ),
                    format!(
                        "{} should be {}, but is {}",
                        field.en,
                        en.join(" or "),
                        type_en(actual)
                    ),
                )
            } else if is_null {
                Text::new(
                    format!("{}未填写（为空），应为{}", field.zh, zh.join("或")),
                    format!("{} is empty; it should be {}", field.en, en.join(" or ")),
                )
            } else {
                Text::new(
                    format!(
                        "{}应为{}，实际为{}「{found}」",
                        field.zh,
                        zh.join("或"),
                        type_zh(actual)
                    ),
                    format!(
                        "{} should be {}, but is {} `{found}`",
                        field.en,
                        en.join(" or "),
                        type_en(actual)
                    ),
                )
            };
            let mut finding = value_finding(message);
            if pointer.as_str().is_empty() {
                finding.help = Some(Text::new(
                    "一个申报文件是一个园区的一份申报：以 format: parkcheck/v1、kind、as_of 开头，下设 park、land、buildings、operator、tenants 等部分的映射；示例见 fixtures/examples/，或用 `parkcheck template` 生成登记表工作簿",
                    "a submission is one park's filing: a mapping that starts with format: parkcheck/v1, kind and as_of and holds park, land, buildings, operator, tenants and the other sections; see fixtures/examples/, or make the registration workbook with `parkcheck template`",
                ));
            }
            let numeric = expected.iter().any(|t| t == "number" || t == "integer");
            if let (true, Some(Value::Str(text))) = (numeric, node.map(|n| &n.value)) {
                if let Some(number) = meant_number(text) {
                    finding.help = Some(Text::new(
                        format!(
                            "只填数字，不带单位、千位分隔符或空格（单位见字段名与说明）：{number}"
                        ),
                        format!(
                            "write the number alone, without a unit, thousands separators or spaces (the unit is in the field's name and description): {number}"
                        ),
                    ));
                }
            }
            if expected.iter().any(|t| t == "string")
                && matches!(actual, "integer" | "number" | "boolean" | "null")
            {
                finding.help = Some(Text::new(
                    format!(
                        "YAML 把未加引号的 {found} 读作{}；请加引号写成 \"{found}\"",
                        type_zh(actual)
                    ),
                    format!(
                        "YAML reads the unquoted {found} as a {}; quote it: \"{found}\"",
                        if actual == "integer" {
                            "number"
                        } else {
                            actual
                        }
                    ),
                ));
            }
            finding
        }
        K::Pattern { .. } => {
            let mut finding = value_finding(Text::new(
                format!("{}的格式不正确：「{found}」", field.zh),
                format!("{} is not in the expected form: `{found}`", field.en),
            ));
            if let Some(date) = node
                .and_then(|n| match &n.value {
                    Value::Str(s) => meant_date(s),
                    _ => None,
                })
                .filter(|_| doc_of(chain, "description").is_some_and(|d| d.contains("YYYY-MM-DD")))
            {
                finding.help = Some(date_help(&date));
            }
            finding
        }
        K::Format { format } => {
            let what = match format.as_str() {
                "date" => "日期（YYYY-MM-DD）",
                "json-pointer" => "JSON 指针（以 / 开头，如 /tenants/3）",
                other => other,
            };
            let mut finding = value_finding(Text::new(
                format!("{}「{found}」不是有效的{what}", field.zh),
                format!("{} `{found}` is not a valid {format}", field.en),
            ));
            if let Some(date) = node.and_then(|n| match &n.value {
                Value::Str(s) if format == "date" => meant_date(s),
                _ => None,
            }) {
                finding.help = Some(date_help(&date));
            }
            finding
        }
        K::Minimum { limit } | K::ExclusiveMinimum { limit } => {
            let op = if matches!(kind, K::Minimum { .. }) {
                "≥"
            } else {
                ">"
            };
            value_finding(Text::new(
                format!("{}应 {op} {limit}，实际为 {found}", field.zh),
                format!("{} must be {op} {limit}, found {found}", field.en),
            ))
        }
        K::Maximum { limit } | K::ExclusiveMaximum { limit } => {
            let op = if matches!(kind, K::Maximum { .. }) {
                "≤"
            } else {
                "<"
            };
            value_finding(Text::new(
                format!("{}应 {op} {limit}，实际为 {found}", field.zh),
                format!("{} must be {op} {limit}, found {found}", field.en),
            ))
        }
        K::MinItems { limit } => value_finding(Text::new(
            format!("{}至少需要 {limit} 项", field.zh),
            format!("{} needs at least {limit} item(s)", field.en),
        )),
        K::MaxItems { limit } => value_finding(Text::new(
            format!("{}最多 {limit} 项", field.zh),
            format!("{} allows at most {limit} item(s)", field.en),
        )),
        K::MinLength { limit } => value_finding(Text::new(
            format!("{}至少 {limit} 个字符", field.zh),
            format!("{} needs at least {limit} character(s)", field.en),
        )),
        K::MaxLength { limit } => value_finding(Text::new(
            format!("{}最多 {limit} 个字符", field.zh),
            format!("{} allows at most {limit} character(s)", field.en),
        )),
        K::UniqueItems => value_finding(Text::new(
            format!("{}中有重复项", field.zh),
            format!("{} holds duplicate items", field.en),
        )),
        // `not: {required: [p]}` forbids a field: point at that field, not at its object.
        K::Not { schema }
            if forbidden_field(schema).is_some_and(|p| doc.get(&pointer.join(p)).is_some()) =>
        {
            let property = forbidden_field(schema).unwrap_or_default();
            let at = pointer.join(property);
            let named = of_tenant(doc, &at, field_name(&at, property_title(chain, property)));
            Finding::new(
                rule,
                Severity::Error,
                Text::new(
                    format!("{}在此情形下不应填写", named.zh),
                    format!("{} must not be given here", named.en),
                ),
            )
            .at(at.clone(), doc.label_span(&at))
        }
        K::Not { .. } | K::FalseSchema => value_finding(Text::new(
            format!("{}不符合填写条件（此处不应出现）", field.zh),
            format!("{} is not allowed here", field.en),
        )),
        other => value_finding(Text::new(
            format!("{}不符合格式要求", field.zh),
            format!("{} does not match the schema ({other:?})", field.en),
        )),
    };
    let finding = match message_override(chain) {
        Some(message) => Finding { message, ..finding },
        None => finding,
    };
    vec![(cause, finding)]
}

/// The help for a date written another way than `YYYY-MM-DD`.
fn date_help(date: &str) -> Text {
    Text::new(
        format!("日期写作 YYYY-MM-DD（年-月-日，用半角连字符）：{date}"),
        format!("write dates as YYYY-MM-DD (year-month-day, with hyphens): {date}"),
    )
}

/// What a missing field asks for, from its schema: description, type or format, an example.
fn missing_help(chain: &[Step<'_>], property: &str) -> Option<Text> {
    let schema = holders(chain).find_map(|n| n.get("properties")?.get(property))?;
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if let Some(d) = schema.get("description").and_then(Json::as_str) {
        let d = split_bilingual(d);
        zh.push(format!("要求：{}", d.zh));
        en.push(format!("expected: {}", d.en));
    }
    let typed = schema.get("type").and_then(Json::as_str);
    match (schema.get("format").and_then(Json::as_str), typed) {
        (Some("date"), _) => {
            zh.push("格式 YYYY-MM-DD".to_owned());
            en.push("written YYYY-MM-DD".to_owned());
        }
        (_, Some(t)) if t != "object" => {
            zh.push(format!("类型：{}", type_zh(t)));
            en.push(format!("type: {}", type_en(t)));
        }
        _ => {}
    }
    let example = schema
        .get("examples")
        .and_then(|e| e.get(0))
        .or_else(|| schema.get("enum").and_then(|e| e.get(0)));
    if let Some(example) = example.filter(|e| !e.is_object() && !e.is_array()) {
        zh.push(format!("示例：{property}: {}", show(example)));
        en.push(format!("example: {property}: {}", show(example)));
    }
    (!zh.is_empty()).then(|| Text::new(zh.join("；"), en.join("; ")))
}

/// The one property a `{required: [p]}` schema names.
fn forbidden_field(schema: &Json) -> Option<&str> {
    match schema.get("required")?.as_array()?.as_slice() {
        [only] => only.as_str(),
        _ => None,
    }
}

/// The allowed labels a value that is not one of them probably meant, best first:
/// 1. the labels the schema's `x-aliases` gives for it (a label of an earlier version of the
///    schema, or a common name of the item: `职工食堂` → `食堂餐饮`);
/// 2. else the labels that contain the value or that it contains (`食堂` → `食堂餐饮`,
///    `政务代办` → `政务代办服务`), `其他` aside;
/// 3. else the one label close to it as a typo (Jaro–Winkler, as for field names).
#[must_use]
pub fn enum_suggestions(value: &str, labels: &[&str], aliases: Option<&Json>) -> Vec<String> {
    let listed = |name: &&str| labels.contains(name);
    if let Some(Json::Array(targets)) = aliases.and_then(|a| a.get(value)) {
        let targets: Vec<String> = targets
            .iter()
            .filter_map(Json::as_str)
            .filter(listed)
            .map(str::to_owned)
            .collect();
        if !targets.is_empty() {
            return targets;
        }
    }
    let value = value.trim();
    if value.chars().count() >= 2 {
        let overlapping: Vec<String> = labels
            .iter()
            .filter(|l| **l != "其他" && (l.contains(value) || value.contains(**l)))
            .map(|l| (*l).to_owned())
            .collect();
        if !overlapping.is_empty() {
            return overlapping;
        }
    }
    did_you_mean(value, labels)
        .map(str::to_owned)
        .into_iter()
        .collect()
}

/// The help that names the labels a value probably meant (see [`enum_suggestions`]).
fn suggestion_help(value: &str, meant: &[String], form: bool) -> Option<Text> {
    if !form {
        return match meant {
            [] => None,
            [one] => Some(Text::new(
                format!("是否想写「{one}」？请按可选项逐字填写。"),
                format!(
                    "Did you mean `{one}`? Write one of the allowed values character for character."
                ),
            )),
            _ => Some(Text::new(
                format!(
                    "与「{value}」相应的可选项：{}。",
                    meant
                        .iter()
                        .map(|m| format!("「{m}」"))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                format!(
                    "The allowed values for `{value}`: {}.",
                    meant
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        };
    }
    let quoted = |open: &str, close: &str, sep: &str| {
        meant
            .iter()
            .map(|m| format!("{open}{m}{close}"))
            .collect::<Vec<_>>()
            .join(sep)
    };
    match meant {
        [] => None,
        [other] if other == "其他" => Some(Text::new(
            format!("登记表选项中没有「{value}」；若确无相应选项，请填「其他」。"),
            format!(
                "`{value}` is not among the form's options; if none of them fits, write `其他` (other)."
            ),
        )),
        [one] => Some(Text::new(
            format!("是否想写「{one}」？请照登记表的标签逐字填写。"),
            format!("Did you mean `{one}`? Write the form's label character for character."),
        )),
        _ => Some(Text::new(
            format!(
                "登记表中与「{value}」相应的选项：{}。",
                quoted("「", "」", "、")
            ),
            format!(
                "The form's options for `{value}`: {}.",
                quoted("`", "`", ", ")
            ),
        )),
    }
}

/// What a schema error was about, for telling one problem from its echoes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cause {
    /// The value has the wrong type.
    Type,
    /// The object (`here`, as a person names it) lacks this property (`named` with its title).
    Missing {
        property: String,
        named: Text,
        here: Text,
    },
    /// An unknown key, and the allowed name it probably meant.
    Unknown(Option<String>),
    Other,
}

/// Drops the echoes of a problem already reported:
/// - a value of the wrong type also fails its enum or pattern: only the type is reported;
/// - a misspelt required field (`staf` for `staff`) is also a missing field: the unknown-field
///   finding, with its suggestion, says both.
fn say_each_thing_once(explained: Vec<(Cause, Finding)>) -> Vec<Finding> {
    let mistyped: Vec<&Pointer> = explained
        .iter()
        .filter(|(c, _)| *c == Cause::Type)
        .filter_map(|(_, f)| f.pointer.as_ref())
        .collect();
    let misspelt: Vec<(Pointer, &str)> = explained
        .iter()
        .filter_map(|(c, f)| match c {
            Cause::Unknown(Some(meant)) => {
                Some((f.pointer.as_ref()?.split_last()?.0, meant.as_str()))
            }
            _ => None,
        })
        .collect();
    // Two keywords of one catalogue requirement failing on one value (an email's `pattern` and
    // `format`; two conditions that both ask for `reporting`) are one problem: said once.
    let mut said: std::collections::HashSet<(&str, Option<&Pointer>)> =
        std::collections::HashSet::new();
    explained
        .iter()
        .filter(|(cause, f)| match cause {
            Cause::Type | Cause::Unknown(_) => true,
            Cause::Missing { property, .. } => !misspelt
                .iter()
                .any(|(parent, meant)| Some(parent) == f.pointer.as_ref() && meant == property),
            Cause::Other => f.pointer.as_ref().is_none_or(|p| !mistyped.contains(&p)),
        })
        .filter(|(cause, f)| match cause {
            Cause::Type => true,
            // A value is wrong in one way said once, whichever keywords fail on it
            // (`2025/12/31` fails the date's pattern and its format).
            Cause::Other if f.rule == GENERIC_RULE => said.insert((f.rule.as_str(), f.pointer.as_ref())),
            _ => f.rule == GENERIC_RULE || said.insert((f.rule.as_str(), f.pointer.as_ref())),
        })
        .fold(Vec::<(Cause, Finding)>::new(), |mut kept, (cause, f)| {
            // The fields one object lacks, under one rule, are one finding that lists them
            // (a submission without six of its sections is one problem, not six blocks).
            if let Cause::Missing { named, here, .. } = cause {
                if let Some((Cause::Missing { named: first, .. }, g)) = kept.iter_mut().find(|(c, g)| {
                    matches!(c, Cause::Missing { .. }) && g.rule == f.rule && g.pointer == f.pointer
                }) {
                    first.zh.push_str(&format!("、{}", named.zh));
                    first.en.push_str(&format!(", {}", named.en));
                    g.message = Text::new(
                        format!("{}缺少必填字段：{}", here.zh, first.zh),
                        format!("{} lacks the required fields {}", here.en, first.en),
                    );
                    g.label = Some(Text::new("缺少必填字段", "required fields missing"));
                    g.help = Some(Text::new(
                        "逐项补全；各字段的要求与示例见 schemas/submission.v1.schema.json 或 parkcheck 的字段说明（docs/fields.md）",
                        "add each of them; what each asks for, with examples, is in schemas/submission.v1.schema.json and the field reference (docs/fields.md)",
                    ));
                    return kept;
                }
            }
            kept.push((cause.clone(), f.clone()));
            kept
        })
        .into_iter()
        .map(|(_, f)| f)
        .collect()
}

/// An `x-message: {zh, en}` beside the `x-rule` that claims an error (on a conditional schema
/// node, typically) replaces the generic wording.
fn message_override(chain: &[Step<'_>]) -> Option<Text> {
    let node = holders(chain).find(|n| n.get("x-rule").is_some())?;
    let m = node.get("x-message")?;
    Some(Text::new(m.get("zh")?.as_str()?, m.get("en")?.as_str()?))
}

fn unknown_field(
    doc: &Document,
    parent: &Pointer,
    key: &str,
    suggestion: Option<&str>,
    allowed: &[&str],
    rule: &str,
) -> Finding {
    let pointer = parent.join(key);
    let span = doc.key_span(&pointer);

    let help = match suggestion {
        Some(s) => Text::new(format!("是否想写「{s}」？"), format!("did you mean `{s}`?")),
        None if key == "<<" => Text::new(
            "YAML 1.2 没有合并键（<<）；请把字段直接写出",
            "YAML 1.2 has no merge key (`<<`); write the fields out",
        ),
        None => Text::new(
            format!("此处可用的字段：{}", allowed.join("、")),
            format!("fields allowed here: {}", allowed.join(", ")),
        ),
    };
    let here = of_tenant(doc, parent, field_name(parent, None));
    Finding::new(
        rule,
        Severity::Error,
        Text::new(
            format!("{}中有未知字段「{key}」", here.zh),
            format!("unknown field `{key}` in {}", here.en),
        ),
    )
    .at(pointer, span)
    .with_label(Text::new("未知字段", "unknown field"))
    .with_help(Some(help))
}

/// The allowed name closest to `key`, when it is close enough to be a typo.
/// The catalogue ids the submission schema enforces (`x-rule`), each with the JSON pointers of
/// the schema nodes that carry it, for the coverage matrix and for checking references to them.
#[must_use]
pub fn structural_rules() -> BTreeMap<String, Vec<String>> {
    fn walk(node: &Json, at: &str, out: &mut BTreeMap<String, Vec<String>>) {
        match node {
            Json::Object(map) => {
                if let Some(id) = map.get("x-rule").and_then(Json::as_str) {
                    out.entry(id.to_owned()).or_default().push(at.to_owned());
                }
                for (key, value) in map {
                    let token = key.replace('~', "~0").replace('/', "~1");
                    walk(value, &format!("{at}/{token}"), out);
                }
            }
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    if let Ok(schema) = serde_json::from_str::<Json>(SUBMISSION_SCHEMA) {
        walk(&schema, "", &mut out);
    }
    out
}

pub fn did_you_mean<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|&a| (strsim::jaro_winkler(key, a), a))
        .filter(|&(score, _)| score >= 0.8)
        .max_by(|x, y| x.0.total_cmp(&y.0))
        .map(|(_, a)| a)
}

fn number_finding(doc: &Document, issue: &crate::document::NumberIssue, rule: &str) -> Finding {
    let raw = doc.source.slice(issue.span);
    let message = match issue.kind {
        NumberIssueKind::NonDecimal => Text::new(
            format!("数值 {raw} 不是十进制写法"),
            format!("the number {raw} is not written in decimal"),
        ),
        NumberIssueKind::NotFinite => Text::new(
            format!("{raw} 不是有限数值"),
            format!("{raw} is not a finite number"),
        ),
        NumberIssueKind::OutOfRange => Text::new(
            format!("数值 {raw} 超出可表示的范围"),
            format!("the number {raw} is out of range"),
        ),
    };
    Finding::new(rule, Severity::Error, message)
        .at(issue.pointer.clone(), Some(issue.span))
        .with_help(Some(Text::new(
            format!("数量请用普通十进制数字填写；若是编号或代码，请加引号：\"{raw}\""),
            format!("write quantities as plain decimals; if this is a code, quote it: \"{raw}\""),
        )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("staf", &["staff", "staff_college", "name"]),
            Some("staff")
        );
        assert_eq!(did_you_mean("zzz", &["staff", "name"]), None);
    }

    #[test]
    fn enum_suggestions_follow_aliases_then_overlap_then_typos() {
        let labels = [
            "食堂餐饮",
            "宿舍公寓",
            "仓储",
            "物流",
            "政务代办服务",
            "其他",
        ];
        let aliases = serde_json::json!({
            "职工食堂": ["食堂餐饮"],
            "仓储物流": ["仓储", "物流"],
            "停车场": ["其他"],
            "过时": ["不再是选项"],
        });
        let s = |v: &str| enum_suggestions(v, &labels, Some(&aliases));
        assert_eq!(s("职工食堂"), ["食堂餐饮"]);
        assert_eq!(s("仓储物流"), ["仓储", "物流"]);
        assert_eq!(s("停车场"), ["其他"]);
        assert_eq!(s("政务代办"), ["政务代办服务"]);
        assert_eq!(s("宿舍"), ["宿舍公寓"]);
        assert_eq!(s("游泳池"), Vec::<String>::new());
        // an alias to a label that is not one is ignored
        assert_eq!(s("过时"), Vec::<String>::new());
        // one character is no overlap (though it may be close to a label as a typo)
        assert_eq!(s("他"), Vec::<String>::new());
        assert_eq!(
            suggestion_help("停车场", &s("停车场"), true).unwrap().zh,
            "登记表选项中没有「停车场」；若确无相应选项，请填「其他」。"
        );
        assert_eq!(
            suggestion_help("职工食堂", &s("职工食堂"), true)
                .unwrap()
                .en,
            "Did you mean `食堂餐饮`? Write the form's label character for character."
        );
        assert_eq!(
            suggestion_help("仓储物流", &s("仓储物流"), true)
                .unwrap()
                .zh,
            "登记表中与「仓储物流」相应的选项：「仓储」、「物流」。"
        );
    }

    #[test]
    fn bilingual_descriptions_split_before_the_english() {
        let t = split_bilingual("园区状况：已投运 / 已竣工 / Park status: built / planned");
        assert_eq!(
            t,
            Text::new("园区状况：已投运 / 已竣工", "Park status: built / planned")
        );
        assert_eq!(split_bilingual("仅中文").en, "仅中文");
    }

    #[test]
    fn bundled_schema_compiles() {
        let schema = Schema::bundled().unwrap();
        assert_eq!(
            schema.json()["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
}
