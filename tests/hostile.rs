//! The hostile corpus (tests/hostile/expected.yaml): every input ends with its declared exit code
//! and diagnostic, within a time and a memory limit, without a panic, and a run over all of them
//! together still checks the good files among them.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stderr
)]

mod common;

use std::fmt::Write as _;
use std::io::Write as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use parkcheck::document::{Limits, Node, Syntax, Value, load_bytes};
use parkcheck::finding::FileReport;
use serde_json::Value as Json;

use common::root;

/// Wall-clock limit of one run: far above what the slowest input (200 000 tenants) takes in a
/// debug build (the whole hostile test took 48 s in a cold `.ci/run`, that input twice in it).
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// Address-space limit of one run, in KiB (`ulimit -v`): generous for threads' reserved
/// stacks and arenas, far below what expanding an alias bomb or reading 2 GB would need.
const MEMORY_LIMIT_KIB: u64 = 3 * 1024 * 1024;

/// The clean submission every generated input is built from (the structural fixtures' base).
fn clean_base() -> String {
    let text = std::fs::read_to_string(root().join("fixtures/structural/bom-crlf.yaml")).unwrap();
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    text.lines()
        .skip_while(|l| l.starts_with('#') || l.is_empty())
        .fold(String::new(), |mut out, l| {
            out.push_str(l);
            out.push('\n');
            out
        })
}

struct Case {
    name: String,
    path: PathBuf,
    exit: i32,
    expect: Vec<Expected>,
    alone: bool,
    /// A bound on the run's wall time, tighter than [`TIME_LIMIT`].
    seconds: Option<f64>,
}

struct Expected {
    rule: String,
    pointer: Option<String>,
    message: Option<String>,
}

fn str_at<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    match node.get(key).map(|n| &n.value) {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    }
}

/// Reads the manifest with the checker's own loader and writes the generated inputs.
fn cases(dir: &Path) -> Vec<Case> {
    let bytes = std::fs::read(root().join("tests/hostile/expected.yaml")).unwrap();
    let doc = load_bytes("expected.yaml", bytes, Syntax::Yaml, &Limits::default())
        .unwrap_or_else(|u| panic!("manifest: {:?}", u.error));
    let Value::Seq(items) = &doc.root.value else {
        panic!("the manifest is a list");
    };
    items
        .iter()
        .map(|item| {
            let name = str_at(item, "name").unwrap().to_owned();
            let path = match (str_at(item, "file"), str_at(item, "generate")) {
                (Some(file), None) => root().join(file),
                (None, Some(kind)) => generate(kind, dir),
                _ => panic!("{name}: give `file` or `generate`"),
            };
            let exit = match item.get("exit").map(|n| &n.value) {
                Some(Value::Int(code)) => i32::try_from(*code).unwrap(),
                _ => panic!("{name}: no exit code"),
            };
            let Some(Value::Seq(expect)) = item.get("expect").map(|n| &n.value) else {
                panic!("{name}: no expectations");
            };
            let expect = expect
                .iter()
                .map(|e| Expected {
                    rule: str_at(e, "rule").unwrap().to_owned(),
                    pointer: str_at(e, "pointer").map(str::to_owned),
                    message: str_at(e, "message").map(str::to_owned),
                })
                .collect();
            let alone = matches!(item.get("alone").map(|n| &n.value), Some(Value::Bool(true)));
            let seconds = match item.get("seconds").map(|n| &n.value) {
                Some(Value::Int(s)) => Some(*s as f64),
                Some(Value::Float(s)) => Some(*s),
                _ => None,
            };
            Case {
                name,
                path,
                exit,
                expect,
                alone,
                seconds,
            }
        })
        .collect()
}

/// Writes the input `kind` into `dir` and returns the path to give the checker.
fn generate(kind: &str, dir: &Path) -> PathBuf {
    let path = dir.join(kind);
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    match kind {
        "binary-garbage" => write(
            "garbage.yaml",
            &(0..=255u8).cycle().take(4096).collect::<Vec<_>>(),
        ),
        "xlsx-renamed-yaml" => {
            // A real workbook, as Excel writes it.
            let path = dir.join("园区申报.yaml");
            let mut book = rust_xlsxwriter::Workbook::new();
            book.add_worksheet().write_string(0, 0, "园区名称").unwrap();
            book.save(&path).unwrap();
            path
        }
        "xls-renamed-yaml" => write(
            "old-excel.yaml",
            &[
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
                &[0u8; 504][..],
            ]
            .concat(),
        ),
        "pdf-renamed-json" => write(
            "scan.json",
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        ),
        "png-renamed-yaml" => write(
            "photo.yaml",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06",
        ),
        "gzip-renamed-yaml" => write(
            "parks.yaml",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x07\x00",
        ),
        "deep-flow" => write(
            "deep-flow.yaml",
            format!("a: {}\n", "[".repeat(50_000)).as_bytes(),
        ),
        "deep-block" => write(
            "deep-block.yaml",
            format!("{}x\n", "- ".repeat(50_000)).as_bytes(),
        ),
        "deep-json" => write(
            "deep.json",
            format!("{}{}", "[".repeat(50_000), "]".repeat(50_000)).as_bytes(),
        ),
        "huge-100mb" => {
            let p = dir.join("huge.yaml");
            let mut file = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
            let line = "- 嘉善姚庄精密机械小微企业园 / a line of filler text to reach 100 MB\n";
            for _ in 0..100_000_000 / line.len() + 1 {
                file.write_all(line.as_bytes()).unwrap();
            }
            file.flush().unwrap();
            p
        }
        "sparse-2gb" => {
            let p = dir.join("sparse.yaml");
            std::fs::File::create(&p)
                .unwrap()
                .set_len(2 * 1024 * 1024 * 1024)
                .unwrap();
            p
        }
        "long-line" => {
            let base = clean_base();
            let long = "a".repeat(10 * 1024 * 1024);
            let text = base.replacen("  status: 已投运\n", &format!("  status: {long}\n"), 1);
            assert_ne!(text, base);
            write("long-line.yaml", text.as_bytes())
        }
        "tenants-200k" => write("tenants.yaml", tenants(200_000).as_bytes()),
        "tenants-20k-minified-json" => {
            let json = serde_json::to_string(&tenants_tree(20_000)).unwrap();
            assert!(!json.contains('\n'));
            write("tenants-minified.json", json.as_bytes())
        }
        "tenants-20k-flow-yaml" => {
            let mut yaml = String::new();
            flow(&mut yaml, &tenants_tree(20_000));
            assert!(!yaml.contains('\n'));
            yaml.push('\n');
            write("tenants-flow.yaml", yaml.as_bytes())
        }
        "inner-list-20k" => {
            let base = std::fs::read_to_string(
                root().join("fixtures/rules/UP-001/fail-ground-and-upper.yaml"),
            )
            .unwrap();
            let floor = "        - {floor: 2, height_m: 5.4, load_kn_m2: 10, use: 生产}\n";
            assert!(base.contains(floor));
            write(
                "floors.yaml",
                base.replacen(floor, &floor.repeat(20_000), 1).as_bytes(),
            )
        }
        "symlink-loop" => {
            std::fs::create_dir_all(path.join("sub")).unwrap();
            std::os::unix::fs::symlink("loop.yaml", path.join("loop.yaml")).unwrap();
            std::os::unix::fs::symlink("..", path.join("sub/up")).unwrap();
            path
        }
        "unreadable" => {
            let p = write("unreadable.yaml", clean_base().as_bytes());
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
            if std::fs::read(&p).is_ok() {
                // Root reads a file of mode 000. Reading /proc/self/mem from offset 0 fails
                // with EIO whoever reads it: an unreadable regular file all the same.
                eprintln!(
                    "hostile/unreadable: running as root, where mode 000 does not stop reading; using /proc/self/mem instead"
                );
                return PathBuf::from("/proc/self/mem");
            }
            p
        }
        "directory-named-like-a-file" => {
            let p = dir.join("park.yaml");
            std::fs::create_dir(&p).unwrap();
            std::fs::write(p.join("notes.txt"), "not a submission").unwrap();
            p
        }
        "form-workbook-renamed-yaml" => {
            let path = dir.join("园区申报表.yaml");
            std::fs::write(
                &path,
                form_workbook(&[("企业名称 *", "桐乡市濮院栖梧针织有限公司")]),
            )
            .unwrap();
            path
        }
        "yaml-renamed-xlsx" => write(
            "园区申报.xlsx",
            &std::fs::read(root().join("fixtures/examples/puyuan-sweater-park.yaml")).unwrap(),
        ),
        "zip-bomb-declared" => {
            // A sheet whose directory entry declares 3 GiB (the part itself is small): refused
            // before anything is inflated.
            let mut bytes =
                zip_parts(&[("xl/worksheets/sheet1.xml", SheetBody::Text("<worksheet/>"))]);
            patch_sizes(
                &mut bytes,
                "xl/worksheets/sheet1.xml",
                3 * 1024 * 1024 * 1024,
            );
            write("bomb-declared.xlsx", &bytes)
        }
        "zip-bomb-inflated" => {
            // A sheet of 1 GiB of zeros (about a megabyte deflated) whose headers claim 1 KiB:
            // refused while inflating, by the bytes counted, with bounded memory.
            let mut bytes = zip_parts(&[("xl/worksheets/sheet1.xml", SheetBody::Zeros(1 << 30))]);
            patch_sizes(&mut bytes, "xl/worksheets/sheet1.xml", 1024);
            write("bomb-inflated.xlsx", &bytes)
        }
        "corrupt-zip" => {
            let book = form_workbook(&[("企业名称 *", "甲")]);
            write("truncated.xlsx", &book[..book.len() / 2])
        }
        "encrypted-workbook" => {
            // What Excel saves with a password to open: an OLE compound file whose directory
            // holds the streams EncryptionInfo and EncryptedPackage (names in UTF-16).
            let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
            bytes.resize(1024, 0);
            for name in ["EncryptionInfo", "EncryptedPackage"] {
                bytes.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
                bytes.resize(bytes.len() + 128 - name.len() * 2, 0);
            }
            write("加密.xlsx", &bytes)
        }
        "rows-1048576" => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            sheet.set_name("入驻企业名录").unwrap();
            sheet.write_string(0, 0, "企业名称 *").unwrap();
            for row in 1..1_048_576u32 {
                sheet.write_number(row, 0, f64::from(row)).unwrap();
            }
            let path = dir.join("rows.xlsx");
            book.save(&path).unwrap();
            path
        }
        "columns-16384" => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            sheet.set_name("入驻企业名录").unwrap();
            for col in 0..16_384u16 {
                sheet.write_string(0, col, "企业名称").unwrap();
            }
            let path = dir.join("columns.xlsx");
            book.save(&path).unwrap();
            path
        }
        "cell-32767" => {
            let long = "濮".repeat(32_767);
            write(
                "long-cell.xlsx",
                &form_workbook(&[("企业名称 *", long.as_str())]),
            )
        }
        "external-links" => {
            let book = form_workbook(&[("企业名称 *", "甲")]);
            let bytes = with_parts(
                &book,
                &[(
                    "xl/externalLinks/externalLink1.xml",
                    "<externalLink xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><externalBook r:id=\"rId1\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"/></externalLink>",
                )],
            );
            write("links.xlsx", &bytes)
        }
        "macros-xlsm" => {
            let book = form_workbook(&[("企业名称 *", "甲")]);
            let bytes = with_parts(
                &book,
                &[(
                    "xl/vbaProject.bin",
                    "Attribute VB_Name = \"Module1\"\nSub AutoOpen()\nShell \"calc\"\nEnd Sub",
                )],
            );
            write("宏.xlsm", &bytes)
        }
        other => panic!("no generator `{other}`"),
    }
}

/// A small workbook of the form: 基本信息 with the park's name, 入驻企业名录 with one tenant row
/// of `(header, value)` cells.
fn form_workbook(tenant: &[(&str, &str)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let basic = book.add_worksheet();
    basic.set_name("基本信息").unwrap();
    for (col, header) in (0u16..).zip(["项目", "填写内容", "单位", "字段", "说明"]) {
        basic.write_string(0, col, header).unwrap();
    }
    basic.write_string(1, 0, "园区名称 *").unwrap();
    basic.write_string(1, 1, "濮院毛衫创新园").unwrap();
    basic.write_string(1, 3, "park.name").unwrap();
    let tenants = book.add_worksheet();
    tenants.set_name("入驻企业名录").unwrap();
    for (col, (header, value)) in (0u16..).zip(tenant) {
        tenants.write_string(0, col, *header).unwrap();
        tenants.write_string(1, col, *value).unwrap();
    }
    book.save_to_buffer().unwrap()
}

enum SheetBody<'a> {
    Text(&'a str),
    Zeros(usize),
}

/// A zip that sniffs as a workbook ([Content_Types].xml, xl/workbook.xml) with `parts`.
fn zip_parts(parts: &[(&str, SheetBody<'_>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("xl/workbook.xml", options).unwrap();
    zip.write_all(b"<workbook/>").unwrap();
    for (name, body) in parts {
        zip.start_file(*name, options.large_file(false)).unwrap();
        match body {
            SheetBody::Text(text) => zip.write_all(text.as_bytes()).unwrap(),
            SheetBody::Zeros(n) => {
                let block = vec![b'0'; 1 << 20];
                for _ in 0..n / block.len() {
                    zip.write_all(&block).unwrap();
                }
            }
        }
    }
    zip.finish().unwrap().into_inner()
}

/// `book` with `extra` parts added (copied entry by entry, nothing re-inflated).
fn with_parts(book: &[u8], extra: &[(&str, &str)]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        zip.raw_copy_file(archive.by_index_raw(i).unwrap()).unwrap();
    }
    for (name, text) in extra {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Rewrites the uncompressed size that the local header and the central directory declare
/// for the entry `name` (32-bit fields: a zip without zip64 records).
fn patch_sizes(bytes: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    let mut patched = 0;
    for at in 0..bytes.len().saturating_sub(46) {
        let (sig, name_len_at, size_at, header) = match &bytes[at..at + 4] {
            b"PK\x03\x04" => (true, 26, 22, 30),
            b"PK\x01\x02" => (true, 28, 24, 46),
            _ => (false, 0, 0, 0),
        };
        if !sig {
            continue;
        }
        let len = usize::from(u16::from_le_bytes([
            bytes[at + name_len_at],
            bytes[at + name_len_at + 1],
        ]));
        if bytes.get(at + header..at + header + len) == Some(name) {
            bytes[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "the local header and the directory entry");
}

/// The clean submission with `count` distinct tenants (valid credit codes, the form's columns
/// given), its totals left at the base's ten.
fn tenants(count: usize) -> String {
    let base = clean_base();
    let start = base.find("tenants:\n").unwrap();
    let end = base.find("totals:\n").unwrap();
    let mut list = String::with_capacity(count * 200);
    list.push_str("tenants:\n");
    for i in 0..count {
        let _ = writeln!(
            list,
            "  - {{name: 姚庄第{i}号机械有限公司, uscc: \"{}\", sector: 工业, status: 入驻, entered_on: 2023-07-03, legal_representative: 沈军, contact: {{name: 沈丽, mobile: \"13905730000\"}}, employees: 45, revenue_10k_yuan: 1800}}",
            uscc(i)
        );
    }
    format!(
        "{}{list}{}",
        base.get(..start).unwrap(),
        base.get(end..).unwrap()
    )
}

/// The submission of [`tenants`] as a JSON value (read with the checker's own loader).
fn tenants_tree(count: usize) -> Json {
    let doc = load_bytes(
        "tenants.yaml",
        tenants(count).into_bytes(),
        Syntax::Yaml,
        &Limits::default(),
    )
    .unwrap_or_else(|u| panic!("{:?}", u.error));
    doc.root.to_json()
}

/// A YAML flow collection on one line: `{key: "text", list: [1, 2]}`.
fn flow(out: &mut String, value: &Json) {
    match value {
        Json::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push_str(": ");
                flow(out, v);
            }
            out.push('}');
        }
        Json::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flow(out, v);
            }
            out.push(']');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap()),
    }
}

/// A valid unified social credit code (GB 32100-2015) numbered `n`, its organisation code
/// (characters 9–17) valid too (GB 11714-1997).
fn uscc(n: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let mut code = b"91330421MA".to_vec();
    let mut rest = n;
    for _ in 0..6 {
        code.push(ALPHABET[rest % 31]);
        rest /= 31;
    }
    let org: u32 = code[8..16]
        .iter()
        .zip([3, 7, 9, 10, 5, 8, 4, 2])
        .map(|(c, w)| char::from(*c).to_digit(36).unwrap() * w)
        .sum();
    code.push(match 11 - org % 11 {
        10 => b'X',
        11 => b'0',
        c => b'0' + u8::try_from(c).unwrap(),
    });
    let sum: usize = code
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| ALPHABET.iter().position(|a| a == c).unwrap() * w)
        .sum();
    code.push(ALPHABET[(31 - sum % 31) % 31]);
    String::from_utf8(code).unwrap()
}

/// `parkcheck ARGS…` under the time and memory limits.
fn limited(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let mut cmd = Command::new("sh");
    cmd.current_dir(root())
        .env("COLUMNS", "80")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_parkcheck"))
        .args(args)
        .timeout(TIME_LIMIT);
    cmd.output().unwrap()
}

/// The exit code, or why there is none (a signal: a crash, the timeout or the memory limit).
fn exit_code(name: &str, output: &std::process::Output) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    match output.status.code() {
        Some(code) => code,
        None => panic!(
            "{name}: killed by signal {:?} (timeout {TIME_LIMIT:?}, memory {MEMORY_LIMIT_KIB} KiB)",
            output.status.signal()
        ),
    }
}

fn assert_no_panic(name: &str, output: &std::process::Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{name}: a panic handler printed: {stderr}"
    );
    assert!(stderr.is_empty(), "{name}: unexpected stderr: {stderr}");
}

fn findings(report: &Json) -> &Vec<Json> {
    report["findings"].as_array().unwrap()
}

/// Whether a finding of `file` in `report` matches `expected`.
fn found(report: &Json, file: &str, expected: &Expected) -> bool {
    findings(report).iter().any(|f| {
        f["file"] == file
            && f["rule"] == expected.rule.as_str()
            && expected
                .pointer
                .as_ref()
                .is_none_or(|p| f["pointer"] == p.as_str())
            && expected.message.as_ref().is_none_or(|m| {
                f["message"]["en"]
                    .as_str()
                    .unwrap_or("")
                    .contains(m.as_str())
            })
            && !f["message"]["zh"].as_str().unwrap_or("").is_empty()
    })
}

/// The name a report gives a path (as given on the command line, or below a given directory).
fn report_names(report: &Json, path: &Path) -> Vec<String> {
    let prefix = path.display().to_string();
    let mut names: Vec<String> = findings(report)
        .iter()
        .filter_map(|f| f["file"].as_str())
        .filter(|f| f.starts_with(&prefix))
        .map(str::to_owned)
        .collect();
    names.dedup();
    names
}

#[test]
fn hostile_inputs_end_as_declared() {
    let dir = tempfile::tempdir().unwrap();
    let cases = cases(dir.path());
    let mut failures = Vec::new();
    for case in &cases {
        let started = std::time::Instant::now();
        let output = limited(&[
            "check".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            case.path.as_os_str(),
        ]);
        let took = started.elapsed().as_secs_f64();
        if let Some(bound) = case.seconds {
            if took > bound {
                failures.push(format!(
                    "{}: took {took:.1} s, the bound is {bound} s",
                    case.name
                ));
            }
        }
        let code = exit_code(&case.name, &output);
        assert_no_panic(&case.name, &output);
        let report: Json = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e})", case.name));
        if code != case.exit {
            failures.push(format!(
                "{}: exit {code}, expected {}",
                case.name, case.exit
            ));
        }
        let names = report_names(&report, &case.path);
        for expected in &case.expect {
            if !names.iter().any(|n| found(&report, n, expected)) {
                failures.push(format!(
                    "{}: no {} {:?} {:?} in {}",
                    case.name,
                    expected.rule,
                    expected.pointer,
                    expected.message,
                    serde_json::to_string(&findings(&report).iter().take(5).collect::<Vec<_>>())
                        .unwrap()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // All together, in both formats, with a clean and a faulty submission among them: every
    // input is reported, and the good files are still checked.
    let clean = root().join("fixtures/examples/xiuzhou-digital-service-park.yaml");
    let faulty = root().join("fixtures/structural/wrong-enum.yaml");
    let mut args: Vec<&std::ffi::OsStr> =
        vec!["check".as_ref(), "--color".as_ref(), "never".as_ref()];
    let together: Vec<&Case> = cases.iter().filter(|c| !c.alone).collect();
    args.extend(together.iter().map(|c| c.path.as_os_str()));
    args.push(clean.as_os_str());
    args.push(faulty.as_os_str());
    let human = limited(&args);
    assert_eq!(exit_code("all, human", &human), 2);
    assert_no_panic("all, human", &human);
    let text = String::from_utf8(human.stdout).unwrap();
    // The 10 MB line is neither quoted whole nor drawn.
    assert!(text.len() < 1_000_000, "{} bytes of report", text.len());
    assert!(
        text.contains("FORM-001"),
        "{}",
        text.get(..2000).unwrap_or(&text)
    );

    args.splice(1..3, ["--format".as_ref(), "json".as_ref()]);
    let json = limited(&args);
    assert_eq!(exit_code("all, json", &json), 2);
    assert_no_panic("all, json", &json);
    let report: Json = serde_json::from_slice(&json.stdout).unwrap();
    for case in &together {
        let names = report_names(&report, &case.path);
        for expected in &case.expect {
            assert!(
                names.iter().any(|n| found(&report, n, expected)),
                "{}: not reported in the run of all inputs",
                case.name
            );
        }
    }
    let faulty_name = faulty.display().to_string();
    assert!(
        findings(&report)
            .iter()
            .any(|f| f["file"] == faulty_name.as_str() && f["rule"] == "FORM-001")
    );
    let clean_name = clean.display().to_string();
    assert!(
        !findings(&report)
            .iter()
            .any(|f| f["file"] == clean_name.as_str())
    );
    assert_eq!(
        report["summary"]["files_unreadable"],
        together.iter().filter(|c| c.exit == 2).count()
    );
}

/// Rulebooks and profiles are read with the same loader and limits; an expression that would
/// recurse deeply or run away is refused when the rulebook loads, with its position.
#[test]
fn hostile_rulebooks_and_profiles_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let star = std::fs::read_to_string(root().join("rules/star.yaml")).unwrap();
    let original = "assert: has(park.star.rated_by)";
    assert!(star.contains(original));
    let with = |name: &str, expr: &str| {
        let path = dir.path().join(name);
        let text = star.replacen(
            original,
            &format!("assert: {}", serde_json::to_string(expr).unwrap()),
            1,
        );
        std::fs::write(&path, text).unwrap();
        path
    };
    let chain = |term: &str, op: &str, n: usize| vec![term; n].join(op);
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            with("long.yaml", &format!("{} > 0", chain("1", " + ", 3000))),
            "most 4096 character(s)",
        ),
        (
            with("sum.yaml", &format!("{} > 0", chain("1", "+", 2000))),
            "deeper than 64",
        ),
        // (`!!!!…x` and `----…1` are harmless: the parser folds repeated unary operators.)
        (
            with(
                "brackets.yaml",
                &format!("{}1{} > 0", "(".repeat(40), ")".repeat(40)),
            ),
            "nests deeper than 32",
        ),
        (
            with(
                "ternary.yaml",
                &format!("{}true", "true ? true : ".repeat(200)),
            ),
            "CEL syntax error",
        ),
        (
            with(
                "quadratic.yaml",
                "tenants.all(a, tenants.all(b, tenants.all(c, a.uscc != b.uscc || a == b)))",
            ),
            "does not come from the outer item",
        ),
        (
            with(
                "filter.yaml",
                "tenants.filter(t, t.employees > 0).size() > 0",
            ),
            "filter or map over a list",
        ),
        (
            write_to(
                dir.path(),
                "bomb.yaml",
                &std::fs::read(root().join("fixtures/structural/alias-bomb.yaml")).unwrap(),
            ),
            "alias bomb",
        ),
        (
            write_to(dir.path(), "binary.yaml", &[0xFF, 0xFE, 0x00, 0x41]),
            "not UTF-8",
        ),
    ];
    for (path, fragment) in &cases {
        let output = limited(&[
            "rules".as_ref(),
            "lint".as_ref(),
            "--color".as_ref(),
            "never".as_ref(),
            path.as_os_str(),
        ]);
        let name = path.display().to_string();
        assert_eq!(exit_code(&name, &output), 2, "{name}");
        assert_no_panic(&name, &output);
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains(fragment),
            "{name}: no `{fragment}` in\n{}",
            text.get(..3000).unwrap_or(&text)
        );
    }

    // A profile is a YAML file like any other: an alias bomb and a deep nest are refused.
    let deep = write_to(
        dir.path(),
        "deep-profile.yaml",
        format!("params: {}\n", "[".repeat(50_000)).as_bytes(),
    );
    let bomb = root().join("fixtures/structural/alias-bomb.yaml");
    for (profile, fragment) in [(&deep, "nesting deeper"), (&bomb, "alias bomb")] {
        let output = limited(&[
            "check".as_ref(),
            "--color".as_ref(),
            "never".as_ref(),
            "--profile".as_ref(),
            profile.as_os_str(),
            "fixtures/structural/wrong-enum.yaml".as_ref(),
        ]);
        let name = profile.display().to_string();
        assert_eq!(exit_code(&name, &output), 2);
        assert_no_panic(&name, &output);
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains(fragment),
            "{name}: no `{fragment}` in\n{text}"
        );
    }
}

fn write_to(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Inputs the fuzzers (fuzz/) found a problem with, kept as regressions: every span a
/// rulebook's or a submission's report holds lies inside the text, on character boundaries.
#[test]
fn fuzz_findings_stay_fixed() {
    let limits = Limits::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/hostile/fuzz"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let bytes = std::fs::read(&path).unwrap();
        let reports = if name.starts_with("rulebook-") {
            parkcheck::rulebook::load_rulebooks(vec![(name.clone(), bytes)], &limits)
                .err()
                .unwrap_or_default()
        } else {
            load_bytes(&name, bytes, Syntax::Yaml, &limits)
                .err()
                .map(FileReport::from)
                .into_iter()
                .collect()
        };
        for report in &reports {
            let text = report.source.text();
            for finding in &report.findings {
                if let Some(span) = finding.span {
                    assert!(
                        span.start <= span.end
                            && span.end <= text.len()
                            && text.is_char_boundary(span.start)
                            && text.is_char_boundary(span.end),
                        "{name}: {} at {span:?}",
                        finding.rule
                    );
                }
            }
        }
    }
}
