//! The domain's own computations, by name: the credit code ([`uscc`], GB 32100-2015), the
//! enterprise size classification ([`size`]), calendar dates ([`dates`]) and units of area
//! ([`units`]). Plain Rust with no knowledge of CEL, documents or reports: the engine registers
//! these as CEL functions (`engine::functions`), and anything else may call them directly.
//!
//! Everything here is panic-free on any input: malformed data comes back as an `Err`, a
//! [`uscc::UsccProblem`] or a [`size::SizeUnknown`], never as a panic.

pub mod dates;
pub mod size;
pub mod units;
pub mod uscc;
