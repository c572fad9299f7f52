//! The upload page of `GET /`: a plain form (no JavaScript) posting the chosen files to
//! `/v1/check` as multipart, in Chinese or English.

use parkcheck::report::html::escape;
use parkcheck::text::Lang;
use sha2::{Digest, Sha256};

const STYLE: &str = "body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;\
max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#222}\
h1{font-size:1.5rem}fieldset{border:1px solid #ccc;padding:1rem;margin:1rem 0}\
label{display:block;margin:.5rem 0}button{font-size:1rem;padding:.4rem 1.2rem}\
small{color:#555}nav{float:right}";

/// The page's policy: nothing loaded from anywhere, its one style by hash, the form posts only
/// here.
pub fn csp() -> String {
    format!(
        "default-src 'none'; style-src 'sha256-{}'; form-action 'self'; base-uri 'none'; \
         frame-ancestors 'none'",
        escape::base64(&Sha256::digest(STYLE.as_bytes()))
    )
}

pub fn render(lang: Lang, rules: bool) -> String {
    let en = lang == Lang::En;
    let t = |zh: &'static str, english: &'static str| if en { english } else { zh };
    let rules_note = if rules {
        t(
            "按服务加载的规则集与配置检查，规则不可由上传更改。",
            "Checked against the rulebooks and profile the service loaded; an upload cannot change them.",
        )
    } else {
        t(
            "本服务只检查结构（提交文件模式）。",
            "This service checks structure only (the submission schema).",
        )
    };
    let (html_lang, other, other_label) = if en {
        ("en", "/?lang=zh", "中文")
    } else {
        ("zh-CN", "/?lang=en", "English")
    };
    let selected = |l: &str| {
        if (l == "en") == en { " selected" } else { "" }
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
<nav><a href="{other}">{other_label}</a></nav>
<h1>{title}</h1>
<p>{intro}</p>
<p><small>{rules_note}</small></p>
<form method="post" action="/v1/check" enctype="multipart/form-data">
<fieldset>
<legend>{files_legend}</legend>
<label>{files_label}<br><input type="file" name="file" multiple required accept=".yaml,.yml,.json,.xlsx,.ods"></label>
<small>{files_note}</small>
</fieldset>
<fieldset>
<legend>{options}</legend>
<label>{as_of_label} <input type="date" name="as_of"></label>
<small>{as_of_note}</small>
<label>{lang_label} <select name="lang"><option value="zh"{zh_sel}>中文</option><option value="en"{en_sel}>English</option><option value="both">中文 + English</option></select></label>
<label>{format_label} <select name="format"><option value="html" selected>{html_option}</option><option value="xlsx">{xlsx_option}</option><option value="json">JSON</option></select></label>
</fieldset>
<button type="submit">{submit}</button>
</form>
<p><small>{api}</small></p>
</body>
</html>
"#,
        title = t("园区申报自查", "Park filing self-check"),
        intro = t(
            "选择一个或多个申报文件（YAML、JSON 或工作簿），提交后即可看到审查报告。多个文件作为一次检查，跨文件的规则一并检查。",
            "Choose one or several submission files (YAML, JSON or workbooks) and submit to see the reviewer's report. Several files are one check, the cross-document rules included.",
        ),
        files_legend = t("申报文件", "Submission files"),
        files_label = t("选择文件（可多选）", "Choose files (several allowed)"),
        files_note = t(
            "文件只用于本次检查，不会被发布或回显。",
            "Files are used for this check only; they are never published or shown back.",
        ),
        options = t("选项", "Options"),
        as_of_label = t("检查日期", "Check as of"),
        as_of_note = t(
            "留空则按各申报文件中的 as_of 日期。",
            "Leave empty to use each submission's own as_of date.",
        ),
        lang_label = t("报告语言", "Report language"),
        zh_sel = selected("zh"),
        en_sel = selected("en"),
        format_label = t("报告格式", "Report format"),
        html_option = t("网页报告", "Web page"),
        xlsx_option = t("工作簿（下载）", "Workbook (download)"),
        submit = t("检查", "Check"),
        api = t(
            "程序调用：POST /v1/check（见 README）。",
            "For programs: POST /v1/check (see the README).",
        ),
    )
}
