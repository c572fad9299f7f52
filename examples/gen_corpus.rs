//! Benchmark corpus generator: a tree of realistic, valid `parkcheck/v1` annual submissions.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --parks 200 --tenants 150 --out DIR [--seed N] [--json-share 0.0] [--minify]
//! ```
//!
//! Writes `DIR/parks/<county>/<park-slug>.yaml` (or `.json` for a `--json-share` fraction of the parks,
//! pretty-printed, or on one line with `--minify`; `--json-share 1.0` is the JSON form of the same corpus),
//! one annual submission (`as_of: 2025-12-31`) per park with `--tenants` enterprises each, and
//! `DIR/CORPUS.txt` (the parameters, file count and size) last, so an interrupted run is recognisable.
//! The output is a pure function of the arguments (own splitmix64 PRNG, no clock, no hash-map order).
//!
//! Every file is meant to check clean: USCCs with valid GB 32100-2015 check characters and unique across
//! the corpus, park names and platform ids unique, declared sizes computed from the figures with the
//! size table of docs/domain.md, `totals` counted over the active tenants, dates in order, land and building
//! ratios inside the thresholds (plot ratio ≥ 1.2, facility share ≤ 15 %, 建筑系数 ≥ 30 %, …).
//! All names, codes and figures are fictional.

// A developer tool, not the library: it prints, exits with a status and indexes its own constant tables.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::indexing_slicing,
    clippy::exit
)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------------
// Arguments

struct Args {
    parks: usize,
    tenants: usize,
    out: PathBuf,
    seed: u64,
    json_share: f64,
    minify: bool,
    yaml_flow: bool,
    force: bool,
}

const USAGE: &str =
    "usage: gen_corpus --parks N --tenants N --out DIR [--seed N] [--json-share F] [--minify] [--yaml-flow] [--force]
  --parks N        number of park submissions (default 200)
  --tenants N      tenants per park (default 150)
  --out DIR        output directory; files go to DIR/parks/<county>/<slug>.yaml|json
  --seed N         PRNG seed (default 20251231); the same arguments give byte-identical files
  --json-share F   fraction 0.0-1.0 of the parks written as JSON instead of YAML (default 0.0); the
                   same parks either way (1.0 is the JSON form of the YAML corpus)
  --minify         write the JSON on one line, without whitespace (as APIs and exporters do)
  --yaml-flow      write the YAML as one flow mapping on one line ({format: parkcheck/v1, …})
  --force          replace an existing DIR/parks";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        parks: 200,
        tenants: 150,
        out: PathBuf::new(),
        seed: 20_251_231,
        json_share: 0.0,
        minify: false,
        yaml_flow: false,
        force: false,
    };
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let (key, inline) = match a.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        };
        if key == "-h" || key == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        if key == "--force" {
            args.force = true;
            continue;
        }
        if key == "--minify" {
            args.minify = true;
            continue;
        }
        if key == "--yaml-flow" {
            args.yaml_flow = true;
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => it.next().ok_or_else(|| format!("{key} needs a value"))?,
        };
        let bad = |e: &dyn std::fmt::Display| format!("{key} {value}: {e}");
        match key.as_str() {
            "--parks" => args.parks = value.parse().map_err(|e| bad(&e))?,
            "--tenants" => args.tenants = value.parse().map_err(|e| bad(&e))?,
            "--seed" => args.seed = value.parse().map_err(|e| bad(&e))?,
            "--json-share" => args.json_share = value.parse().map_err(|e| bad(&e))?,
            "--out" => out = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown argument {key}")),
        }
    }
    args.out = out.ok_or("--out DIR is required")?;
    if !(0.0..=1.0).contains(&args.json_share) {
        return Err("--json-share must be between 0.0 and 1.0".into());
    }
    if args.parks == 0 || args.tenants == 0 {
        return Err("--parks and --tenants must be at least 1".into());
    }
    Ok(args)
}

// ---------------------------------------------------------------------------------------------------
// PRNG: splitmix64 (Steele, Lea, Flood 2014), enough for test data and fully deterministic.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5EED_0F9A_2CD1_E477)
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[0, 1)`.
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform integer in `[lo, hi]`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        let span = (hi - lo + 1) as u64;
        lo + (self.next_u64() % span) as i64
    }
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }
    /// Log-uniform in `[lo, hi]`: many small values, a few large ones (firm sizes).
    fn log_uniform(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + (hi.ln() - lo.ln()) * self.f64()).exp()
    }
    fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
    /// Picks from `(weight, item)` pairs.
    fn weighted<'a, T>(&mut self, items: &'a [(f64, T)]) -> &'a T {
        let total: f64 = items.iter().map(|(w, _)| w).sum();
        let mut x = self.f64() * total;
        for (w, item) in items {
            if x < *w {
                return item;
            }
            x -= w;
        }
        &items[items.len() - 1].1
    }
    /// A random subset of `items`, in the order of `items`, with at least `min` elements.
    fn subset<'a>(&mut self, items: &[&'a str], p: f64, min: usize) -> Vec<&'a str> {
        loop {
            let v: Vec<&str> = items.iter().copied().filter(|_| self.chance(p)).collect();
            if v.len() >= min {
                return v;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Dates (proleptic Gregorian, days since 1970-01-01; Howard Hinnant's civil algorithms).

#[derive(Clone, Copy, PartialEq, PartialOrd)]
struct Date(i64);

impl Date {
    fn ymd(y: i64, m: i64, d: i64) -> Date {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }
    fn civil(self) -> (i64, i64, i64) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (
            if m <= 2 {
                yoe + era * 400 + 1
            } else {
                yoe + era * 400
            },
            m,
            d,
        )
    }
    fn year(self) -> i64 {
        self.civil().0
    }
    fn plus(self, days: i64) -> Date {
        Date(self.0 + days)
    }
    fn between(rng: &mut Rng, lo: Date, hi: Date) -> Date {
        Date(rng.range(lo.0, hi.0.max(lo.0)))
    }
    fn text(self) -> String {
        let (y, m, d) = self.civil();
        format!("{y:04}-{m:02}-{d:02}")
    }
}

// ---------------------------------------------------------------------------------------------------
// USCC (统一社会信用代码, GB 32100-2015), characters 9–17 the organisation code (GB 11714-1997)

const USCC_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn uscc_check_char(first17: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (c, w) in first17.iter().zip(USCC_WEIGHTS) {
        let v = USCC_CHARS.iter().position(|x| x == c)? as u32;
        sum += v * w;
    }
    Some(USCC_CHARS[((31 - sum % 31) % 31) as usize])
}

/// The check character (17th of a USCC) of an organisation code whose body is `body` (GB 11714:
/// weights 3 7 9 10 5 8 4 2, values 0–9 and A = 10 … Z = 35, C = 11 − Σ mod 11, X for 10, 0 for 11).
fn org_check_char(body: &[u8]) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in body.iter().zip([3, 7, 9, 10, 5, 8, 4, 2]) {
        sum += char::from(*c).to_digit(36)? * w;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from_digit(c, 10)?,
    })
}

/// Hands out corpus-unique USCCs: a counter through a bijection (an affine map modulo the size of the
/// code space), so codes look scattered but never repeat.
struct UsccSource {
    next: u64,
}

impl UsccSource {
    fn issue(&mut self, rng: &mut Rng, county_code: &str) -> String {
        let n = self.next;
        self.next += 1;
        let mut s = String::with_capacity(18);
        s.push_str("91"); // 9 = 工商 (market regulation), 1 = enterprise
        s.push_str(county_code);
        if rng.chance(0.7) {
            // Codes issued since 2015: "MA", six characters of the USCC alphabet and the
            // organisation code's check character.
            const SPACE: u64 = 31u64.pow(6);
            let mut x = (n.wrapping_mul(2_654_435_761) + 1_234_567) % SPACE;
            s.push_str("MA");
            let mut body = [0u8; 6];
            for b in body.iter_mut().rev() {
                *b = USCC_CHARS[(x % 31) as usize];
                x /= 31;
            }
            s.extend(body.iter().map(|&b| b as char));
            s.push(org_check_char(&s.as_bytes()[8..16]).unwrap_or('0'));
        } else {
            // Older codes embed the 9-character organisation code (GB 11714: 8 digits and a check).
            const SPACE: u64 = 100_000_000;
            let x = (n.wrapping_mul(48_271) + 10_203_040) % SPACE;
            let digits = format!("{x:08}");
            s.push_str(&digits);
            s.push(org_check_char(digits.as_bytes()).unwrap_or('0'));
        }
        let check = uscc_check_char(s.as_bytes()).map_or('0', char::from);
        s.push(check);
        s
    }
}

// ---------------------------------------------------------------------------------------------------
// Enterprise size (中小企业划型标准规定, the table in docs/domain.md)

#[derive(Clone, Copy, PartialEq)]
enum Size {
    Large,
    Medium,
    Small,
    Micro,
}

impl Size {
    fn label(self) -> &'static str {
        match self {
            Size::Large => "大型",
            Size::Medium => "中型",
            Size::Small => "小型",
            Size::Micro => "微型",
        }
    }
}

/// One bound of the table: X = employees, Y = revenue, Z = assets (万元).
#[derive(Clone, Copy)]
enum B {
    X(f64),
    Y(f64),
    Z(f64),
}

/// (medium lower bounds, small lower bounds, SME ceiling: the enterprise is an SME when *any* of its
/// figures is below the corresponding ceiling).
fn size_table(sector: &str) -> (&'static [B], &'static [B], &'static [B]) {
    use B::{X, Y, Z};
    match sector {
        "农、林、牧、渔业" => (&[Y(500.0)], &[Y(50.0)], &[Y(20000.0)]),
        "工业" => (
            &[X(300.0), Y(2000.0)],
            &[X(20.0), Y(300.0)],
            &[X(1000.0), Y(40000.0)],
        ),
        "建筑业" => (
            &[Y(6000.0), Z(5000.0)],
            &[Y(300.0), Z(300.0)],
            &[Y(80000.0), Z(80000.0)],
        ),
        "批发业" => (
            &[X(20.0), Y(5000.0)],
            &[X(5.0), Y(1000.0)],
            &[X(200.0), Y(40000.0)],
        ),
        "零售业" => (
            &[X(50.0), Y(500.0)],
            &[X(10.0), Y(100.0)],
            &[X(300.0), Y(20000.0)],
        ),
        "交通运输业" => (
            &[X(300.0), Y(3000.0)],
            &[X(20.0), Y(200.0)],
            &[X(1000.0), Y(30000.0)],
        ),
        "仓储业" => (
            &[X(100.0), Y(1000.0)],
            &[X(20.0), Y(100.0)],
            &[X(200.0), Y(30000.0)],
        ),
        "邮政业" => (
            &[X(300.0), Y(2000.0)],
            &[X(20.0), Y(100.0)],
            &[X(1000.0), Y(30000.0)],
        ),
        "住宿业" | "餐饮业" => (
            &[X(100.0), Y(2000.0)],
            &[X(10.0), Y(100.0)],
            &[X(300.0), Y(10000.0)],
        ),
        "信息传输业" => (
            &[X(100.0), Y(1000.0)],
            &[X(10.0), Y(100.0)],
            &[X(2000.0), Y(100000.0)],
        ),
        "软件和信息技术服务业" => (
            &[X(100.0), Y(1000.0)],
            &[X(10.0), Y(50.0)],
            &[X(300.0), Y(10000.0)],
        ),
        "房地产开发经营" => (
            &[Y(1000.0), Z(5000.0)],
            &[Y(100.0), Z(2000.0)],
            &[Y(200000.0), Z(10000.0)],
        ),
        "物业管理" => (
            &[X(300.0), Y(1000.0)],
            &[X(100.0), Y(500.0)],
            &[X(1000.0), Y(5000.0)],
        ),
        "租赁和商务服务业" => (
            &[X(100.0), Z(8000.0)],
            &[X(10.0), Z(100.0)],
            &[X(300.0), Z(120000.0)],
        ),
        _ => (&[X(100.0)], &[X(10.0)], &[X(300.0)]), // 其他未列明行业
    }
}

fn classify(sector: &str, x: f64, y: f64, z: f64) -> Size {
    let value = |b: &B| match *b {
        B::X(t) => (x, t),
        B::Y(t) => (y, t),
        B::Z(t) => (z, t),
    };
    let (medium, small, ceiling) = size_table(sector);
    let sme = ceiling.iter().any(|b| {
        let (v, t) = value(b);
        v < t
    });
    let all = |bounds: &[B]| {
        bounds.iter().all(|b| {
            let (v, t) = value(b);
            v >= t
        })
    };
    if !sme {
        Size::Large
    } else if all(medium) {
        Size::Medium
    } else if all(small) {
        Size::Small
    } else {
        Size::Micro
    }
}

// ---------------------------------------------------------------------------------------------------
// A small document tree, written out as YAML (block style, like the bundled examples) or JSON.

enum V {
    Map(Vec<(&'static str, V)>),
    Seq(Vec<V>),
    /// A list of short scalars written in flow style: `[工业用地]`.
    Flow(Vec<String>),
    /// Text, quoted in YAML only when it has to be.
    Str(String),
    /// Text always quoted in YAML (codes, phone numbers, ids: `"330483"`).
    Code(String),
    Num(String),
    Bool(bool),
    Date(Date),
}

/// A comment line in YAML, skipped in JSON: `("#", V::Str(text))`.
fn comment(text: impl Into<String>) -> (&'static str, V) {
    ("#", V::Str(text.into()))
}

fn s(x: impl Into<String>) -> V {
    V::Str(x.into())
}
fn code(x: impl Into<String>) -> V {
    V::Code(x.into())
}
fn int(x: i64) -> V {
    V::Num(x.to_string())
}
/// A decimal rounded to `places`, trailing zeros dropped (`0.75`, `128.5`, `1820`).
fn dec(x: f64, places: usize) -> V {
    V::Num(dec_text(x, places))
}
fn dec_text(x: f64, places: usize) -> String {
    let t = format!("{x:.places$}");
    if t.contains('.') {
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        t
    }
}
fn flow(items: &[&str]) -> V {
    V::Flow(items.iter().map(|x| x.to_string()).collect())
}

fn yaml_plain_ok(t: &str) -> bool {
    let Some(first) = t.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || first.is_ascii_digit() || first == '.' {
        return false;
    }
    if t.ends_with(' ')
        || t.starts_with(' ')
        || t.contains(": ")
        || t.contains(" #")
        || t.ends_with(':')
    {
        return false;
    }
    if t.contains(['\n', '\t', ',', '[', ']', '{', '}']) {
        return false;
    }
    !matches!(
        t.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off" | ".nan" | ".inf"
    )
}

fn quoted(out: &mut String, t: &str) {
    out.push('"');
    for c in t.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn yaml_scalar(out: &mut String, v: &V) {
    match v {
        V::Str(t) if yaml_plain_ok(t) => out.push_str(t),
        V::Str(t) | V::Code(t) => quoted(out, t),
        V::Num(t) => out.push_str(t),
        V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        V::Date(d) => out.push_str(&d.text()),
        V::Flow(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if yaml_plain_ok(item) {
                    out.push_str(item);
                } else {
                    quoted(out, item);
                }
            }
            out.push(']');
        }
        V::Map(_) | V::Seq(_) => {}
    }
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn yaml_map(out: &mut String, entries: &[(&str, V)], ind: usize) {
    for (k, v) in entries {
        indent(out, ind);
        if *k == "#" {
            out.push_str("# ");
            if let V::Str(t) = v {
                out.push_str(t);
            }
            out.push('\n');
            continue;
        }
        out.push_str(k);
        out.push(':');
        match v {
            V::Map(m) if m.is_empty() => out.push_str(" {}\n"),
            V::Map(m) => {
                out.push('\n');
                yaml_map(out, m, ind + 2);
            }
            V::Seq(items) if items.is_empty() => out.push_str(" []\n"),
            V::Seq(items) => {
                out.push('\n');
                yaml_seq(out, items, ind + 2);
            }
            scalar => {
                out.push(' ');
                yaml_scalar(out, scalar);
                out.push('\n');
            }
        }
    }
}

fn yaml_seq(out: &mut String, items: &[V], ind: usize) {
    for item in items {
        match item {
            V::Map(m) if !m.is_empty() => {
                // Write the map two columns in, then turn the first line's indentation into "- ".
                let start = out.len();
                yaml_map(out, m, ind + 2);
                let mut dash = String::with_capacity(ind + 2);
                indent(&mut dash, ind);
                dash.push_str("- ");
                out.replace_range(start..start + ind + 2, &dash);
            }
            V::Seq(_) | V::Map(_) => {} // not produced by this generator
            scalar => {
                indent(out, ind);
                out.push_str("- ");
                yaml_scalar(out, scalar);
                out.push('\n');
            }
        }
    }
}

/// On one line: JSON without any whitespace (what an API or an exporter writes), or with
/// `yaml` a YAML flow mapping (`{kind: annual, tenants: [{name: …}, …]}`, keys plain, text
/// double-quoted as in JSON).
fn compact(out: &mut String, v: &V, yaml: bool) {
    let sep = if yaml { ", " } else { "," };
    match v {
        V::Map(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().filter(|(k, _)| *k != "#").enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                if yaml {
                    out.push_str(k);
                    out.push_str(": ");
                } else {
                    quoted(out, k);
                    out.push(':');
                }
                compact(out, v, yaml);
            }
            out.push('}');
        }
        V::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                compact(out, item, yaml);
            }
            out.push(']');
        }
        V::Flow(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                quoted(out, item);
            }
            out.push(']');
        }
        scalar => json_value(out, scalar, 0),
    }
}

fn json_value(out: &mut String, v: &V, ind: usize) {
    match v {
        V::Map(m) => {
            let entries: Vec<_> = m.iter().filter(|(k, _)| *k != "#").collect();
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{\n");
            for (i, (k, v)) in entries.iter().enumerate() {
                indent(out, ind + 2);
                quoted(out, k);
                out.push_str(": ");
                json_value(out, v, ind + 2);
                out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
            }
            indent(out, ind);
            out.push('}');
        }
        V::Seq(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, ind + 2);
                json_value(out, item, ind + 2);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            indent(out, ind);
            out.push(']');
        }
        V::Flow(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                quoted(out, item);
            }
            out.push(']');
        }
        V::Str(t) | V::Code(t) => quoted(out, t),
        V::Num(t) => out.push_str(t),
        V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        V::Date(d) => quoted(out, &d.text()),
    }
}

// ---------------------------------------------------------------------------------------------------
// Word lists

struct County {
    name: &'static str,
    short: &'static str,
    code: &'static str,
    slug: &'static str,
    /// Postcode prefix (the first four digits); the last two are drawn.
    post: &'static str,
    lon: f64,
    lat: f64,
    /// (town, pinyin)
    towns: &'static [(&'static str, &'static str)],
}

const COUNTIES: &[County] = &[
    County {
        name: "南湖区",
        short: "嘉兴",
        code: "330402",
        slug: "nanhu",
        post: "3140",
        lon: 120.80,
        lat: 30.74,
        towns: &[
            ("七星街道", "qixing"),
            ("大桥镇", "daqiao"),
            ("凤桥镇", "fengqiao"),
            ("余新镇", "yuxin"),
            ("新丰镇", "xinfeng"),
            ("东栅街道", "dongzha"),
        ],
    },
    County {
        name: "秀洲区",
        short: "嘉兴",
        code: "330411",
        slug: "xiuzhou",
        post: "3140",
        lon: 120.70,
        lat: 30.78,
        towns: &[
            ("王江泾镇", "wangjiangjing"),
            ("油车港镇", "youchegang"),
            ("洪合镇", "honghe"),
            ("新塍镇", "xincheng"),
            ("王店镇", "wangdian"),
            ("高照街道", "gaozhao"),
        ],
    },
    County {
        name: "嘉善县",
        short: "嘉善",
        code: "330421",
        slug: "jiashan",
        post: "3141",
        lon: 120.92,
        lat: 30.84,
        towns: &[
            ("魏塘街道", "weitang"),
            ("罗星街道", "luoxing"),
            ("惠民街道", "huimin"),
            ("大云镇", "dayun"),
            ("西塘镇", "xitang"),
            ("干窑镇", "ganyao"),
            ("陶庄镇", "taozhuang"),
            ("姚庄镇", "yaozhuang"),
        ],
    },
    County {
        name: "海盐县",
        short: "海盐",
        code: "330424",
        slug: "haiyan",
        post: "3143",
        lon: 120.94,
        lat: 30.52,
        towns: &[
            ("武原街道", "wuyuan"),
            ("西塘桥街道", "xitangqiao"),
            ("秦山街道", "qinshan"),
            ("沈荡镇", "shendang"),
            ("百步镇", "baibu"),
            ("于城镇", "yucheng"),
            ("通元镇", "tongyuan"),
            ("澉浦镇", "ganpu"),
        ],
    },
    County {
        name: "海宁市",
        short: "海宁",
        code: "330481",
        slug: "haining",
        post: "3144",
        lon: 120.68,
        lat: 30.51,
        towns: &[
            ("硖石街道", "xiashi"),
            ("海洲街道", "haizhou"),
            ("马桥街道", "maqiao"),
            ("许村镇", "xucun"),
            ("长安镇", "changan"),
            ("袁花镇", "yuanhua"),
            ("黄湾镇", "huangwan"),
            ("斜桥镇", "xieqiao"),
            ("周王庙镇", "zhouwangmiao"),
            ("盐官镇", "yanguan"),
        ],
    },
    County {
        name: "平湖市",
        short: "平湖",
        code: "330482",
        slug: "pinghu",
        post: "3142",
        lon: 121.02,
        lat: 30.70,
        towns: &[
            ("当湖街道", "danghu"),
            ("钟埭街道", "zhongdai"),
            ("曹桥街道", "caoqiao"),
            ("新埭镇", "xindai"),
            ("新仓镇", "xincang"),
            ("独山港镇", "dushangang"),
            ("林埭镇", "lindai"),
            ("广陈镇", "guangchen"),
        ],
    },
    County {
        name: "桐乡市",
        short: "桐乡",
        code: "330483",
        slug: "tongxiang",
        post: "3145",
        lon: 120.56,
        lat: 30.63,
        towns: &[
            ("梧桐街道", "wutong"),
            ("凤鸣街道", "fengming"),
            ("濮院镇", "puyuan"),
            ("崇福镇", "chongfu"),
            ("乌镇镇", "wuzhen"),
            ("洲泉镇", "zhouquan"),
            ("屠甸镇", "tudian"),
            ("大麻镇", "dama"),
            ("河山镇", "heshan"),
            ("石门镇", "shimen"),
        ],
    },
];

/// Town name without its 镇/街道 suffix: 濮院镇 → 濮院.
fn town_short(town: &str) -> &str {
    town.strip_suffix("街道")
        .or_else(|| town.strip_suffix('镇'))
        .unwrap_or(town)
}

/// Manufacturing themes: (park name theme, slug, leading industry, tenant name suffixes with GB/T 4754
/// codes).
struct Theme {
    name: &'static str,
    slug: &'static str,
    leading: &'static str,
    lines: &'static [(&'static str, &'static str)],
}

const MANUFACTURING: &[Theme] = &[
    Theme {
        name: "毛衫",
        slug: "knitwear",
        leading: "毛衫/针织服装",
        lines: &[
            ("针织", "C1761"),
            ("毛衫", "C1829"),
            ("服饰", "C1819"),
            ("毛纺", "C1721"),
        ],
    },
    Theme {
        name: "经编",
        slug: "warp-knit",
        leading: "经编/家纺",
        lines: &[
            ("经编", "C1762"),
            ("家纺", "C1771"),
            ("纺织", "C1752"),
            ("针织", "C1761"),
        ],
    },
    Theme {
        name: "皮革",
        slug: "leather",
        leading: "皮革/箱包/服装",
        lines: &[
            ("皮革", "C1910"),
            ("箱包", "C1922"),
            ("服饰", "C1819"),
            ("鞋业", "C1952"),
        ],
    },
    Theme {
        name: "智能装备",
        slug: "equipment",
        leading: "智能装备制造",
        lines: &[
            ("机械", "C3484"),
            ("智能装备", "C3499"),
            ("精密机械", "C3489"),
            ("自动化科技", "C4011"),
        ],
    },
    Theme {
        name: "电子信息",
        slug: "electronics",
        leading: "电子信息",
        lines: &[
            ("电子", "C3985"),
            ("电子科技", "C3971"),
            ("光电科技", "C3976"),
            ("电器", "C3856"),
        ],
    },
    Theme {
        name: "新材料",
        slug: "materials",
        leading: "新材料",
        lines: &[
            ("新材料", "C2929"),
            ("塑业", "C2927"),
            ("化纤", "C2822"),
            ("复合材料", "C3062"),
        ],
    },
    Theme {
        name: "汽配",
        slug: "auto-parts",
        leading: "汽车零部件",
        lines: &[
            ("汽车配件", "C3670"),
            ("机械", "C3484"),
            ("五金", "C3389"),
            ("精密机械", "C3489"),
        ],
    },
    Theme {
        name: "五金",
        slug: "hardware",
        leading: "五金/紧固件",
        lines: &[
            ("五金", "C3389"),
            ("紧固件", "C3482"),
            ("金属制品", "C3399"),
            ("机械", "C3484"),
        ],
    },
    Theme {
        name: "时尚服装",
        slug: "fashion",
        leading: "服装/时尚产业",
        lines: &[
            ("服饰", "C1819"),
            ("服装", "C1811"),
            ("针织", "C1761"),
            ("制衣", "C1811"),
        ],
    },
    Theme {
        name: "绿色能源",
        slug: "green-energy",
        leading: "光伏/新能源装备",
        lines: &[
            ("新能源科技", "C3825"),
            ("光伏科技", "C3825"),
            ("电气", "C3829"),
            ("电子", "C3985"),
        ],
    },
];

/// Producer-services parks: (subtype, park name kind, slug, leading industry).
const SERVICES: &[(&str, &str, &str, &str)] = &[
    ("科技园", "科创园", "sci-tech", "科技研发与技术服务"),
    ("双创园", "双创中心", "innovation", "创新创业孵化"),
    ("文创园", "文创园", "creative", "文化创意与设计"),
    ("电商园", "电商产业园", "ecommerce", "电子商务"),
    ("软件园", "软件园", "software", "软件和信息技术服务"),
    ("其他", "服务业集聚区", "services", "生产性服务业"),
];

const PARK_KINDS: &[(&str, &str)] = &[
    ("小微企业园", "park"),
    ("创新园", "innovation-park"),
    ("产业园", "industrial-park"),
    ("智造园", "smart-park"),
    ("小微企业创业园", "startup-park"),
];

const WORDS: &[&str] = &[
    "恒达", "瑞丰", "华盛", "鼎盛", "宏远", "金诚", "永利", "天成", "博远", "新越", "嘉禾", "锦程",
    "泰和", "明辉", "安澜", "兴业", "德润", "汇丰", "中正", "佳乐", "众信", "嘉诚", "源通", "凯达",
    "华科", "欣荣", "长盛", "万利", "东升", "宏图", "精工", "立信", "远航", "盛泰", "和顺", "启明",
    "晨光", "星禾", "织梦", "绒境", "素纱", "羽织", "云杉", "栖梧", "暖纬", "千针", "拾光", "暮雪",
    "南风", "布谷", "锦绣", "雅韵", "丰源", "润泽", "清源", "海纳", "聚贤", "卓越", "信达", "鸿运",
    "创新", "博纳", "致远", "恒信", "双林", "金泰", "银河", "天益", "宝隆", "福临", "瑞祥", "嘉顺",
    "沃华", "禾润", "蓝海", "青松", "白鹭", "翠微", "丹枫", "紫薇", "春晖", "秋实", "冬青", "夏荷",
    "景泰", "康达", "乐成", "茂源", "普惠", "齐力", "荣昌", "盛世", "拓普", "维新", "协力", "扬帆",
    "亿达", "正泰", "智联", "卓能", "昊天", "梦溪", "南浔", "北辰", "西泠", "东湖", "鸣远", "桐华",
    "潮音", "盐韵", "湖畔", "禾丰", "稻香", "桑梓", "梧桐", "凤鸣",
];

const SURNAMES: &[&str] = &[
    "沈", "陆", "朱", "张", "王", "李", "徐", "钱", "许", "吴", "周", "陈", "顾", "姚", "金", "俞",
    "范", "蒋", "屠", "褚", "姜", "孙", "杨", "黄", "郑", "冯", "费", "盛", "曹", "戴",
];
const GIVEN: &[&str] = &[
    "建", "华", "佳", "怡", "晓", "峰", "思", "远", "伟", "强", "丽", "敏", "军", "杰", "静", "婷",
    "磊", "洋", "勇", "艳", "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "文", "斌", "宇",
    "浩", "凯", "欣", "悦",
];

fn person_name(rng: &mut Rng) -> String {
    let mut n = String::from(*rng.pick(SURNAMES));
    n.push_str(rng.pick::<&str>(GIVEN));
    if rng.chance(0.85) {
        n.push_str(rng.pick::<&str>(GIVEN));
    }
    n
}

fn mobile(rng: &mut Rng) -> String {
    let second = rng.pick(&["3", "5", "8", "7", "9"]);
    format!("1{second}{:09}", rng.range(0, 999_999_999))
}

fn phone(rng: &mut Rng) -> String {
    format!("0573-8{:07}", rng.range(0, 9_999_999))
}

// ---------------------------------------------------------------------------------------------------
// A park

#[derive(Clone, Copy, PartialEq)]
enum Sector {
    Industry,
    Wholesale,
    Retail,
    Software,
}

impl Sector {
    fn label(self) -> &'static str {
        match self {
            Sector::Industry => "工业",
            Sector::Wholesale => "批发业",
            Sector::Retail => "零售业",
            Sector::Software => "软件和信息技术服务业",
        }
    }
}

const HONOURS: &[&str] = &[
    "规上",
    "高新技术企业",
    "科技型中小企业",
    "专精特新",
    "专精特新小巨人",
    "隐形冠军",
    "单项冠军",
    "上市挂牌",
    "股改",
];

struct Tenant {
    v: V,
    active: bool,
    employees: i64,
    area: f64,
    honours: Vec<&'static str>,
    patents: i64,
    invention_patents: i64,
}

struct Ctx<'a> {
    rng: Rng,
    usccs: UsccSource,
    park_names: BTreeSet<String>,
    as_of: Date,
    county: &'a County,
}

struct ParkPlan {
    services: Option<(&'static str, &'static str, &'static str, &'static str)>,
    theme: &'static Theme,
    town: &'static str,
    operation: Date,
    upstairs: bool,
    max_floor: i64,
    /// Which optional tenant fields this operator fills in (forms differ in completeness).
    with_leading_flag: bool,
    with_industry_code: bool,
    with_area: bool,
    with_floor: bool,
}

fn tenant(
    ctx: &mut Ctx,
    plan: &ParkPlan,
    names: &mut BTreeSet<String>,
    medium_left: &mut usize,
) -> Tenant {
    let rng = &mut ctx.rng;
    let county = ctx.county;
    let sector = if plan.services.is_some() {
        *rng.weighted(&[
            (0.35, Sector::Software),
            (0.25, Sector::Wholesale),
            (0.20, Sector::Retail),
            (0.20, Sector::Industry),
        ])
    } else {
        *rng.weighted(&[
            (0.82, Sector::Industry),
            (0.07, Sector::Wholesale),
            (0.06, Sector::Retail),
            (0.05, Sector::Software),
        ])
    };
    let (line, industry_code) = match sector {
        Sector::Industry => *rng.pick(plan.theme.lines),
        Sector::Wholesale => {
            *rng.pick(&[("贸易", "F5179"), ("供应链", "F5132"), ("商贸", "F5199")])
        }
        Sector::Retail => *rng.pick(&[
            ("电子商务", "F5292"),
            ("商贸", "F5299"),
            ("跨境电子商务", "F5292"),
        ]),
        Sector::Software => *rng.pick(&[
            ("软件科技", "I6513"),
            ("信息技术", "I6531"),
            ("网络科技", "I6450"),
            ("数据科技", "I6550"),
        ]),
    };

    // A unique name in the park: prefix + word + line + legal form.
    let town = town_short(plan.town);
    let mut attempts = 0usize;
    let name = loop {
        attempts += 1;
        let prefix = match rng.range(0, 9) {
            0..=3 => format!("{}市{town}", county.short).replace("嘉兴市", "嘉兴"),
            4..=6 => county.short.to_string(),
            7 => "嘉兴".to_string(),
            _ => "浙江".to_string(),
        };
        let form = if rng.chance(0.04) {
            "股份有限公司"
        } else {
            "有限公司"
        };
        // A park of thousands of tenants runs out of combinations: number the rest.
        let n = if attempts > 50 {
            format!("{prefix}{}{line}第{}{form}", rng.pick(WORDS), names.len())
        } else {
            format!("{prefix}{}{line}{form}", rng.pick(WORDS))
        };
        if names.insert(n.clone()) {
            break n;
        }
    };

    // Figures first, then the size they imply.
    let tier = rng.weighted(&[
        (0.05, Size::Medium),
        (0.64, Size::Small),
        (0.28, Size::Micro),
    ]);
    let tier = if *tier == Size::Medium && *medium_left == 0 {
        Size::Small
    } else {
        *tier
    };
    let (employees, revenue) = match (sector, tier) {
        (Sector::Industry, Size::Medium) => {
            let x = rng.range(300, 620);
            (x, (x as f64 * rng.uniform(20.0, 55.0)).round())
        }
        (Sector::Industry, Size::Small) => {
            let x = rng.log_uniform(20.0, 160.0).round() as i64;
            (x, (x as f64 * rng.uniform(10.0, 45.0)).max(300.0).round())
        }
        (Sector::Industry, _) => {
            if rng.chance(0.6) {
                let x = rng.range(4, 19);
                (x, (x as f64 * rng.uniform(10.0, 40.0)).round())
            } else {
                (rng.range(20, 45), rng.range(80, 290) as f64)
            }
        }
        (Sector::Wholesale, Size::Medium) => (rng.range(20, 90), rng.range(5000, 16000) as f64),
        (Sector::Wholesale, Size::Small) => (rng.range(5, 40), rng.range(1000, 4800) as f64),
        (Sector::Wholesale, _) => (rng.range(2, 12), rng.range(150, 990) as f64),
        (Sector::Retail, Size::Medium) => (rng.range(50, 160), rng.range(500, 6000) as f64),
        (Sector::Retail, Size::Small) => (rng.range(10, 48), rng.range(100, 2800) as f64),
        (Sector::Retail, _) => (rng.range(2, 9), rng.range(30, 900) as f64),
        (Sector::Software, Size::Medium) => (rng.range(100, 260), rng.range(1000, 8000) as f64),
        (Sector::Software, Size::Small) => (rng.range(10, 95), rng.range(50, 2600) as f64),
        (Sector::Software, _) => (rng.range(3, 9), rng.range(20, 600) as f64),
    };
    let revenue = if revenue >= 1000.0 {
        (revenue / 10.0).round() * 10.0
    } else {
        revenue
    };
    let assets = (revenue * rng.uniform(0.35, 0.9)).round().max(10.0);
    let tax = revenue * rng.uniform(0.012, 0.05);
    let size = classify(sector.label(), employees as f64, revenue, assets);
    if size == Size::Medium {
        *medium_left = medium_left.saturating_sub(1);
    }

    let entered = Date::between(rng, plan.operation.plus(5), ctx.as_of.plus(-240));
    let exited = rng
        .chance(0.05)
        .then(|| Date::between(rng, entered.plus(180), ctx.as_of.plus(-10)));
    let area_per_head = if sector == Sector::Industry {
        rng.uniform(25.0, 50.0)
    } else {
        rng.uniform(10.0, 20.0)
    };
    let area = ((employees as f64 * area_per_head / 10.0).round() * 10.0).max(120.0);
    let floor = if sector == Sector::Industry && plan.services.is_none() {
        if rng.chance(0.55) {
            1
        } else {
            rng.range(2, plan.max_floor)
        }
    } else {
        rng.range(1, plan.max_floor)
    };

    // Titles held: 规上 follows revenue (SIZE-003 for 工业: revenue ≥ 2000 万元).
    let above_scale_line = match sector {
        Sector::Industry | Sector::Wholesale => 2000.0,
        Sector::Retail => 500.0,
        Sector::Software => 1000.0,
    };
    let techy =
        matches!(sector, Sector::Software) || line.contains("科技") || line.contains("电子");
    let mut honours = Vec::new();
    for &h in HONOURS {
        let p = match h {
            "规上" if revenue >= above_scale_line => 0.85,
            "规上" => 0.0,
            "高新技术企业" if size == Size::Micro => 0.0,
            "高新技术企业" => {
                if techy {
                    0.30
                } else {
                    0.07
                }
            }
            "科技型中小企业" => {
                if techy {
                    0.35
                } else {
                    0.12
                }
            }
            "专精特新" if revenue >= 1000.0 => 0.08,
            "专精特新小巨人" if size == Size::Medium => 0.10,
            "隐形冠军" if revenue >= 3000.0 => 0.05,
            "单项冠军" if size == Size::Medium => 0.03,
            "上市挂牌" if size == Size::Medium => 0.05,
            "股改" if revenue >= 1000.0 => 0.06,
            _ => 0.0,
        };
        if rng.chance(p) {
            honours.push(h);
        }
    }
    let patents = if honours.contains(&"高新技术企业") {
        rng.range(6, 40)
    } else if honours.contains(&"科技型中小企业") {
        rng.range(2, 12)
    } else {
        rng.range(0, 3)
    };
    let invention_patents = (patents as f64 * rng.uniform(0.0, 0.3)).floor() as i64;

    let mut m: Vec<(&'static str, V)> = vec![
        ("name", s(name)),
        ("uscc", code(ctx.usccs.issue(rng, county.code))),
        ("sector", s(sector.label())),
    ];
    if plan.with_industry_code {
        m.push(("industry_code", code(industry_code)));
    }
    if plan.with_leading_flag {
        let leading = sector == Sector::Industry || plan.services.is_some();
        m.push(("in_leading_industry", V::Bool(leading)));
    }
    m.push(("status", s(if exited.is_some() { "退出" } else { "入驻" })));
    m.push(("entered_on", V::Date(entered)));
    if let Some(d) = exited {
        m.push(("exited_on", V::Date(d)));
    }
    // The form's columns after 企业状态: 法定代表人, 联系人, 联系人手机 (FORM-022).
    let representative = person_name(rng);
    let contact = if rng.chance(0.3) {
        representative.clone()
    } else {
        person_name(rng)
    };
    m.push(("legal_representative", s(representative)));
    m.push((
        "contact",
        V::Map(vec![("name", s(contact)), ("mobile", code(mobile(rng)))]),
    ));
    m.extend([
        ("employees", int(employees)),
        ("revenue_10k_yuan", dec(revenue, 0)),
        ("assets_10k_yuan", dec(assets, 0)),
        ("tax_10k_yuan", dec(tax, 1)),
        ("declared_size", s(size.label())),
    ]);
    if plan.with_area {
        m.push(("area_m2", dec(area, 0)));
    }
    if plan.with_floor {
        m.push(("floor", int(floor)));
    }
    if plan.upstairs && floor == 1 && sector == Sector::Industry && rng.chance(0.3) {
        m.push(("heavy_equipment", V::Bool(true)));
    }
    if !honours.is_empty() {
        m.push(("honours", flow(&honours)));
    }
    Tenant {
        v: V::Map(m),
        active: exited.is_none(),
        employees,
        area,
        honours,
        patents,
        invention_patents,
    }
}

struct Park {
    county_slug: &'static str,
    slug: String,
    doc: V,
}

fn park(ctx: &mut Ctx, index: usize, tenants_n: usize, platform_seq: usize, seed: u64) -> Park {
    let county = ctx.county;
    let as_of = ctx.as_of;
    let rng = &mut ctx.rng;
    let &(town, town_slug) = rng.pick(county.towns);
    let services = if rng.chance(0.2) {
        Some(*rng.pick(SERVICES))
    } else {
        None
    };
    let theme = rng.pick(MANUFACTURING);
    let phased = rng.chance(0.1);
    let upstairs = services.is_none() && rng.chance(0.15);
    let max_floor = if services.is_some() {
        rng.range(8, 18)
    } else {
        rng.range(4, 6)
    };

    // Unique park name across the corpus (XDOC-002).
    let mut name;
    let mut tries = 0;
    loop {
        let base = match services {
            Some((_, kind, _, _)) => {
                format!(
                    "{}{}{}{kind}",
                    county.short,
                    town_short(town),
                    rng.pick(WORDS)
                )
            }
            None => format!(
                "{}{}{}",
                town_short(town),
                theme.name,
                rng.pick(PARK_KINDS).0
            ),
        };
        tries += 1;
        // Word lists run out only in a very large corpus: number the plot then.
        let base = if tries > 40 {
            format!("{base}{}号地块", index + 1)
        } else {
            base
        };
        name = if phased {
            format!("{base}（{}期）", rng.pick(&["一", "二", "三"]))
        } else {
            base
        };
        if ctx.park_names.insert(name.clone()) {
            break;
        }
    }
    let slug = match services {
        Some((_, _, slug, _)) => format!("{town_slug}-{slug}-{:04}", index + 1),
        None => format!("{town_slug}-{}-{:04}", theme.slug, index + 1),
    };

    // Dates: in operation for more than two years at as_of (no transition period, REC-009).
    let operation = Date::between(rng, Date::ymd(2014, 3, 1), Date::ymd(2023, 6, 30));
    let completion = operation.plus(-rng.range(15, 120));
    let construction_start = completion.plus(-rng.range(420, 1000));
    let filed_on = Date::between(rng, operation.plus(20), operation.plus(300));
    let plan = ParkPlan {
        services,
        theme,
        town,
        operation,
        upstairs,
        max_floor,
        with_leading_flag: rng.chance(0.25),
        with_industry_code: rng.chance(0.6),
        with_area: upstairs || rng.chance(0.8),
        with_floor: upstairs || rng.chance(if services.is_some() { 0.3 } else { 0.85 }),
    };

    // Tenants.
    let mut names = BTreeSet::new();
    let mut medium_left = tenants_n / 10;
    let tenants: Vec<Tenant> = (0..tenants_n)
        .map(|_| tenant(ctx, &plan, &mut names, &mut medium_left))
        .collect();
    let rng = &mut ctx.rng;
    let active: Vec<&Tenant> = tenants.iter().filter(|t| t.active).collect();
    let count = |h: &str| active.iter().filter(|t| t.honours.contains(&h)).count() as i64;
    let occupied: f64 = active.iter().map(|t| t.area).sum();

    // Buildings and land, derived from the space the tenants occupy.
    let sold = if rng.chance(0.3) {
        (occupied * rng.uniform(0.05, 0.2) / 100.0).round() * 100.0
    } else {
        0.0
    };
    // Rounded up: the tenants occupy no more than the sold and leased space (FORM-024).
    let leased = ((occupied - sold) / 100.0).ceil() * 100.0;
    let vacant_share = rng.uniform(0.03, 0.12);
    let non_facility = (sold + leased) / (1.0 - vacant_share) / rng.uniform(0.92, 0.99);
    let facility_share = rng.uniform(0.05, 0.12);
    let mut built = (non_facility / (1.0 - facility_share) / 100.0).ceil() * 100.0;
    let facility = (built * facility_share / 100.0).floor() * 100.0;
    let ratio = if services.is_some() {
        rng.uniform(2.2, 3.8)
    } else {
        rng.uniform(1.45, 2.6)
    };
    let mut mu = (built / ratio * 15.0 / 10000.0 * 10.0).round() / 10.0;
    if mu < 35.0 {
        mu = rng.range(35, 50) as f64;
    }
    let land_m2 = mu * 10000.0 / 15.0;
    // Keep the plot ratio at or above 1.4 whatever the rounding did (REC-007 wants ≥ 1.2).
    built = built.max((land_m2 * 1.4 / 100.0).ceil() * 100.0);
    let available =
        ((built - facility - sold - leased) * rng.uniform(0.6, 0.95) / 100.0).floor() * 100.0;
    let planned_mu = (mu * rng.uniform(1.0, 1.15) * 10.0).ceil() / 10.0;
    let planned_area = (built * rng.uniform(1.0, 1.2) / 100.0).ceil() * 100.0;
    let planned_facility = (facility * rng.uniform(1.0, 1.15) / 100.0).ceil() * 100.0;
    let footprint = (land_m2 * rng.uniform(0.36, 0.55) / 10.0).round() * 10.0;
    let green = (land_m2 * rng.uniform(0.08, 0.18) / 10.0).round() * 10.0;
    let admin = (land_m2 * rng.uniform(0.03, 0.062) / 10.0).round() * 10.0;
    let rent = if services.is_some() {
        rng.uniform(1.0, 2.4)
    } else {
        rng.uniform(0.45, 1.2)
    };
    let factory_buildings = if services.is_some() {
        0
    } else {
        (built / rng.uniform(2500.0, 6000.0)).round() as i64
    };

    let buildings_list: Vec<V> = (0..rng.range(2, 4))
        .map(|i| {
            let floors = if i == 0 {
                max_floor
            } else {
                rng.range(3.min(max_floor), max_floor)
            };
            let mut b: Vec<(&'static str, V)> = vec![
                (
                    "id",
                    code(format!(
                        "{}{}#",
                        ["A", "B", "C", "D", "E", "F"][i as usize],
                        rng.range(1, 12)
                    )),
                ),
                ("floors", int(floors)),
            ];
            let ground = if upstairs {
                rng.uniform(6.0, 7.5)
            } else if services.is_some() {
                rng.uniform(4.5, 5.4)
            } else {
                rng.uniform(5.0, 7.2)
            };
            let upper: Vec<f64> = (1..floors)
                .map(|_| {
                    if services.is_some() {
                        rng.uniform(3.6, 4.2)
                    } else {
                        rng.uniform(4.5, 5.2)
                    }
                })
                .collect();
            let height = ground + upper.iter().sum::<f64>() + rng.uniform(0.3, 1.5);
            b.push(("height_m", dec(height, 1)));
            if services.is_none() {
                b.push(("fire_class", s(*rng.pick(&["丙", "丙", "丙", "丁", "戊"]))));
            }
            if upstairs || (i == 0 && rng.chance(0.4)) {
                let mut fl = vec![V::Map(vec![
                    ("floor", int(1)),
                    ("height_m", dec(ground, 1)),
                    ("load_kn_m2", int(rng.range(12, 15))),
                    ("use", s("生产")),
                ])];
                for (k, h) in upper.iter().enumerate() {
                    let top = k + 2 == floors as usize;
                    fl.push(V::Map(vec![
                        ("floor", int(k as i64 + 2)),
                        ("height_m", dec(*h, 1)),
                        (
                            "load_kn_m2",
                            int(if top && !upstairs {
                                rng.range(5, 8)
                            } else {
                                rng.range(8, 10)
                            }),
                        ),
                        (
                            "use",
                            s(if top {
                                *rng.pick(&["研发", "办公", "仓储"])
                            } else {
                                "生产"
                            }),
                        ),
                    ]));
                }
                b.push(("floors_detail", V::Seq(fl)));
            }
            if floors > 2 {
                let lifts = rng.range(1, 3);
                b.push((
                    "freight_lifts",
                    V::Seq(
                        (0..lifts)
                            .map(|_| V::Map(vec![("capacity_t", int(*rng.pick(&[3, 3, 5])))]))
                            .collect(),
                    ),
                ));
            }
            V::Map(b)
        })
        .collect();

    // Development and operation.
    // The form's 开发建设模式 (note 6 of its instructions), 其他 aside.
    let dev_mode = *rng.pick(&[
        "政府主导开发",
        "龙头企业开发",
        "企业联合开发",
        "工业地产开发",
        "村集体联合开发",
        "专业机构开发",
    ]);
    let (nature, mode) = match dev_mode {
        "政府主导开发" => {
            *rng.pick(&[("国有", "政府主导运营"), ("民营", "第三方专业机构运营")])
        }
        "村集体联合开发" => {
            *rng.pick(&[("集体", "开发商负责运营"), ("民营", "第三方专业机构运营")])
        }
        _ => *rng.pick(&[("民营", "开发商负责运营"), ("民营", "第三方专业机构运营")]),
    };
    let invest = (built * rng.uniform(0.3, 0.5) / 10.0).round() * 10.0;
    let (st, co) = match nature {
        "国有" => (0.6, 0.1),
        "集体" => (0.1, 0.6),
        _ => (0.05, 0.05),
    };
    let state = (invest * st * rng.uniform(0.7, 1.1)).round();
    let collective = (invest * co * rng.uniform(0.5, 1.0)).round();
    let other = if rng.chance(0.2) {
        (invest * 0.03).round()
    } else {
        0.0
    };
    let private = invest - state - collective - other;

    let short = town_short(town);
    let developer_name = format!("{}{short}{}产业发展有限公司", county.short, rng.pick(WORDS));
    let operator_name = format!(
        "{}{short}{}园区运营管理有限公司",
        county.short,
        rng.pick(WORDS)
    );
    let developer_uscc = ctx.usccs.issue(rng, county.code);
    let operator_uscc = ctx.usccs.issue(rng, county.code);
    let head = person_name(rng);
    let contact = person_name(rng);
    let contact_mobile = mobile(rng);
    let staff = rng.range(6, 32);
    let staff_college = (staff as f64 * rng.uniform(0.65, 0.95))
        .ceil()
        .min(staff as f64) as i64;
    let email_user = rng.pick(&["service", "office", "zhaoshang", "yunying"]);

    let mut park_m: Vec<(&'static str, V)> = vec![
        ("name", s(name.clone())),
        ("status", s("已投运")),
        (
            "region",
            V::Map(vec![
                ("city", s("嘉兴市")),
                ("county", s(county.name)),
                ("town", s(town)),
            ]),
        ),
        ("region_code", code(county.code)),
        (
            "address",
            s(format!(
                "浙江省嘉兴市{}{town}{}路{}号（虚构地址）",
                county.name,
                rng.pick(WORDS),
                rng.range(1, 999)
            )),
        ),
        (
            "postcode",
            code(format!("{}{:02}", county.post, rng.range(0, 99))),
        ),
        (
            "location",
            V::Map(vec![
                ("lon", dec(county.lon + rng.uniform(-0.06, 0.06), 3)),
                ("lat", dec(county.lat + rng.uniform(-0.05, 0.05), 3)),
            ]),
        ),
        (
            "developer",
            V::Map(vec![
                ("name", s(developer_name)),
                ("uscc", code(developer_uscc)),
            ]),
        ),
        ("phased", V::Bool(phased)),
        (
            "dates",
            V::Map(vec![
                ("construction_start", V::Date(construction_start)),
                ("completion", V::Date(completion)),
                ("operation", V::Date(operation)),
            ]),
        ),
    ];
    match services {
        Some((subtype, _, _, leading)) => park_m.extend([
            ("type", s("生产性服务业等")),
            ("subtype", s(subtype)),
            ("leading_industry", s(leading)),
        ]),
        None => park_m.extend([
            ("type", s("生产制造类")),
            ("leading_industry", s(theme.leading)),
        ]),
    }
    park_m.push(("dev_mode", s(dev_mode)));
    if rng.chance(0.6) {
        let (level, by) = *rng.weighted(&[
            (0.3, ("一星", "县")),
            (0.3, ("二星", "县")),
            (0.25, ("三星", "市")),
            (0.1, ("四星", "省")),
            (0.05, ("五星", "省")),
        ]);
        let year = rng.range(2023.max(operation.year() + 1), 2025);
        park_m.push(comment(format!("{level}由{by}级评定")));
        park_m.push((
            "star",
            V::Map(vec![
                ("level", s(level)),
                ("rated_by", s(by)),
                ("rated_year", int(year)),
                ("valid_until", V::Date(Date::ymd(year + 3, 12, 31))),
            ]),
        ));
    }
    park_m.push((
        "filing",
        V::Map(vec![
            (
                "platform_id",
                code(format!("XWQY-{}-{platform_seq:04}", county.code)),
            ),
            ("filed_on", V::Date(filed_on)),
        ]),
    ));
    // Recognition began with the 2018 measures (浙中小企业办〔2018〕18号); batch 3 was 2018's.
    let rec_year = (filed_on.year() + rng.range(0, 1)).clamp(2018, 2025);
    park_m.push((
        "recognition",
        V::Map(vec![
            ("batch", int(rec_year - 2015)),
            ("year", int(rec_year)),
        ]),
    ));
    park_m.push(("upstairs", V::Bool(upstairs)));

    let land_use: &[&str] = if services.is_some() {
        &["商服用地"]
    } else {
        &["工业用地"]
    };
    let land = V::Map(vec![
        (
            "source",
            s(*rng.weighted(&[(0.8, "出让"), (0.1, "划拨"), (0.1, "租用")])),
        ),
        ("use", flow(land_use)),
        ("planned_area_mu", dec(planned_mu, 1)),
        comment(format!("≈ {} ㎡", dec_text(land_m2, 0))),
        ("actual_area_mu", dec(mu, 1)),
        comment(format!(
            "建筑系数 ≈ {} %",
            dec_text(footprint / land_m2 * 100.0, 1)
        )),
        ("footprint_m2", dec(footprint, 0)),
        ("green_area_m2", dec(green, 0)),
        ("admin_service_land_m2", dec(admin, 0)),
    ]);
    let investment = V::Map(vec![
        (
            "planned_10k_yuan",
            dec((invest * rng.uniform(1.0, 1.2) / 10.0).round() * 10.0, 0),
        ),
        ("actual_10k_yuan", dec(invest, 0)),
        ("state_10k_yuan", dec(state, 0)),
        ("collective_10k_yuan", dec(collective, 0)),
        ("private_10k_yuan", dec(private, 0)),
        ("other_10k_yuan", dec(other, 0)),
    ]);
    let buildings = V::Map(vec![
        ("planned_area_m2", dec(planned_area, 0)),
        ("planned_facility_area_m2", dec(planned_facility, 0)),
        comment(format!("容积率 ≈ {}", dec_text(built / land_m2, 2))),
        ("built_area_m2", dec(built, 0)),
        comment(format!(
            "配套占比 ≈ {} %",
            dec_text(facility / built * 100.0, 1)
        )),
        ("built_facility_area_m2", dec(facility, 0)),
        ("sold_m2", dec(sold, 0)),
        ("leased_m2", dec(leased, 0)),
        ("available_m2", dec(available, 0)),
        ("rent_yuan_per_m2_day", dec(rent, 2)),
        ("factory_buildings", int(factory_buildings)),
        comment("代表性楼栋（非全部）"),
        ("list", V::Seq(buildings_list)),
    ]);

    let facilities = rng.subset(
        &[
            "宿舍公寓",
            "食堂餐饮",
            "便利超市",
            "图书资料室",
            "运动休闲场馆",
            "会议场馆",
            "展览展示场馆",
            "光纤宽带",
            "仓储",
            "物流",
            "共享仪器设备",
            "研发中心",
            "中试基地",
            "公共实验室",
            "公共检测室",
            "集中环保处理",
        ],
        0.6,
        4,
    );
    let services_offered = rng.subset(
        &[
            "政策与信息服务",
            "政务代办服务",
            "投融资服务",
            "创业辅导服务",
            "人才招聘引进服务",
            "教育培训服务",
            "管理咨询服务",
            "技术与质量服务",
            "研发设计服务",
            "检验检测服务",
            "法律服务",
            "知识产权服务",
            "市场开拓服务",
            "财务代理服务",
            "物业管理服务",
            "固定资产租赁服务",
            "信息化服务",
            "媒体宣传推广",
        ],
        0.6,
        5,
    );
    let mut documents = vec!["职责制度", "服务流程", "应急预案", "安全生产统一管理"];
    if rng.chance(0.7) {
        documents.push("入园准入标准");
    }
    let operator = V::Map(vec![
        ("name", s(operator_name.clone())),
        ("uscc", code(operator_uscc)),
        ("nature", s(nature)),
        ("mode", s(mode)),
        ("staff", int(staff)),
        ("staff_college", int(staff_college)),
        (
            "head",
            V::Map(vec![
                ("name", s(head.clone())),
                ("mobile", code(mobile(rng))),
                ("phone", code(phone(rng))),
            ]),
        ),
        (
            "contact",
            V::Map(vec![
                ("name", s(contact.clone())),
                ("mobile", code(contact_mobile.clone())),
                ("phone", code(phone(rng))),
                ("email", s(format!("{email_user}@{slug}.example.cn"))),
            ]),
        ),
        ("documents", flow(&documents)),
        ("credit_blacklisted", V::Bool(false)),
    ]);

    let accidents = if rng.chance(0.05) {
        vec![V::Map(vec![
            (
                "date",
                V::Date(Date::between(
                    rng,
                    Date::ymd(2025, 1, 10),
                    Date::ymd(2025, 11, 30),
                )),
            ),
            ("level", s("一般")),
        ])]
    } else {
        Vec::new()
    };
    let hazards: Vec<V> = (0..rng.range(0, 3))
        .map(|k| {
            let found = Date::between(rng, Date::ymd(2025, 1, 5), Date::ymd(2025, 12, 20));
            let deadline = found.plus(30);
            let mut h = vec![
                (
                    "id",
                    s(format!(
                        "YH-{}-2025-{:03}",
                        town_slug.to_ascii_uppercase(),
                        k * 17 + rng.range(1, 16)
                    )),
                ),
                ("found_on", V::Date(found)),
                ("deadline", V::Date(deadline)),
            ];
            if deadline <= as_of || rng.chance(0.5) {
                h.push((
                    "rectified_on",
                    V::Date(Date::between(rng, found.plus(2), deadline.plus(-1)).min_date(as_of)),
                ));
            }
            V::Map(h)
        })
        .collect();
    let safety = V::Map(vec![
        ("fire_responsibility_signed", V::Bool(true)),
        ("drills_last_12m", int(rng.range(1, 4))),
        ("fire_equipment_expired", V::Bool(false)),
        (
            "central_environmental_treatment",
            V::Bool(services.is_none() && rng.chance(0.6)),
        ),
        ("accidents_last_12m", V::Seq(accidents)),
        ("hazards", V::Seq(hazards)),
    ]);
    let reporting = V::Map(vec![
        (
            "reporter",
            V::Map(vec![("name", s(contact)), ("mobile", code(contact_mobile))]),
        ),
        (
            "quarterly_submitted",
            flow(&[
                "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3",
                "2025-Q4",
            ]),
        ),
        ("annual_submitted", V::Bool(true)),
    ]);

    let patents: i64 = active.iter().map(|t| t.patents).sum();
    let invention: i64 = active.iter().map(|t| t.invention_patents).sum();
    let employees: i64 = active.iter().map(|t| t.employees).sum();
    // The form's 其中 rows of the employees: a few programme talents, some masters and seniors.
    let talents = (employees as f64 * rng.uniform(0.0, 0.004)).floor() as i64;
    let masters = (employees as f64 * rng.uniform(0.02, 0.08)).floor() as i64;
    let totals = V::Map(vec![
        ("tenants", int(active.len() as i64)),
        ("above_scale", int(count("规上"))),
        ("high_tech", int(count("高新技术企业"))),
        ("tech_sme", int(count("科技型中小企业"))),
        ("hidden_champion", int(count("隐形冠军"))),
        ("shareholding_reformed", int(count("股改"))),
        ("listed", int(count("上市挂牌"))),
        ("employees", int(employees)),
        ("talents_national_provincial", int(talents)),
        ("masters_or_senior", int(masters)),
        ("patents", int(patents)),
        ("invention_patents", int(invention)),
    ]);

    let attachments = V::Seq(vec![
        V::Map(vec![
            ("kind", s("承诺函")),
            ("issuer", s(operator_name)),
            ("issued_on", V::Date(Date::ymd(2025, 12, rng.range(20, 29)))),
        ]),
        V::Map(vec![
            ("kind", s("安全生产责任书")),
            (
                "issuer",
                s(format!("{}{town}人民政府", county.name).replace("街道人民政府", "街道办事处")),
            ),
            (
                "issued_on",
                V::Date(Date::ymd(2025, rng.range(1, 3), rng.range(1, 28))),
            ),
            (
                "valid_until",
                V::Date(Date::ymd(2026, rng.range(3, 12), rng.range(1, 28))),
            ),
        ]),
        V::Map(vec![
            ("kind", s("消防验收意见书")),
            (
                "number",
                code(format!(
                    "嘉建消验字〔{}〕第{:04}号",
                    completion.year(),
                    rng.range(1, 999)
                )),
            ),
            (
                "issuer",
                s(format!("嘉兴市{}住房和城乡建设局", county.name)),
            ),
            (
                "issued_on",
                V::Date(completion.plus(rng.range(5, 40)).min_date(operation)),
            ),
        ]),
        V::Map(vec![
            ("kind", s("土地证")),
            (
                "number",
                code(format!(
                    "浙（{}）{}不动产权第{:07}号",
                    construction_start.year(),
                    county.name,
                    rng.range(1, 9_999_999)
                )),
            ),
            ("issuer", s(format!("{}自然资源和规划局", county.name))),
            (
                "issued_on",
                V::Date(construction_start.plus(-rng.range(20, 200))),
            ),
        ]),
    ]);

    let mut tenant_seq: Vec<V> = Vec::with_capacity(tenants.len());
    for t in tenants {
        tenant_seq.push(t.v);
    }
    let kind_label = services.map_or("生产制造类", |_| "生产性服务业等");
    let doc = V::Map(vec![
        comment(format!(
            "{name}（{}{}）— 年度运行数据 / annual data",
            county.name, town
        )),
        comment(format!(
            "parkcheck benchmark corpus: generated by examples/gen_corpus.rs (seed {seed}); {kind_label}; all names, codes and figures are fictional"
        )),
        ("format", s("parkcheck/v1")),
        ("kind", s("annual")),
        ("as_of", V::Date(as_of)),
        ("park", V::Map(park_m)),
        ("land", land),
        ("investment", investment),
        ("buildings", buildings),
        ("facilities", flow(&facilities)),
        ("services", flow(&services_offered)),
        ("operator", operator),
        ("safety", safety),
        ("reporting", reporting),
        comment("入驻企业名录；已退出的企业保留在名录中，不计入汇总数据"),
        ("tenants", V::Seq(tenant_seq)),
        ("totals", totals),
        ("attachments", attachments),
        (
            "declaration",
            V::Map(vec![
                ("statement", V::Bool(true)),
                ("signed_by", s(head)),
                ("signed_on", V::Date(Date::ymd(2025, 12, rng.range(26, 30)))),
            ]),
        ),
    ]);
    Park {
        county_slug: county.slug,
        slug,
        doc,
    }
}

trait MinDate {
    fn min_date(self, other: Date) -> Date;
}
impl MinDate for Date {
    fn min_date(self, other: Date) -> Date {
        if self.0 <= other.0 { self } else { other }
    }
}

// ---------------------------------------------------------------------------------------------------

fn run(args: &Args) -> Result<(), String> {
    // The check character against codes from the bundled examples (documented in docs/domain.md, FORM-018).
    for known in [
        "913304836925620704",
        "91330483MA4KUDBA3X",
        "91330411MA3600AH06",
    ] {
        let b = known.as_bytes();
        if uscc_check_char(&b[..17]) != Some(b[17])
            || org_check_char(&b[8..16]) != Some(char::from(b[16]))
        {
            return Err(format!("internal error: USCC check character of {known}"));
        }
    }

    let parks_dir = args.out.join("parks");
    if parks_dir.exists() {
        if !args.force {
            return Err(format!(
                "{} exists; pass --force to replace it",
                parks_dir.display()
            ));
        }
        fs::remove_dir_all(&parks_dir).map_err(|e| format!("{}: {e}", parks_dir.display()))?;
    }
    let manifest = args.out.join("CORPUS.txt");
    if manifest.exists() {
        fs::remove_file(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    }

    let mut rng = Rng::new(args.seed);
    let mut usccs = UsccSource {
        next: rng.next_u64() % 1_000_000,
    };
    let mut park_names = BTreeSet::new();
    let mut platform_seq = [0usize; 7];
    let (mut files, mut yaml_files, mut json_files) = (0usize, 0usize, 0usize);
    let (mut bytes, mut yaml_bytes, mut json_bytes, mut tenants_total) = (0u64, 0u64, 0u64, 0usize);
    let mut made_dirs = BTreeSet::new();

    for i in 0..args.parks {
        // Counties weighted roughly by their number of parks.
        let ci = *rng.weighted(&[
            (1.0, 0),
            (1.0, 1),
            (1.0, 2),
            (0.8, 3),
            (1.3, 4),
            (1.0, 5),
            (1.4, 6),
        ]);
        platform_seq[ci] += 1;
        let as_json = rng.f64() < args.json_share;
        let park_seed = rng.next_u64();
        let mut ctx = Ctx {
            rng: Rng::new(park_seed),
            usccs,
            park_names,
            as_of: Date::ymd(2025, 12, 31),
            county: &COUNTIES[ci],
        };
        let p = park(&mut ctx, i, args.tenants, platform_seq[ci], args.seed);
        usccs = ctx.usccs;
        park_names = ctx.park_names;

        let dir = parks_dir.join(p.county_slug);
        if made_dirs.insert(p.county_slug) {
            fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let mut text = String::with_capacity(64 * 1024 + args.tenants * 420);
        let path: PathBuf = if as_json {
            if args.minify {
                compact(&mut text, &p.doc, false);
            } else {
                json_value(&mut text, &p.doc, 0);
            }
            text.push('\n');
            json_files += 1;
            json_bytes += text.len() as u64;
            dir.join(format!("{}.json", p.slug))
        } else {
            if args.yaml_flow {
                compact(&mut text, &p.doc, true);
                text.push('\n');
            } else if let V::Map(m) = &p.doc {
                yaml_map(&mut text, m, 0);
            }
            yaml_files += 1;
            yaml_bytes += text.len() as u64;
            dir.join(format!("{}.yaml", p.slug))
        };
        fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
        files += 1;
        bytes += text.len() as u64;
        tenants_total += args.tenants;
    }

    let summary = format!(
        "parks {} tenants/park {} seed {} json-share {}{}\nfiles {files} (yaml {yaml_files}, json {json_files})\nbytes {bytes} (yaml {yaml_bytes}, json {json_bytes})\ntenants {tenants_total}\n",
        args.parks,
        args.tenants,
        args.seed,
        args.json_share,
        match (args.minify, args.yaml_flow) {
            (true, true) => " minify yaml-flow",
            (true, false) => " minify",
            (false, true) => " yaml-flow",
            (false, false) => "",
        }
    );
    fs::write(&manifest, &summary).map_err(|e| format!("{}: {e}", manifest.display()))?;
    println!(
        "wrote {files} file(s) ({yaml_files} YAML, {json_files} JSON), {tenants_total} tenants, {bytes} bytes ({:.1} MB, {:.1} MiB) under {}",
        bytes as f64 / 1e6,
        bytes as f64 / (1024.0 * 1024.0),
        display(&parks_dir)
    );
    Ok(())
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_corpus: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("gen_corpus: {e}");
        std::process::exit(1);
    }
}
