//! Why a file could not be loaded, in words a person can act on.

use crate::source::Span;
use crate::text::Text;

/// A file that could not be read, decoded or parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message().en)]
pub struct LoadError {
    kind: LoadErrorKind,
    span: Option<Span>,
}

/// One variant per distinct problem; the caller adds the file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// The file could not be opened or read.
    Io { message: String },
    /// The path names a directory or something else that is not a regular file.
    NotAFile,
    /// A directory given to check holds no submission file.
    NoSubmissions,
    /// Larger than the size limit (checked before reading).
    TooLarge { size: u64, limit: u64 },
    /// Not UTF-8; `detected` names the encoding it seems to be in.
    Encoding {
        detected: Option<String>,
        offset: usize,
    },
    /// The file holds no document at all (empty, or only comments).
    Empty,
    /// A YAML or JSON syntax error.
    Syntax { message: String },
    /// A key appears twice in one mapping.
    DuplicateKey { key: String, first_line: usize },
    /// More than one YAML document in the file.
    MultipleDocuments,
    /// Nested deeper than the limit.
    TooDeep { limit: usize },
    /// Aliases would expand to more nodes than the limit (an "alias bomb").
    AliasExpansion { limit: usize },
    /// A tag outside YAML's core schema, such as `!!python/object`.
    UnsupportedTag { tag: String },
    /// A value whose core-schema tag (`!!int`, …) does not fit it.
    TagMismatch { tag: String },
    /// A mapping or sequence used as a mapping key.
    ComplexKey,
}

impl LoadError {
    #[must_use]
    pub const fn new(kind: LoadErrorKind) -> Self {
        Self { kind, span: None }
    }

    #[must_use]
    pub const fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    #[must_use]
    pub const fn kind(&self) -> &LoadErrorKind {
        &self.kind
    }

    #[must_use]
    pub const fn span(&self) -> Option<Span> {
        self.span
    }

    /// The rule id a load error is reported under.
    #[must_use]
    pub const fn rule(&self) -> &'static str {
        match self.kind {
            LoadErrorKind::Io { .. } | LoadErrorKind::NotAFile | LoadErrorKind::NoSubmissions => {
                "IO"
            }
            LoadErrorKind::TooLarge { .. }
            | LoadErrorKind::TooDeep { .. }
            | LoadErrorKind::AliasExpansion { .. } => "LIMIT",
            LoadErrorKind::Encoding { .. } => "ENCODING",
            _ => "PARSE",
        }
    }

    #[must_use]
    pub fn message(&self) -> Text {
        use LoadErrorKind as K;
        match &self.kind {
            K::Io { message } => Text::new(
                format!("无法读取文件：{message}"),
                format!("cannot read the file: {message}"),
            ),
            K::NotAFile => Text::new("不是普通文件", "not a regular file"),
            K::NoSubmissions => Text::new(
                "目录中没有申报文件（*.yaml、*.yml、*.json）",
                "no submission file (*.yaml, *.yml, *.json) in this directory",
            ),
            K::TooLarge { size, limit } => Text::new(
                format!("文件过大：{size} 字节，上限 {limit} 字节"),
                format!("file too large: {size} bytes, the limit is {limit} bytes"),
            ),
            K::Encoding {
                detected: Some(enc),
                offset,
            } => Text::new(
                format!("文件不是 UTF-8 编码，看起来是 {enc}（第 {offset} 字节起）"),
                format!("the file is not UTF-8; it looks like {enc} (from byte {offset})"),
            ),
            K::Encoding {
                detected: None,
                offset,
            } => Text::new(
                format!("文件不是有效的 UTF-8：第 {offset} 字节无效"),
                format!("the file is not valid UTF-8: invalid byte at offset {offset}"),
            ),
            K::Empty => Text::new(
                "文件中没有任何数据（空文件或只有注释）",
                "the file holds no document (it is empty or only comments)",
            ),
            K::Syntax { message } => Text::new(
                match syntax_zh(message) {
                    Some(zh) => format!("语法错误：{zh}"),
                    // A message the table below does not know: the parser's own words.
                    None => format!("语法错误（解析器原文）：{message}"),
                },
                format!("syntax error: {message}"),
            ),
            K::DuplicateKey { key, first_line } => Text::new(
                format!("键「{key}」重复（第 {first_line} 行已出现）"),
                format!("duplicate key `{key}` (first on line {first_line})"),
            ),
            K::MultipleDocuments => Text::new(
                "一个文件只能包含一份 YAML 文档（一份申报），这里有多份（以 `---` 分隔）",
                "a file must hold one YAML document (one submission); this one holds several documents (separated by `---`)",
            ),
            K::TooDeep { limit } => Text::new(
                format!("嵌套层级超过上限 {limit}"),
                format!("nesting deeper than the limit of {limit} levels"),
            ),
            K::AliasExpansion { limit } => Text::new(
                format!("别名（alias）展开后的节点数超过上限 {limit}，疑似“别名炸弹”"),
                format!(
                    "aliases expand to more than {limit} nodes (an alias bomb?); alias expansion stopped"
                ),
            ),
            K::UnsupportedTag { tag } => Text::new(
                format!("不支持的 YAML 标签 {tag}"),
                format!("unsupported YAML tag {tag}"),
            ),
            K::TagMismatch { tag } => Text::new(
                format!("值与其 YAML 标签 {tag} 不符"),
                format!("the value does not match its YAML tag {tag}"),
            ),
            K::ComplexKey => Text::new(
                "映射的键必须是标量（文字或数字）",
                "a mapping key must be a scalar (text or number)",
            ),
        }
    }

    #[must_use]
    pub fn help(&self) -> Option<Text> {
        use LoadErrorKind as K;
        Some(match &self.kind {
            K::TooLarge { .. } => Text::new(
                "申报文件通常远小于此；如确需检查，请用 --max-file-size 提高上限",
                "submissions are far smaller than this; raise the limit with --max-file-size if needed",
            ),
            K::Encoding { .. } => Text::new(
                "请以 UTF-8 编码另存该文件（例如：iconv -f GB18030 -t UTF-8 原文件 > 新文件）",
                "save the file as UTF-8 (for example: iconv -f GB18030 -t UTF-8 old > new)",
            ),
            K::DuplicateKey { .. } => {
                Text::new("删除或合并重复的键", "remove or merge the repeated key")
            }
            K::MultipleDocuments => Text::new(
                "每个园区的申报放在单独的文件中",
                "put each park's submission in a file of its own",
            ),
            K::TooDeep { .. } => Text::new(
                "申报格式的嵌套不超过几层；请检查括号是否配对",
                "the submission format nests only a few levels; check that brackets are balanced",
            ),
            K::AliasExpansion { .. } => Text::new(
                "不要用锚点和别名（& 和 *）重复大量数据；请直接写出字段",
                "do not use anchors and aliases (& and *) to repeat data; write the fields out",
            ),
            K::UnsupportedTag { .. } | K::TagMismatch { .. } => Text::new(
                "删除该标签；申报只使用普通的文字、数字、布尔值、列表和映射",
                "remove the tag; a submission uses only plain text, numbers, booleans, lists and mappings",
            ),
            _ => return None,
        })
    }
}

/// The Chinese for the parsers' error messages that a hand-written or exported submission can
/// run into (saphyr-parser's for YAML, serde_json's for `.json` files, and the loader's own);
/// the parsers themselves speak English.
fn syntax_zh(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unexpected character: ") {
        return Some(format!("意外的字符 {rest}"));
    }
    Some(
        match message {
            "invalid indentation" => "缩进不正确",
            "invalid indentation in quoted scalar" => {
                "引号内的值跨行时缩进不正确（或引号没有闭合）"
            }
            "invalid indentation in flow construct" => "方括号或花括号内续行的缩进不正确",
            "wrongly indented line in block scalar" => "块文本（| 或 >）中有一行缩进不正确",
            "tabs disallowed within this context (block indentation)"
            | "tab cannot be used as indentation" => "不能用制表符（Tab）缩进，请改用空格",
            "tabs disallowed in this context" => "此处不能使用制表符（Tab）",
            "while scanning a plain scalar, found a tab" => "未加引号的值中含有制表符（Tab）",
            "a block scalar content cannot start with a tab" => "块文本的内容不能以制表符开头",
            "mapping values are not allowed in this context" => {
                "此处不能出现「键: 值」（多半是缩进不一致，或未加引号的值中含有「: 」）"
            }
            "mapping keys are not allowed in this context" => "此处不能出现键",
            "block sequence entries are not allowed in this context" => {
                "此处不能出现「- 」列表项（多半是缩进不一致）"
            }
            "while parsing a block mapping, did not find expected key" => {
                "此处应为一个键（多半是缩进不一致）"
            }
            "while parsing a block collection, did not find expected '-' indicator" => {
                "此处应为以「- 」开头的列表项（多半是缩进不一致）"
            }
            "while parsing a node, did not find expected node content" => "此处缺少值",
            "while parsing a flow mapping, did not find expected ',' or '}'" => {
                "花括号 {…} 中缺少「,」或「}」"
            }
            "while parsing a flow sequence, expected ',' or ']'" => "方括号 […] 中缺少「,」或「]」",
            "misplaced bracket" => "括号的位置不对",
            "while scanning a quoted scalar, found unexpected end of stream" => {
                "引号没有闭合（文件在引号内结束）"
            }
            "while scanning a quoted scalar, found unexpected document indicator" => {
                "引号没有闭合（引号内出现了文档分隔符 --- 或 ...）"
            }
            "invalid trailing content after double-quoted scalar" => "双引号之后还有多余的内容",
            "while parsing a quoted scalar, found unknown escape character" => {
                "双引号内有无效的转义（反斜杠 \\ 后的字符）；路径等文本请用单引号"
            }
            "while parsing a quoted scalar, found invalid Unicode character escape code"
            | "while parsing a quoted scalar, did not find expected hexadecimal number" => {
                "双引号内的 Unicode 转义（\\u…）无效"
            }
            "while parsing node, found unknown anchor" => "引用了未定义的锚点（*名称）",
            "while parsing anchor, found duplicated anchor" => "锚点（&名称）重复定义",
            "while scanning an anchor or alias, did not find expected alphabetic or numeric character" => {
                "锚点或别名（& 或 * 之后）缺少名称"
            }
            "':' must be followed by a valid YAML whitespace" => "「:」之后须有空格",
            "'-' must be followed by a valid YAML whitespace" => "「-」之后须有空格",
            "illegal placement of ':' indicator" => "「:」的位置不合法",
            "simple key expect ':'" => "键之后缺少「:」",
            "simple key expected" => "此处应为一个键",
            "plain scalar cannot start with '-' followed by ,[]{}" => {
                "未加引号的值不能以「-」加逗号或括号开头"
            }
            "unexpected end of plain scalar" => "未加引号的值意外结束",
            "comment intercepting the multiline text" => "注释打断了跨行的值",
            "found unprintable character" => "含有不可打印的控制字符",
            "a byte order mark must not appear inside a document" => {
                "文件中间出现了字节顺序标记（BOM）"
            }
            "invalid content after document end marker" => "文档结束标记（...）之后还有内容",
            "unexpected eof" => "文件意外结束",
            "alias to an anchor that is not defined before it" => {
                "别名（*名称）引用的锚点没有在它之前定义"
            }
            // serde_json
            "EOF while parsing a value" | "EOF while parsing an object" | "EOF while parsing a list" => {
                "文件意外结束（有括号没有闭合）"
            }
            "EOF while parsing a string" => "引号没有闭合（文件在引号内结束）",
            "expected `,` or `}`" => "对象 {…} 中缺少「,」或「}」",
            "expected `,` or `]`" => "数组 […] 中缺少「,」或「]」",
            "expected `:`" => "键之后缺少「:」",
            "expected value" => "此处应为一个值",
            "key must be a string" => "对象的键必须是带双引号的字符串",
            "trailing comma" => "最后一项之后多了一个逗号",
            "trailing characters" => "JSON 值结束后还有多余的内容",
            "invalid escape" => "字符串中有无效的转义（反斜杠 \\ 后的字符）",
            "invalid number" => "数字的写法无效",
            "number out of range" => "数字超出范围",
            "control character (\\u0000-\\u001F) found while parsing a string" => {
                "字符串中含有控制字符（如未转义的换行或制表符）"
            }
            _ => return None,
        }
        .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Limits, parse};

    fn zh(text: &str) -> String {
        parse(text, &Limits::default()).unwrap_err().message().zh
    }

    #[test]
    fn common_syntax_errors_are_explained_in_chinese() {
        for (text, expected) in [
            ("a:\n\t- b\n", "制表符"),
            ("park:\n  name: a\n   x: 1\n", "键: 值"),
            ("park: {a: 1\n", "花括号"),
            ("a: \"abc", "引号没有闭合"),
            ("a: \"\\q\"\n", "转义"),
            ("a: 1\nb: *nope\n", "锚点"),
        ] {
            let message = zh(text);
            assert!(message.contains(expected), "{text:?}: {message}");
            assert!(!message.contains("解析器原文"), "{text:?}: {message}");
        }
    }

    #[test]
    fn a_message_the_table_does_not_know_is_passed_on_as_the_parser_said_it() {
        let message = LoadError::new(LoadErrorKind::Syntax {
            message: "something new".to_owned(),
        })
        .message();
        assert_eq!(message.zh, "语法错误（解析器原文）：something new");
        assert_eq!(message.en, "syntax error: something new");
    }
}
