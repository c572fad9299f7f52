//! Why a file could not be loaded, in words a person can act on.

use crate::document::sniff::FileType;
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
    /// A YAML syntax error, in the parser's words.
    Syntax { message: String },
    /// A JSON syntax error (the JSON loader's own, with a Chinese and an English explanation).
    JsonSyntax(JsonError),
    /// Half of a UTF-16 surrogate pair escaped alone (`\uD800` without its low half, or a low
    /// half first): it stands for no character, so no text can hold it.
    LoneSurrogate { escape: String },
    /// A key appears twice in one mapping (the error's span is the second; this names the first).
    DuplicateKey {
        key: String,
        first_line: usize,
        first_column: usize,
    },
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
    /// A full-width character where YAML's syntax needs its ASCII counterpart (`staff：18`, an
    /// indentation of U+3000): what a Chinese input method types.
    FullWidthPunctuation { found: char, ascii: char },
    /// Not a text file: a workbook, a Word document, a PDF, an image, an archive (by its first
    /// bytes).
    NotText { kind: FileType },
    /// A workbook that cannot be read as a submission.
    Workbook {
        problem: Box<crate::document::workbook::WorkbookProblem>,
    },
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
            LoadErrorKind::NotText { .. } => "FILETYPE",
            LoadErrorKind::Workbook { ref problem } => problem.rule(),
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
            K::DuplicateKey {
                key,
                first_line,
                first_column,
            } => Text::new(
                format!("键「{key}」重复（第 {first_line} 行第 {first_column} 列已出现）"),
                format!(
                    "duplicate key `{key}` (first on line {first_line}, column {first_column})"
                ),
            ),
            K::JsonSyntax(error) => error.message(),
            K::LoneSurrogate { escape } => Text::new(
                format!(
                    "双引号内的 Unicode 转义 {escape} 是 UTF-16 代理对的一半，缺少与之配对的另一半，不表示任何字符"
                ),
                format!(
                    "the Unicode escape {escape} is half of a UTF-16 surrogate pair without its other half: it stands for no character"
                ),
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
            K::FullWidthPunctuation { found, ascii } => punctuation_message(*found, *ascii),
            K::Workbook { problem } => problem.message(),
            K::NotText { kind } => {
                let (zh, en) = kind.name();
                let detail = kind.detail();
                let (zh_detail, en_detail) = if detail.is_empty() {
                    (String::new(), String::new())
                } else {
                    (format!("（{detail}）"), format!(" ({detail})"))
                };
                // A space between Chinese and a Latin word, as Chinese typesetting has it.
                let gap = if zh.starts_with(|c: char| c.is_ascii()) {
                    " "
                } else {
                    ""
                };
                Text::new(
                    format!("这是{gap}{zh}{zh_detail}，不是 YAML 或 JSON 文本的申报文件"),
                    format!("this is {en}{en_detail}, not a YAML or JSON text submission"),
                )
            }
        }
    }

    #[must_use]
    pub fn help(&self) -> Option<Text> {
        use LoadErrorKind as K;
        Some(match &self.kind {
            K::FullWidthPunctuation { .. } => punctuation_help(),
            K::TooLarge { .. } => Text::new(
                "申报文件通常远小于此；如确需检查，请用 --max-file-size 提高上限",
                "submissions are far smaller than this; raise the limit with --max-file-size if needed",
            ),
            K::Encoding {
                detected: Some(enc),
                ..
            } if enc.starts_with("UTF-16") => Text::new(
                "请以 UTF-8 编码另存该文件：记事本「另存为」时编码选 UTF-8，或 iconv -f UTF-16 -t UTF-8 原文件 > 新文件",
                "save the file as UTF-8: in Notepad, Save As with encoding UTF-8, or iconv -f UTF-16 -t UTF-8 old > new",
            ),
            K::Encoding {
                detected: Some(_), ..
            } => Text::new(
                "请以 UTF-8 编码另存该文件（例如：iconv -f GB18030 -t UTF-8 原文件 > 新文件）",
                "save the file as UTF-8 (for example: iconv -f GB18030 -t UTF-8 old > new)",
            ),
            K::Encoding { detected: None, .. } => Text::new(
                "请以 UTF-8 编码另存该文件（编辑器的「另存为」中选择编码 UTF-8）",
                "save the file as UTF-8 (choose the encoding UTF-8 in the editor's Save As)",
            ),
            K::NotText { kind } => not_text_help(*kind),
            K::Workbook { problem } => problem.help(),
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
            K::JsonSyntax(error) => return error.help(),
            K::LoneSurrogate { .. } => Text::new(
                "基本平面之外的字符（如「𠮷」或表情符号）写作一对转义：高位 \\uD800–\\uDBFF 紧跟低位 \\uDC00–\\uDFFF，例如 \"\\uD842\\uDFB7\"；或直接写出该字符（UTF-8）",
                "a character outside the Basic Multilingual Plane (such as 𠮷 or an emoji) is escaped as a pair: a high half \\uD800–\\uDBFF right before a low half \\uDC00–\\uDFFF, as in \"\\uD842\\uDFB7\"; or write the character itself (UTF-8)",
            ),
            K::UnsupportedTag { .. } | K::TagMismatch { .. } => Text::new(
                "删除该标签；申报只使用普通的文字、数字、布尔值、列表和映射",
                "remove the tag; a submission uses only plain text, numbers, booleans, lists and mappings",
            ),
            _ => return None,
        })
    }
}

/// A JSON syntax error: what the JSON loader found, with words for the usual mistakes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// `//`, `/* … */` or `#`.
    Comment,
    /// A comma right before `]` or `}`.
    TrailingComma,
    /// A string or a key in single quotes.
    SingleQuote,
    /// An object key that is not a string in double quotes (`{name: 1}`, `{1: 2}`).
    UnquotedKey,
    /// `NaN`, `Infinity`, `-Infinity` (and their spellings in other languages, `.nan`, `inf`).
    NotANumber(String),
    /// A word where a value should be: `True`, `NULL`, `tru`, or text without quotes.
    BadLiteral(String),
    /// A byte-order mark after the start of the file.
    ByteOrderMark,
    /// A space character JSON does not allow between values (form feed, U+3000, …).
    Whitespace(char),
    /// Full-width punctuation where JSON's ASCII punctuation is needed.
    FullWidth { found: char, ascii: char },
    /// A character that cannot stand here.
    Unexpected { found: char, expected: Expected },
    /// The file ends inside a string, an array or an object (the span is its opening).
    Unclosed(Open),
    /// The file ends where a value should come (a text that is all whitespace is `Empty`).
    EndOfFile(Expected),
    /// More after the one value of the file.
    TrailingContent,
    /// A number written outside JSON's grammar.
    Number(NumberProblem),
    /// A backslash followed by a character that is no JSON escape.
    InvalidEscape(char),
    /// `\u` not followed by four hexadecimal digits.
    UnicodeEscape,
    /// A control character (U+0000–U+001F) in a string, such as a line break.
    ControlCharacter(char),
}

/// What could have stood where a JSON syntax error was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Value,
    Key,
    Colon,
    CommaOrBrace,
    CommaOrBracket,
    /// Nothing: the value is complete.
    End,
}

/// What a JSON text was left open at its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    String,
    Array,
    Object,
}

/// Why a number is not a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberProblem {
    /// `012`.
    LeadingZero,
    /// `+1`.
    PlusSign,
    /// `.5`, `-.5`.
    NoIntegerPart,
    /// `-` alone, `- 1`.
    DigitAfterMinus,
    /// `1.`, `1.e5`.
    DigitAfterPoint,
    /// `1e`, `1e+`.
    DigitInExponent,
    /// `0x1F`.
    Hex,
    /// A letter or a second point in a number: `1.2a`, `1.0.`.
    Garbage(char),
}

/// A character as a message shows it: itself in backquotes and its code point, or only the
/// code point for what cannot be seen.
fn shown(c: char) -> String {
    if c.is_control() || c.is_whitespace() || c == '\u{FEFF}' || c == '\u{2060}' {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("`{c}` (U+{:04X})", u32::from(c))
    }
}

impl Expected {
    fn zh(self) -> &'static str {
        match self {
            Self::Value => "一个值（对象、数组、带双引号的字符串、数字、true、false 或 null）",
            Self::Key => "一个带双引号的键",
            Self::Colon => "键之后的「:」",
            Self::CommaOrBrace => "「,」（下一个成员）或「}」（对象结束）",
            Self::CommaOrBracket => "「,」（下一项）或「]」（数组结束）",
            Self::End => "文件结束",
        }
    }

    fn en(self) -> &'static str {
        match self {
            Self::Value => {
                "a value (an object, array, string in double quotes, number, true, false or null)"
            }
            Self::Key => "a key in double quotes",
            Self::Colon => "`:` after the key",
            Self::CommaOrBrace => "`,` (another member) or `}` (the end of the object)",
            Self::CommaOrBracket => "`,` (another item) or `]` (the end of the array)",
            Self::End => "the end of the file",
        }
    }
}

impl JsonError {
    /// The message, which says what JSON allows where it is not obvious.
    #[must_use]
    pub fn message(&self) -> Text {
        let (zh, en) = self.words();
        Text::new(
            format!("JSON 语法错误：{zh}"),
            format!("JSON syntax error: {en}"),
        )
    }

    fn words(&self) -> (String, String) {
        match self {
            Self::Comment => (
                "JSON 不允许注释（// … 、/* … */ 或 # …）".to_owned(),
                "JSON allows no comments (// …, /* … */ or # …)".to_owned(),
            ),
            Self::TrailingComma => (
                "最后一项之后多了一个逗号；JSON 不允许尾随逗号".to_owned(),
                "a comma after the last item; JSON allows no trailing comma".to_owned(),
            ),
            Self::SingleQuote => (
                "JSON 的字符串和键必须用双引号 \"…\"，不能用单引号 '…'".to_owned(),
                "JSON strings and keys are in double quotes \"…\", not single quotes '…'"
                    .to_owned(),
            ),
            Self::UnquotedKey => (
                "对象的键必须是带双引号的字符串，例如 {\"name\": …}".to_owned(),
                "an object key must be a string in double quotes, as in {\"name\": …}".to_owned(),
            ),
            Self::NotANumber(word) => (
                format!("{word} 不是 JSON 数值：JSON 没有 NaN 和 Infinity"),
                format!("{word} is not a JSON number: JSON has no NaN or Infinity"),
            ),
            Self::BadLiteral(word) => (
                format!(
                    "「{word}」不是 JSON 值：文字须加双引号，字面量只有小写的 true、false、null"
                ),
                format!(
                    "`{word}` is not a JSON value: text is written in double quotes, and the only literals are true, false and null, in lower case"
                ),
            ),
            Self::ByteOrderMark => (
                "文件中间出现了字节顺序标记（BOM，U+FEFF）；它只能位于文件开头".to_owned(),
                "a byte-order mark (U+FEFF) inside the file; it may only stand at its very start"
                    .to_owned(),
            ),
            Self::Whitespace(c) => (
                format!(
                    "{} 不是 JSON 允许的空白；值与值之间只能用空格、制表符、换行和回车",
                    shown(*c)
                ),
                format!(
                    "{} is not whitespace JSON allows; only space, tab, line feed and carriage return may stand between values",
                    shown(*c)
                ),
            ),
            Self::FullWidth { found, ascii } => (
                format!("此处是全角标点「{found}」，JSON 要求半角「{ascii}」"),
                format!("the full-width `{found}` stands where JSON needs the ASCII `{ascii}`"),
            ),
            Self::Unexpected { found, expected } => {
                let quote = found.is_alphanumeric() && *expected == Expected::Value;
                (
                    format!(
                        "此处应为{}，却是 {}{}",
                        expected.zh(),
                        shown(*found),
                        if quote {
                            "（文字须加双引号）"
                        } else {
                            ""
                        }
                    ),
                    format!(
                        "expected {}, found {}{}",
                        expected.en(),
                        shown(*found),
                        if quote {
                            " (text is written in double quotes)"
                        } else {
                            ""
                        }
                    ),
                )
            }
            Self::Unclosed(Open::String) => (
                "这个字符串的引号没有闭合（文件在引号内结束）".to_owned(),
                "this string is never closed: the file ends inside it".to_owned(),
            ),
            Self::Unclosed(Open::Array) => (
                "这个数组 [ 没有闭合：文件在「]」之前结束".to_owned(),
                "this array is never closed: the file ends before its `]`".to_owned(),
            ),
            Self::Unclosed(Open::Object) => (
                "这个对象 { 没有闭合：文件在「}」之前结束".to_owned(),
                "this object is never closed: the file ends before its `}`".to_owned(),
            ),
            Self::EndOfFile(expected) => (
                format!("文件意外结束，此处应为{}", expected.zh()),
                format!("the file ends where {} should be", expected.en()),
            ),
            Self::TrailingContent => (
                "JSON 值结束后还有多余的内容；一个文件只能包含一个值".to_owned(),
                "more after the end of the JSON value; a file holds one value".to_owned(),
            ),
            Self::Number(problem) => number_words(*problem),
            Self::InvalidEscape(c) => (
                format!(
                    "反斜杠 \\ 之后的 {} 不是 JSON 的转义；JSON 只有 \\\" \\\\ \\/ \\b \\f \\n \\r \\t 和 \\uXXXX",
                    shown(*c)
                ),
                format!(
                    "{} after a backslash is no JSON escape; JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
                    shown(*c)
                ),
            ),
            Self::UnicodeEscape => (
                "Unicode 转义 \\u 之后须有四位十六进制数字".to_owned(),
                "a Unicode escape \\u needs four hexadecimal digits after it".to_owned(),
            ),
            Self::ControlCharacter(c) => {
                let escape = match c {
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => "\\u00XX",
                };
                (
                    format!("字符串中含有控制字符 {}，须写作转义 {escape}", shown(*c)),
                    format!(
                        "the control character {} inside a string must be escaped ({escape})",
                        shown(*c)
                    ),
                )
            }
        }
    }

    /// How to fix it, for the mistakes people make.
    #[must_use]
    pub fn help(&self) -> Option<Text> {
        Some(match self {
            Self::Comment => Text::new(
                "删除注释；需要在申报中写注释时，请改用 YAML 编写（.yaml 文件中 # 之后是注释）",
                "remove the comment; to keep comments in a submission, write it in YAML (in a .yaml file, # starts a comment)",
            ),
            Self::TrailingComma => Text::new("删除这个逗号", "remove this comma"),
            Self::SingleQuote | Self::UnquotedKey => Text::new(
                "用双引号 \" 括起键和文字；YAML 文件中单引号和不加引号的写法是允许的",
                "put keys and text in double quotes \"; a YAML file allows single quotes and plain words",
            ),
            Self::NotANumber(_) => Text::new(
                "填写一个有限的十进制数字；没有数据时删除该字段",
                "write a finite decimal number; leave the field out when there is no figure",
            ),
            Self::ByteOrderMark => Text::new(
                "删除文件中间的 BOM（多半是把几个文件拼在了一起）",
                "remove the byte-order mark (files joined together leave one in the middle)",
            ),
            Self::Whitespace(_) | Self::FullWidth { .. } => Text::new(
                "把它换成半角字符（关闭输入法的全角标点）",
                "replace it with the ASCII character (turn off full-width punctuation in the input method)",
            ),
            Self::ControlCharacter(_) => Text::new(
                "文字中的换行请写作 \\n；需要多行文字时，YAML 的块文本（|）更易读写",
                "write a line break in text as \\n; for text of several lines, YAML's block scalars (|) are easier",
            ),
            Self::Number(NumberProblem::Hex) => Text::new(
                "数量请用十进制填写；若是编号或代码，请加双引号",
                "write quantities in decimal; if this is a code, put it in double quotes",
            ),
            Self::Number(NumberProblem::LeadingZero) => Text::new(
                "去掉开头的 0；若是编号、邮编或代码，请加双引号，例如 \"0571\"",
                "drop the leading zero; if this is a code (a postcode, an area code), put it in double quotes, as in \"0571\"",
            ),
            Self::Unclosed(_) | Self::EndOfFile(_) => Text::new(
                "文件可能不完整（导出或上传被中断）；请检查括号和引号是否配对",
                "the file may be cut short (an export or upload interrupted); check that brackets and quotes are balanced",
            ),
            _ => return None,
        })
    }
}

fn number_words(problem: NumberProblem) -> (String, String) {
    let (zh, en) = match problem {
        NumberProblem::LeadingZero => (
            "数字不能以 0 开头（0 本身和 0.5 除外）",
            "a number cannot start with 0 (except 0 itself and 0.5)",
        ),
        NumberProblem::PlusSign => ("JSON 数字前不能写 + 号", "a JSON number has no plus sign"),
        NumberProblem::NoIntegerPart => (
            "小数点前须有数字，例如 0.5 而不是 .5",
            "a number needs a digit before its point: 0.5, not .5",
        ),
        NumberProblem::DigitAfterMinus => {
            ("负号之后须紧跟数字", "a digit must follow the minus sign")
        }
        NumberProblem::DigitAfterPoint => (
            "小数点之后须有数字，例如 1.0 而不是 1.",
            "a digit must follow the decimal point: 1.0, not 1.",
        ),
        NumberProblem::DigitInExponent => (
            "指数（e 或 E 之后）须有数字",
            "the exponent (after e or E) needs digits",
        ),
        NumberProblem::Hex => (
            "JSON 没有十六进制数字（0x…）",
            "JSON has no hexadecimal numbers (0x…)",
        ),
        NumberProblem::Garbage(c) => {
            return (
                format!("数字中出现了 {}", shown(c)),
                format!("{} inside a number", shown(c)),
            );
        }
    };
    (zh.to_owned(), en.to_owned())
}

/// The Chinese for saphyr-parser's error messages that a hand-written or exported YAML
/// submission can run into (and the YAML loader's own); the parser itself speaks English.
/// (JSON errors are the JSON loader's own, [`JsonError`], in both languages.)
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
            _ => return None,
        }
        .to_owned(),
    )
}

/// `使用了全角冒号“：”，请改为半角冒号“:”` for a full-width character YAML does not read as
/// syntax.
#[must_use]
pub fn punctuation_message(found: char, ascii: char) -> Text {
    let (zh_name, en_name) = crate::document::punctuation::ascii_of(found)
        .map_or(("全角字符", "full-width character"), |(_, zh, en)| {
            (zh, en)
        });
    // A space is named, not shown: 「全角空格」 says it all.
    let shown = |c: char| match c {
        '\u{3000}' | ' ' => String::new(),
        c => format!("“{c}”"),
    };
    let shown_en = |c: char| match c {
        '\u{3000}' => "U+3000".to_owned(),
        ' ' => "a space".to_owned(),
        c => format!("`{c}`"),
    };
    let ascii_zh = zh_name.replacen("全角", "半角", 1);
    Text::new(
        format!(
            "此处使用了{zh_name}{}，请改为{ascii_zh}{}",
            shown(found),
            shown(ascii)
        ),
        format!(
            "a {en_name} ({}) is used here; YAML needs {}",
            shown_en(found),
            shown_en(ascii)
        ),
    )
}

/// What to do with a file that is not text, by what it is.
fn not_text_help(kind: FileType) -> Text {
    match kind {
        FileType::Xlsx | FileType::Ods | FileType::Ole => Text::new(
            "parkcheck 按工作簿的内容读取工作簿（.xlsx、.xlsm、.xls、.ods）；请用 parkcheck template 生成的模板填写，工作表名和表头不要改动",
            "parkcheck reads workbooks (.xlsx, .xlsm, .xls, .ods) by their content: fill the template from parkcheck template, keeping its sheet names and headers",
        ),
        FileType::WordDocument => Text::new(
            "Word 文档不是申报数据：申报数据须为 YAML、JSON 或申报工作簿；承诺函等附件请在 attachments 中登记",
            "a Word document is not submission data: a submission is YAML, JSON or a submission workbook; list documents such as the commitment letter under attachments",
        ),
        FileType::Pdf | FileType::Image(_) => Text::new(
            "PDF 与图片通常是附件：在申报的 attachments 中登记其文件名（及 SHA-256），不要将其作为申报文件检查",
            "PDFs and images are attachments: list the file under the submission's attachments (with its SHA-256); do not check it as a submission",
        ),
        FileType::Zip | FileType::Archive(_) => Text::new(
            "请先解压，再检查其中的申报文件（parkcheck 可检查整个目录）",
            "unpack it first, then check the submissions in it (parkcheck checks a whole directory)",
        ),
        FileType::Presentation | FileType::Binary => Text::new(
            "申报文件须为 YAML 或 JSON 文本（或申报工作簿）：请确认选择的是申报文件",
            "a submission is YAML or JSON text (or a submission workbook): check that this is the file meant",
        ),
    }
}

/// The help of a full-width character in YAML's syntax.
#[must_use]
pub fn punctuation_help() -> Text {
    Text::new(
        "YAML 的冒号、空格、逗号、括号须用半角：切换输入法到英文（半角）标点后重新输入该字符",
        "YAML's colons, spaces, commas and brackets are ASCII: switch the input method to half-width punctuation and type the character again",
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
