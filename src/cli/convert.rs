//! `parkcheck convert IN -o OUT`: a submission from YAML, JSON or a workbook to YAML, JSON or
//! the form's workbook, optionally with its tenant list replaced by a CSV 入驻企业名录. Written
//! atomically; never over the input (or the CSV), never over an existing file without `--force`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use parkcheck::convert::{self, ConvertError, Target, csv::read_tenants};
use parkcheck::document::{Document, Limits, Pointer, load_path, read_path};
use parkcheck::finding::FileReport;
use parkcheck::form::layout;
use parkcheck::report;
use parkcheck::schema::SUBMISSION_SCHEMA;
use parkcheck::text::{Lang, Text, visible_inline};

use super::{EXIT_TROUBLE, LookArgs, style};

#[derive(Debug, Clone, clap::Args)]
pub struct ConvertArgs {
    /// The submission to convert: YAML, JSON or a workbook (.xlsx, .xlsm, .xls, .ods).
    #[arg(value_name = "IN")]
    input: PathBuf,
    /// The file to write; its extension gives the format (.yaml/.yml, .json, .xlsx) unless --to says.
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
    /// The format to write, whatever OUT's extension.
    #[arg(long, value_enum, value_name = "FORMAT")]
    to: Option<ToFormat>,
    /// A CSV tenant list (入驻企业名录, as Excel or WPS saves it) that replaces the submission's tenants.
    #[arg(long, value_name = "FILE.csv")]
    tenants: Option<PathBuf>,
    /// Replace OUT when it exists (never the input).
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    pub(crate) look: LookArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ToFormat {
    Yaml,
    Json,
    Xlsx,
}

fn shown(path: &Path) -> String {
    visible_inline(&path.display().to_string()).into_owned()
}

/// What a successful conversion did, on standard output (the data goes to OUT, never there).
fn say(text: &Text, lang: Lang) {
    super::print_out(&format!("{}\n", text.render_inline(lang)));
}

fn trouble(text: &Text, lang: Lang) -> ExitCode {
    eprintln!("parkcheck: {}", text.render_inline(lang));
    ExitCode::from(EXIT_TROUBLE)
}

/// Whether `a` and `b` name the same file: the same path once links are resolved, or the
/// same inode (a hard link).
fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(x), Ok(y)) = (a.canonicalize(), b.canonicalize()) {
        if x == y {
            return true;
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    false
}

pub fn convert(args: &ConvertArgs) -> ExitCode {
    // Ctrl-C waits for the write in progress: OUT is whole or absent, no temporary is left.
    super::check::exit_on_interrupt();
    let lang = args.look.lang.unwrap_or_default();
    let output = &args.output;
    let target = match args.to {
        Some(ToFormat::Yaml) => Target::Yaml,
        Some(ToFormat::Json) => Target::Json,
        Some(ToFormat::Xlsx) => Target::Xlsx,
        None => match Target::of_path(output) {
            Some(t) => t,
            None => {
                return trouble(
                    &Text::new(
                        format!(
                            "无法从 {} 的扩展名判断输出格式：用 .yaml、.json 或 .xlsx，或加 --to yaml|json|xlsx",
                            shown(output)
                        ),
                        format!(
                            "cannot tell the output format from the extension of {}: use .yaml, .json or .xlsx, or --to yaml|json|xlsx",
                            shown(output)
                        ),
                    ),
                    lang,
                );
            }
        },
    };
    for (source, what) in [
        (Some(&args.input), ("输入文件", "the input")),
        (args.tenants.as_ref(), ("企业名录", "the tenant list")),
    ] {
        if let Some(source) = source {
            if same_file(source, output) {
                return trouble(
                    &Text::new(
                        format!(
                            "拒绝写入 {}：它就是{}（{}）；请另选输出文件",
                            shown(output),
                            what.0,
                            shown(source)
                        ),
                        format!(
                            "refusing to write {}: it is {} ({}); choose another output file",
                            shown(output),
                            what.1,
                            shown(source)
                        ),
                    ),
                    lang,
                );
            }
        }
    }
    if !args.force && output.symlink_metadata().is_ok() {
        return exists(output, lang);
    }

    let limits = Limits::default();
    let mut doc = match load_path(&args.input, &limits) {
        Ok(doc) => doc,
        Err(unloadable) => {
            let report = FileReport::from(unloadable);
            let closing = Text::new(
                "无法读取输入文件，未写入任何文件",
                "the input cannot be read: nothing was written",
            );
            eprint!(
                "{}",
                report::human::render_problems(&[report], &closing, style(&args.look, None))
            );
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    if !doc.number_issues.is_empty() {
        for issue in &doc.number_issues {
            eprintln!(
                "{}:{}: {}",
                shown(&args.input),
                doc.source.locate(issue.span.start).place(),
                Text::new(
                    format!("{}：这个数字的写法（十六进制、八进制、.inf、.nan 或超出范围）转换后无法保持原样", issue.pointer),
                    format!("{}: this number's form (hex, octal, .inf, .nan or out of range) cannot survive the conversion", issue.pointer),
                )
                .render_inline(lang)
            );
        }
        return trouble(
            &Text::new(
                "请先把这些数字改成十进制再转换（parkcheck check 会指出它们），未写入任何文件",
                "write these numbers as decimals first (parkcheck check reports them): nothing was written",
            ),
            lang,
        );
    }
    // What a workbook reader noticed: a warning is shown, an error (a column not read, a code
    // that lost its digits) stops the conversion, which would carry the loss over silently.
    let mut read_errors = 0usize;
    for issue in &doc.read_issues {
        read_errors += usize::from(issue.error);
        let level = if issue.error {
            Text::new("错误", "error")
        } else {
            Text::new("提示", "note")
        };
        let mut line = format!(
            "{}:{}: {}: {}",
            shown(&args.input),
            doc.source.locate(issue.span.start).place(),
            level.render_inline(lang),
            issue.message.render_inline(lang)
        );
        if let Some(help) = &issue.help {
            line.push_str(&format!("（{}）", help.render_inline(lang)));
        }
        eprintln!("{line}");
    }
    if read_errors > 0 {
        return trouble(
            &Text::new(
                format!(
                    "工作簿有 {read_errors} 项读取错误，转换会带走错误的数据：请先改正（parkcheck check 会逐格指出），未写入任何文件"
                ),
                format!(
                    "the workbook has {read_errors} reading error(s) that the conversion would carry over: fix them first (parkcheck check points at each cell); nothing was written"
                ),
            ),
            lang,
        );
    }
    if let Some(csv) = &args.tenants {
        if let Err(code) = merge_tenants(&mut doc, csv, &limits, lang) {
            return code;
        }
    }

    let from = shown(&args.input);
    let bytes = match target {
        Target::Yaml => Ok(convert::to_yaml(&doc.root, &from).into_bytes()),
        Target::Json => convert::to_json(&doc.root)
            .map(String::into_bytes)
            .map_err(ConvertError::NotJson),
        Target::Xlsx => convert::to_xlsx(&doc.root, SUBMISSION_SCHEMA, env!("CARGO_PKG_VERSION")),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(error) => return cannot_convert(&doc, &error, lang),
    };
    let written = if args.force {
        parkcheck::output::write_atomic(output, &bytes)
    } else {
        parkcheck::output::write_atomic_new(output, &bytes)
    };
    match written {
        Ok(()) => {
            let format = match target {
                Target::Yaml => "YAML",
                Target::Json => "JSON",
                Target::Xlsx => "xlsx",
            };
            say(
                &Text::new(
                    format!("已写入 {}（{format}，由 {from} 转换）", shown(output)),
                    format!("wrote {} ({format}, converted from {from})", shown(output)),
                ),
                lang,
            );
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => exists(output, lang),
        Err(e) => trouble(
            &Text::new(
                format!("无法写入 {}：{e}", shown(output)),
                format!("cannot write {}: {e}", shown(output)),
            ),
            lang,
        ),
    }
}

fn exists(output: &Path, lang: Lang) -> ExitCode {
    trouble(
        &Text::new(
            format!("{} 已存在，未覆盖；要替换它请加 --force", shown(output)),
            format!(
                "{} exists and was not overwritten; add --force to replace it",
                shown(output)
            ),
        ),
        lang,
    )
}

/// Replaces the document's tenants with the CSV's, or prints every problem of the CSV.
fn merge_tenants(
    doc: &mut Document,
    csv: &Path,
    limits: &Limits,
    lang: Lang,
) -> Result<(), ExitCode> {
    let name = shown(csv);
    let bytes = read_path(csv, limits).map_err(|e| {
        let why = e.message();
        trouble(
            &Text::new(
                format!("无法读取企业名录 {name}：{}", why.zh),
                format!("cannot read the tenant list {name}: {}", why.en),
            ),
            lang,
        )
    })?;
    let kind = match doc.root.get("kind").map(|k| &k.value) {
        Some(parkcheck::document::Value::Str(k))
            if ["filing", "annual", "star"].contains(&k.as_str()) =>
        {
            k.clone()
        }
        _ => "filing".to_owned(),
    };
    let layout =
        layout(SUBMISSION_SCHEMA, &kind).map_err(|e| trouble(&Text::new(e.clone(), e), lang))?;
    let Some(sheet) = layout.table("tenants") else {
        return Err(trouble(
            &Text::new("布局中没有入驻企业名录", "the layout has no tenant list"),
            lang,
        ));
    };
    match read_tenants(&bytes, sheet) {
        Ok(list) => {
            let count = match &list.tenants.value {
                parkcheck::document::Value::Seq(items) => items.len(),
                _ => 0,
            };
            let old = convert::replace_tenants(&mut doc.root, list.tenants);
            let delimiter = convert::csv::delimiter_name(list.delimiter);
            say(
                &Text::new(
                    format!(
                        "已读取企业名录 {name}（编码 {}，分隔符 {}）：{count} 家企业，替换了原有的 {old} 家",
                        list.encoding, delimiter.zh
                    ),
                    format!(
                        "read the tenant list {name} (encoding {}, delimiter {}): {count} tenant(s), replacing the {old} there were",
                        list.encoding, delimiter.en
                    ),
                ),
                lang,
            );
            Ok(())
        }
        Err(problems) => {
            for p in &problems {
                let at = match p.column {
                    Some(col) => format!("{name}:{}:{col}", p.line),
                    None => format!("{name}:{}", p.line),
                };
                eprintln!("{at}: {}", p.message.render_inline(lang));
            }
            Err(trouble(
                &Text::new(
                    format!(
                        "企业名录有 {} 项问题，未写入任何文件（行号:列号，列号是该行第几个单元格）",
                        problems.len()
                    ),
                    format!(
                        "the tenant list has {} problem(s): nothing was written (line:column, the column being the cell's place in its row)",
                        problems.len()
                    ),
                ),
                lang,
            ))
        }
    }
}

/// Prints why the document cannot be written and gives exit code 2.
fn cannot_convert(doc: &Document, error: &ConvertError, lang: Lang) -> ExitCode {
    let name = visible_inline(doc.source.name()).into_owned();
    let located = |pointer: &str| -> String {
        Pointer::parse(pointer)
            .and_then(|p| doc.label_span(&p))
            .map_or_else(
                || name.clone(),
                |span| format!("{name}:{}", doc.source.locate(span.start).place()),
            )
    };
    match error {
        ConvertError::Unplaced(problems) => {
            for p in problems {
                eprintln!("{}: {}", located(&p.pointer), p.message.render_inline(lang));
            }
            trouble(
                &Text::new(
                    format!(
                        "{} 项无法写入工作簿（转换不丢弃任何数据），未写入任何文件",
                        problems.len()
                    ),
                    format!(
                        "{} value(s) cannot be written to the workbook (a conversion drops nothing): nothing was written",
                        problems.len()
                    ),
                ),
                lang,
            )
        }
        ConvertError::NotJson(not) => trouble(
            &Text::new(
                format!(
                    "{}：JSON 无法写出非有限数（.inf / .nan），未写入任何文件",
                    located(&not.pointer)
                ),
                format!(
                    "{}: JSON cannot hold a non-finite number (.inf / .nan): nothing was written",
                    located(&not.pointer)
                ),
            ),
            lang,
        ),
        ConvertError::Writer(e) => trouble(
            &Text::new(
                format!("无法生成工作簿：{e}"),
                format!("cannot make the workbook: {e}"),
            ),
            lang,
        ),
    }
}
