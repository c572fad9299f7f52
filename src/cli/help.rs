//! The command line's help in Chinese: clap's derive gives the English (the doc comments); this
//! table gives the Chinese of every command and option, keyed by where it is. The language is
//! that of the messages: `--lang zh|en|both` found in the arguments before they are parsed,
//! both (Chinese first) by default.
//!
//! A new subcommand or option gets its Chinese by one line here: `("template", "…")` for a
//! subcommand `template`, `("template --out", "…")` for its option `out` (the field's name;
//! `"* --lang"` for an option shared by every command). `tests::every_command_and_option_has_chinese_help`
//! walks the whole clap tree and fails on one without.

use clap::Command;
use parkcheck::text::{Lang, Text};

/// `(key, Chinese)`: a command by its path (`""` is parkcheck itself, `"rules lint"`), an
/// option or positional argument by its command's path and its id (`"check --fail-on"`
/// is written with the id, `"check --fail_on"`), or by `"* --id"` for every command.
const HELP: &[(&str, &str)] = &[
    (
        "",
        "检查浙江省嘉兴市小微企业园的备案、年度运行数据与星级申报",
    ),
    (
        "check",
        "检查申报文件（文件或目录；`-` 表示从标准输入读取）",
    ),
    (
        "schema",
        "输出申报文件的 JSON Schema（供编辑器与 YAML 语言服务器使用），或用 --format markdown 输出字段说明（docs/fields.md）",
    ),
    (
        "schema --format",
        "json：JSON Schema；markdown：每个字段的名称、类型、单位、取值、哪些申报类型必填及检查它的规则",
    ),
    ("rules", "列出、检查或测试规则手册"),
    (
        "template",
        "生成登记表的填报工作簿（由申报数据模式生成），可在 Excel、WPS 或 LibreOffice 中填写",
    ),
    (
        "template --kind",
        "申报类型：filing（备案）、annual（年度运行数据）或 star（星级申报）",
    ),
    (
        "template --output",
        "要写入的工作簿（默认：当前目录下的 申报模板-类型.xlsx）",
    ),
    (
        "convert",
        "在 YAML、JSON 与登记表工作簿（.xlsx）之间无损转换申报文件；加 --tenants 时用 CSV 入驻企业名录替换其中的企业名录",
    ),
    (
        "convert --input",
        "要转换的申报文件：YAML、JSON 或工作簿（.xlsx、.xlsm、.xls、.ods）",
    ),
    (
        "convert --output",
        "要写入的文件；格式由扩展名决定（.yaml/.yml、.json、.xlsx），除非用 --to 指定",
    ),
    ("convert --to", "输出格式，不论 OUT 的扩展名是什么"),
    (
        "convert --tenants",
        "CSV 入驻企业名录（Excel 或 WPS 另存的 CSV），替换申报文件中原有的企业名录",
    ),
    (
        "convert --force",
        "OUT 已存在时替换它（输入文件永远不会被覆盖）",
    ),
    (
        "score",
        "年度绩效评价视图：每个园区的一票否决项、扣分与亩均指标；多个文件时给出总体平均（Σ ÷ Σ）与各园区系数",
    ),
    (
        "explain",
        "说明一条规则：检查什么、依据、参数，以及其测试样例中的例子",
    ),
    (
        "rules list",
        "列出发现可能带有的全部编号：规则、申报格式与跨文件检查所执行的编号、加载与配置文件的编号，以及各由什么实现",
    ),
    (
        "rules lint",
        "检查规则手册文件（默认为在用的规则手册），报告全部问题",
    ),
    (
        "rules coverage",
        "覆盖矩阵：目录中的每个编号、其实现、可信度与测试样例；有编号未实现或缺少合规、违规样例时退出码为 1",
    ),
    (
        "rules test",
        "用测试样例运行每条规则（fixtures/rules/<编号>/pass*.yaml 与 fail*.yaml）",
    ),
    ("help", "显示本帮助或某个子命令的帮助"),
    ("* --help", "显示帮助"),
    ("* --version", "显示版本"),
    (
        "* --lang",
        "消息与帮助的语言：zh 中文、en 英文、both 中英文（中文在前）；JSON 始终含两种语言；写在子命令之前或之后均可",
    ),
    ("* --color", "人读输出何时使用颜色"),
    ("* --rules", "使用该目录中的规则手册，而不是内置的"),
    (
        "* --profile",
        "主管部门的配置文件（YAML）：参数取值、严重程度、停用的规则",
    ),
    ("* --fixtures", "测试样例所在的目录"),
    (
        "* --as_of",
        "按该日期（YYYY-MM-DD）判断，而不是各申报文件的 as_of",
    ),
    (
        "check --paths",
        "要检查的文件或目录；目录中查找 *.yaml、*.yml、*.json 与工作簿（*.xlsx、*.xlsm、*.xls、*.ods）",
    ),
    (
        "check --format",
        "报告格式：human、concise、json、sarif、junit、github、markdown、html 或 xlsx；`格式=文件` 写入该文件，可重复（不带文件的至多一个，写到标准输出或 --output）；xlsx 须写入文件",
    ),
    (
        "check --output",
        "把报告（不带文件的格式，默认为 human）写入该文件而不是标准输出",
    ),
    (
        "check --fail_on",
        "报告了该严重程度及以上的问题时退出码为 1",
    ),
    (
        "check --show_passed",
        "同时列出通过与不适用的规则，并说明原因",
    ),
    (
        "check --exclude",
        "排除所给目录中与该模式匹配的内容（gitignore 语法，如 `drafts/` 或 `**/*-old.yaml`），可重复；命令行上直接给出的文件总会检查",
    ),
    (
        "check --no_progress",
        "不显示进度条（标准错误为终端且不在 CI 中时，长时间运行会显示）",
    ),
    ("check --no_rules", "只检查结构（申报格式），不用规则手册"),
    (
        "check --timings",
        "把解析、校验与规则计算所用时间输出到标准错误",
    ),
    (
        "check --waivers",
        "要应用的豁免文件（YAML）［默认：申报文件旁的 parkcheck.waivers.yaml］",
    ),
    ("check --no_waivers", "不应用任何豁免，默认文件也不用"),
    (
        "check --baseline",
        "只报告不在该基线中的问题；列出基线中已不再出现的问题",
    ),
    (
        "check --write_baseline",
        "把本次的问题记入该文件（JSON），除非有文件无法读取，否则退出码为 0",
    ),
    ("check --max_file_size", "读取的文件最大字节数"),
    (
        "check --max_depth",
        "列表与映射的最大嵌套层数（至多 200：YAML 扫描器自身会拒绝更深的输入）",
    ),
    ("check --max_alias_nodes", "YAML 别名展开最多可增加的节点数"),
    (
        "serve",
        "以 HTTP 服务提供检查：上传页面、API、限额、令牌；规则与配置在启动时载入一次",
    ),
    (
        "serve --bind",
        "监听的地址与端口（端口 0：任一空闲端口，启动时输出）",
    ),
    ("serve --no_rules", "只检查结构（申报格式），不使用规则手册"),
    (
        "serve --max_body",
        "请求体的最大字节数（边接收边计数，超过即以 413 拒绝）",
    ),
    (
        "serve --max_depth",
        "上传文件中列表与映射的最大嵌套层数（至多 200）",
    ),
    ("serve --max_alias_nodes", "YAML 别名展开最多可增加的节点数"),
    (
        "serve --timeout",
        "一个请求（含接收请求体）最长的秒数，更慢的客户端以 408 断开",
    ),
    ("serve --concurrency", "同时进行的检查数（默认：CPU 核数）"),
    ("serve --queue", "可等待空位的检查数；更多的请求以 429 拒绝"),
    (
        "serve --token_file",
        "访问令牌文件，每行 `名称 令牌`（或 `名称:令牌`），`#` 之后为注释；给出时除 /health 外的每个路径都需要 `Authorization: Bearer 令牌`",
    ),
    (
        "serve --shutdown_grace",
        "收到 SIGTERM/SIGINT 后，进行中的请求最多还可用的秒数",
    ),
    ("score --paths", "申报文件或目录"),
    (
        "score --format",
        "输出格式：human、json 或 html（含图表的单页）；`格式=文件` 写入该文件，可重复（不带文件的至多一个，写到标准输出）",
    ),
    ("explain --id", "规则编号，如 REC-007"),
    ("rules list --format", "输出格式"),
    ("rules coverage --format", "输出格式"),
    (
        "rules lint --files",
        "规则手册文件；不给出时为内置的规则手册（或 --rules 的）",
    ),
];

/// The language of the help: `--lang X` or `--lang=X` in the arguments (before the first
/// `--`), else both, Chinese first, as for the messages.
#[must_use]
pub fn lang_of<I, S>(args: I) -> Lang
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut lang = Lang::default();
    let mut next_is_lang = false;
    for arg in args {
        let arg = arg.as_ref().to_string_lossy();
        let value = if next_is_lang {
            next_is_lang = false;
            Some(arg.as_ref())
        } else if arg == "--" {
            break;
        } else if arg == "--lang" {
            next_is_lang = true;
            None
        } else {
            arg.strip_prefix("--lang=")
        };
        match value {
            Some("zh") => lang = Lang::Zh,
            Some("en") => lang = Lang::En,
            Some("both") => lang = Lang::Both,
            _ => {}
        }
    }
    lang
}

/// What a usage error of clap is, in Chinese (clap's own message, in English, follows it):
/// `None` for the help and the version, which are not errors, and in English alone.
#[must_use]
pub fn error_chinese(error: &clap::Error, lang: Lang) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if lang == Lang::En {
        return None;
    }
    let context = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(list)) => list.join("、"),
        _ => String::new(),
    };
    let arg = context(ContextKind::InvalidArg);
    let text = match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::UnknownArgument => format!("未知的选项或参数 {arg}"),
        ErrorKind::InvalidSubcommand => {
            format!("未知的子命令 {}", context(ContextKind::InvalidSubcommand))
        }
        ErrorKind::InvalidValue => format!(
            "{arg} 的取值 {} 无效（可取：{}）",
            context(ContextKind::InvalidValue),
            context(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => {
            format!("{arg} 的取值 {} 无效", context(ContextKind::InvalidValue))
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {arg}"),
        ErrorKind::MissingSubcommand => "缺少子命令".to_owned(),
        ErrorKind::ArgumentConflict => {
            format!("{arg} 不能与 {} 同用", context(ContextKind::PriorArg))
        }
        ErrorKind::NoEquals
        | ErrorKind::WrongNumberOfValues
        | ErrorKind::TooManyValues
        | ErrorKind::TooFewValues => format!("{arg} 的取值个数不对"),
        _ => "命令行有误".to_owned(),
    };
    // A value typed on the command line is shown as text, never raw.
    Some(format!(
        "错误：{}（用法见 --help）",
        parkcheck::text::visible_inline(&text)
    ))
}

/// The Chinese of `key`.
fn chinese(key: &str) -> Option<&'static str> {
    HELP.iter().find(|(k, _)| *k == key).map(|(_, zh)| *zh)
}

/// The Chinese of the command at `path`. clap's `help` subcommand, wherever it is, has one
/// text; the commands under it (`help rules lint`) are those they name.
fn command_chinese(path: &str) -> Option<&'static str> {
    if path == "help" || path.ends_with(" help") {
        return chinese("help");
    }
    let named: Vec<&str> = path.split(' ').filter(|s| *s != "help").collect();
    chinese(&named.join(" "))
}

/// The Chinese of an argument of the command at `path`: its own, else the shared one.
fn arg_chinese(path: &str, id: &str) -> Option<&'static str> {
    chinese(format!("{path} --{id}").trim_start()).or_else(|| chinese(&format!("* --{id}")))
}

/// `english` in `lang`, with the Chinese of the table (English alone when there is none).
fn localized(zh: Option<&str>, english: &str, lang: Lang) -> String {
    match zh {
        Some(zh) => Text::new(zh, english).render_inline(lang),
        None => english.to_owned(),
    }
}

/// `cmd` (built: clap's own `--help`, `--version` and `help` are there) with its help, and
/// that of every option and subcommand, in `lang`.
#[must_use]
pub fn localize(mut cmd: Command, lang: Lang) -> Command {
    cmd.build();
    localize_at(cmd, "", lang)
}

fn localize_at(mut cmd: Command, path: &str, lang: Lang) -> Command {
    if lang == Lang::En {
        return cmd;
    }
    let about = cmd.get_about().map(ToString::to_string).unwrap_or_default();
    let template = help_template(&cmd, lang);
    cmd = cmd
        .about(localized(command_chinese(path), &about, lang))
        .long_about(None)
        .help_template(template);
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().as_str().to_owned())
        .collect();
    for id in ids {
        let zh = arg_chinese(path, &id);
        cmd = cmd.mut_arg(id.as_str(), |arg| {
            let english = arg.get_help().map(ToString::to_string).unwrap_or_default();
            let help = localized(zh, &english, lang) + &values_note(&arg, lang);
            arg.help(help)
                .long_help(None)
                .hide_default_value(true)
                .hide_possible_values(true)
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for name in names {
        let sub_path = format!("{path} {name}").trim_start().to_owned();
        cmd = cmd.mut_subcommand(name.as_str(), |sub| localize_at(sub, &sub_path, lang));
    }
    cmd
}

/// What clap appends to an option's help (`[default: …] [possible values: …]`), in `lang`.
fn values_note(arg: &clap::Arg, lang: Lang) -> String {
    let join = |values: Vec<String>| values.join(", ");
    let mut note = String::new();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() {
        let label = Text::new("默认", "default").render_inline(lang);
        note += &format!(" [{label}{}{}]", colon(lang), join(defaults));
    }
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if !possible.is_empty() && !arg.is_hide_possible_values_set() {
        let label = Text::new("可取", "possible values").render_inline(lang);
        note += &format!(" [{label}{}{}]", colon(lang), join(possible));
    }
    note
}

/// The colon after a heading: full-width in Chinese alone.
const fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "：",
        _ => ": ",
    }
}

/// clap's help layout with its headings (`Usage:`, `Commands:`, `Arguments:`, `Options:`) in
/// `lang`: the sections `cmd` has, in clap's order.
fn help_template(cmd: &Command, lang: Lang) -> String {
    let heading = |zh: &str, en: &str| Text::new(zh, en).render_inline(lang);
    let end = colon(lang).trim_end();
    let mut template = format!(
        "{{before-help}}{{about-with-newline}}\n{}{}{{usage}}\n",
        heading("用法", "Usage"),
        colon(lang)
    );
    if cmd.has_subcommands() {
        template += &format!(
            "\n{}{end}\n{{subcommands}}\n",
            heading("子命令", "Commands")
        );
    }
    if cmd.get_positionals().next().is_some() {
        template += &format!("\n{}{end}\n{{positionals}}\n", heading("参数", "Arguments"));
    }
    if cmd.get_arguments().any(|a| !a.is_positional()) {
        template += &format!("\n{}{end}\n{{options}}\n", heading("选项", "Options"));
    }
    template + "{after-help}"
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use clap::CommandFactory;

    /// Every command and every option of the whole tree, clap's own included.
    fn missing(cmd: &Command, path: &str, out: &mut Vec<String>) {
        if command_chinese(path).is_none() {
            out.push(format!("({path:?}, \"…\")"));
        }
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if arg_chinese(path, id).is_none() {
                out.push(format!("(\"{path} --{id}\", \"…\")"));
            }
        }
        for sub in cmd.get_subcommands() {
            let sub_path = format!("{path} {}", sub.get_name()).trim_start().to_owned();
            missing(sub, &sub_path, out);
        }
    }

    #[test]
    fn every_command_and_option_has_chinese_help() {
        let mut cmd = super::super::Cli::command();
        cmd.build();
        let mut out = Vec::new();
        missing(&cmd, "", &mut out);
        assert!(
            out.is_empty(),
            "add to HELP in src/cli/help.rs:\n{}",
            out.join("\n")
        );
    }

    #[test]
    fn every_entry_of_the_table_is_used() {
        let mut cmd = super::super::Cli::command();
        cmd.build();
        let mut keys = Vec::new();
        fn walk(cmd: &Command, path: &str, keys: &mut Vec<String>) {
            keys.push(path.to_owned());
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                keys.push(format!("{path} --{id}").trim_start().to_owned());
                keys.push(format!("* --{id}"));
            }
            for sub in cmd.get_subcommands() {
                walk(sub, format!("{path} {}", sub.get_name()).trim_start(), keys);
            }
        }
        walk(&cmd, "", &mut keys);
        for (key, _) in HELP {
            assert!(keys.iter().any(|k| k == key), "unused entry {key:?}");
        }
    }

    #[test]
    fn the_language_is_found_before_parsing() {
        assert_eq!(lang_of(["parkcheck", "--help"]), Lang::Both);
        assert_eq!(
            lang_of(["parkcheck", "check", "--lang", "zh", "-h"]),
            Lang::Zh
        );
        assert_eq!(lang_of(["parkcheck", "--lang=en", "check"]), Lang::En);
        assert_eq!(
            lang_of(["parkcheck", "check", "--", "--lang=en"]),
            Lang::Both
        );
    }
}
