//! parkcheck: checks submissions of Zhejiang small and micro enterprise parks (小微企业园)
//! against the rules of the documents that govern them.
//!
//! The pipeline runs one way: [`document`] loads a file into a spanned tree, [`schema`] checks
//! its structure, [`engine`] evaluates the rulebooks, and [`report`] formats the
//! [`finding::Finding`]s; [`run`] ties them together for every front end. `ARCHITECTURE.md`
//! gives the layers and what each may import.

pub mod baseline;
pub mod catalogue;
pub mod convert;
pub mod coverage;
pub mod document;
pub mod domain;
pub mod engine;
pub mod explain;
pub mod expr;
pub mod facts;
pub mod fieldref;
pub mod finding;
pub mod form;
pub mod output;
pub mod profile;
pub mod report;
pub mod rulebook;
pub mod ruletest;
pub mod run;
pub mod schema;
pub mod score;
pub mod source;
pub mod template;
pub mod text;
pub mod waiver;
pub mod xdoc;
