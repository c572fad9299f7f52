//! What a run was built with, as a reviewer files it with the review opinion: the parkcheck
//! version, the rulebooks in force with their versions and the confidence of their rules, the
//! profile, the date, the waivers and the baseline. Reports that describe a run (`--format
//! html`, `--format xlsx`) take it; nothing here changes what a run finds.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::finding::{Confidence, Severity};
use crate::run::{Run, RunOptions};
use crate::text::Text;

/// One rulebook in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulebookFacts {
    pub id: String,
    pub title: Text,
    pub issuer: String,
    /// The document number, e.g. 浙中小企业办〔2018〕18号.
    pub number: Option<String>,
    pub version: String,
    /// Its effective dates in words (`2018-01-01 起` / `from 2018-01-01`).
    pub effective: crate::text::Text,
    /// Its rules in force (not disabled by the profile).
    pub rules: usize,
    /// How many of them rest on a source of each confidence (profile applied).
    pub confidence: BTreeMap<Confidence, usize>,
}

impl RulebookFacts {
    /// The weakest confidence among its rules: what the rulebook as a whole can be trusted to.
    #[must_use]
    pub fn weakest(&self) -> Option<Confidence> {
        self.confidence.keys().max().copied()
    }
}

/// What a run was built with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunFacts {
    /// parkcheck's version.
    pub version: String,
    /// Whether rules were evaluated (`--no-rules`: structure only).
    pub rules: bool,
    pub rulebooks: Vec<RulebookFacts>,
    /// The profile's name, and the file it was read from (`<default profile>` for the bundled).
    pub profile: Option<String>,
    pub profile_file: Option<String>,
    /// The date every submission was evaluated as of (`--as-of`); absent: each its own `as_of`.
    pub as_of: Option<String>,
    /// A park fails with a counted finding at or above this.
    pub fail_on: Severity,
    /// The day of the run (`YYYY-MM-DD`, China Standard Time, or `PARKCHECK_TODAY`): what
    /// waivers expire against, and the date a report carries.
    pub today: String,
    /// The waiver files applied.
    pub waivers: Vec<String>,
    /// The baseline file applied.
    pub baseline: Option<String>,
}

impl Run {
    /// What this run is built with, for checks with `options`.
    #[must_use]
    pub fn facts(&self, options: &RunOptions) -> RunFacts {
        let mut rulebooks: Vec<RulebookFacts> = Vec::new();
        if let Some(engine) = &self.engine {
            for (book, rule) in engine.rules().rules() {
                if engine.disabled(&rule.id) {
                    continue;
                }
                let at = match rulebooks.iter().position(|b| b.id == book.id) {
                    Some(at) => at,
                    None => {
                        rulebooks.push(RulebookFacts {
                            id: book.id.clone(),
                            title: book.title.clone(),
                            issuer: book.issuer.clone(),
                            number: book.number.clone(),
                            version: book.version.clone(),
                            effective: book.effective.text(),
                            rules: 0,
                            confidence: BTreeMap::new(),
                        });
                        rulebooks.len() - 1
                    }
                };
                if let Some(facts) = rulebooks.get_mut(at) {
                    facts.rules += 1;
                    *facts.confidence.entry(engine.confidence(rule)).or_default() += 1;
                }
            }
        }
        let profile = self.engine.as_ref().map(|e| e.profile());
        RunFacts {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            rules: self.engine.is_some(),
            rulebooks,
            profile: profile.and_then(|p| p.name.clone()),
            profile_file: profile.map(|p| p.source.name().to_owned()),
            as_of: options.as_of.clone(),
            fail_on: options.fail_on,
            today: self.decisions.today.to_string(),
            waivers: self
                .decisions
                .waivers
                .iter()
                .map(|w| w.source.name().to_owned())
                .collect(),
            baseline: self.decisions.baseline_file.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::run::{RunConfig, RunOptions};

    #[test]
    fn the_facts_name_every_rulebook_once_with_its_rules() {
        let config = RunConfig {
            today: Some("2026-03-01".to_owned()),
            ..RunConfig::default()
        };
        let run = crate::run::Run::from_config(&config).unwrap();
        let facts = run.facts(&RunOptions::default());
        assert_eq!(facts.today, "2026-03-01");
        assert!(facts.rules);
        let ids: Vec<&str> = facts.rulebooks.iter().map(|b| b.id.as_str()).collect();
        let mut unique = ids.clone();
        unique.dedup();
        assert_eq!(ids, unique);
        assert!(ids.contains(&"zj-recognition"), "{ids:?}");
        for book in &facts.rulebooks {
            assert_eq!(book.rules, book.confidence.values().sum::<usize>());
        }
        assert_eq!(facts.profile_file.as_deref(), Some("profiles/default.yaml"));
        assert!(facts.waivers.is_empty() && facts.baseline.is_none());
    }
}
