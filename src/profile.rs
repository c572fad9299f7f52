//! Bureau profiles: parameter values with their sources, severity overrides, disabled rules.
//!
//! ```yaml
//! profile: {name: 嘉兴市经信局 2026}
//! params:
//!   min_plot_ratio: {value: 1.5, source: "嘉经信〔2026〕12号 第三条"}
//! severity: {REC-004: error}
//! disable: [FORM-016]
//! lang: zh
//! ```
//!
//! A parameter set with a `source` is confirmed (confidence `official` unless the profile says
//! otherwise), and the rules that use it report at their own severity instead of as warnings.

use std::collections::BTreeMap;

use crate::document::load_path;
use crate::document::{Document, Limits, Node, Pointer, Value};
use crate::finding::FileReport;
use crate::finding::{Confidence, Finding, Severity};
use crate::rulebook::{ParamValue, RuleSet};
use crate::schema::Schema;
use crate::source::{SourceFile, Span};
use crate::text::{Lang, Text};

/// The bundled default profile: no parameter confirmed, unverified rules reported as warnings.
pub const DEFAULT_PROFILE: &str = include_str!("../profiles/default.yaml");

/// A parameter as a profile sets it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSetting {
    pub value: ParamValue,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    pub span: Span,
}

/// A loaded profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: Option<String>,
    pub params: BTreeMap<String, ParamSetting>,
    pub severity: BTreeMap<String, (Severity, Span)>,
    pub disable: Vec<(String, Span)>,
    pub lang: Option<Lang>,
    /// The highest severity a rule whose threshold is unconfirmed reports at.
    pub unverified_severity: Severity,
    pub source: SourceFile,
}

impl Default for Profile {
    fn default() -> Self {
        Self {
            name: None,
            params: BTreeMap::new(),
            severity: BTreeMap::new(),
            disable: Vec::new(),
            lang: None,
            unverified_severity: Severity::Warning,
            source: SourceFile::new("<default profile>", ""),
        }
    }
}

impl Profile {
    /// The bundled default profile.
    ///
    /// # Errors
    /// When the bundled file is broken (a build defect, caught by the tests).
    pub fn bundled_default() -> Result<Self, FileReport> {
        let doc = crate::document::load_bytes(
            "profiles/default.yaml",
            DEFAULT_PROFILE.as_bytes().to_vec(),
            crate::document::Syntax::Yaml,
            &Limits::default(),
        )?;
        Self::from_document(&doc)
    }

    /// Loads a profile file and checks its shape.
    ///
    /// # Errors
    /// A report with every problem of the file.
    pub fn load(path: &std::path::Path, limits: &Limits) -> Result<Self, FileReport> {
        let doc = load_path(path, limits)?;
        Self::from_document(&doc)
    }

    fn from_document(doc: &Document) -> Result<Self, FileReport> {
        let schema = Schema::profile().map_err(|e| {
            let f = Finding::new(
                "PROFILE",
                Severity::Error,
                Text::new(e.to_string(), e.to_string()),
            );
            FileReport::failed(doc.source.clone(), vec![f])
        })?;
        let findings = schema.check(doc);
        if !findings.is_empty() {
            return Err(FileReport::failed(doc.source.clone(), findings));
        }
        let root = &doc.root;
        let str_of = |n: &Node, k: &str| match n.get(k).map(|v| &v.value) {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        };
        let severity_of = |s: &str| match s {
            "error" => Severity::Error,
            "info" => Severity::Info,
            _ => Severity::Warning,
        };
        let mut profile = Self {
            name: root.get("profile").and_then(|p| str_of(p, "name")),
            source: doc.source.clone(),
            ..Self::default()
        };
        if let Some(Value::Map(entries)) = root.get("params").map(|n| &n.value) {
            for e in entries {
                let value = ParamValue::from_node(e.value.get("value"));
                profile.params.insert(
                    e.key.to_string(),
                    ParamSetting {
                        value,
                        source: str_of(&e.value, "source"),
                        confidence: str_of(&e.value, "confidence")
                            .and_then(|c| Confidence::parse(&c)),
                        span: e.key_span,
                    },
                );
            }
        }
        if let Some(Value::Map(entries)) = root.get("severity").map(|n| &n.value) {
            for e in entries {
                if let Value::Str(s) = &e.value.value {
                    profile
                        .severity
                        .insert(e.key.to_string(), (severity_of(s), e.key_span));
                }
            }
        }
        if let Some(Value::Seq(items)) = root.get("disable").map(|n| &n.value) {
            profile.disable = items
                .iter()
                .filter_map(|i| match &i.value {
                    Value::Str(s) => Some((s.clone(), i.span)),
                    _ => None,
                })
                .collect();
        }
        profile.lang = str_of(root, "lang").and_then(|l| match l.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            "both" => Some(Lang::Both),
            _ => None,
        });
        if let Some(s) = str_of(root, "unverified_severity") {
            profile.unverified_severity = severity_of(&s);
        }
        Ok(profile)
    }

    /// Checks the names the profile uses against the rulebooks: every unknown parameter or
    /// rule id, and every value of the wrong kind, with its span.
    ///
    /// # Errors
    /// A report with every such problem.
    pub fn validate(&self, rules: &RuleSet) -> Result<(), FileReport> {
        let mut findings = Vec::new();
        let problem = |span: Span, pointer: Pointer, zh: String, en: String| {
            Finding::new("PROFILE", Severity::Error, Text::new(zh, en)).at(pointer, Some(span))
        };
        for (name, setting) in &self.params {
            let pointer = Pointer::root().join("params").join(name);
            match rules.param(name) {
                None => {
                    let known: Vec<&str> = rules.params().map(|p| p.name.as_str()).collect();
                    let near = crate::schema::did_you_mean(name, &known);
                    let mut f = problem(
                        setting.span,
                        pointer,
                        format!("未知参数「{name}」"),
                        format!("unknown parameter `{name}`"),
                    );
                    f.help = near.map(|n| {
                        Text::new(format!("是否想写「{n}」？"), format!("did you mean `{n}`?"))
                    });
                    findings.push(f);
                }
                Some(p)
                    if std::mem::discriminant(&p.value)
                        != std::mem::discriminant(&setting.value) =>
                {
                    findings.push(problem(
                        setting.span,
                        pointer,
                        format!(
                            "参数「{name}」的取值类型应与默认值 {} 相同",
                            p.value.display()
                        ),
                        format!(
                            "parameter `{name}` takes a value of the same kind as its default {}",
                            p.value.display()
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        let known_rule = |id: &str| rules.rule(id).is_some();
        for (id, (_, span)) in &self.severity {
            if !known_rule(id) {
                findings.push(problem(
                    *span,
                    Pointer::root().join("severity").join(id),
                    format!("未知规则「{id}」"),
                    format!("unknown rule `{id}`"),
                ));
            }
        }
        for (index, (id, span)) in self.disable.iter().enumerate() {
            if !known_rule(id) {
                findings.push(problem(
                    *span,
                    Pointer::root().join("disable").join(&index.to_string()),
                    format!("未知规则「{id}」"),
                    format!("unknown rule `{id}`"),
                ));
            }
        }
        if findings.is_empty() {
            Ok(())
        } else {
            Err(FileReport::failed(self.source.clone(), findings))
        }
    }
}
