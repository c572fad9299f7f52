//! Report emitters: one per output format. They format; only the CLI prints.

pub mod catalogue;
pub mod concise;
mod format;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod xlsx;

pub use format::{Format, Look, render};
