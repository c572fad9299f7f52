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
                format!("语法错误：{message}"),
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
