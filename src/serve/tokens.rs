//! Bearer tokens: the token file, constant-time comparison, authorisation of a request.

use super::*;

/// A named bearer token, kept as its SHA-256 (compared in constant time).
#[derive(Debug)]
pub(super) struct Token {
    pub(super) name: String,
    pub(super) digest: [u8; 32],
}

/// Reads the token file: `NAME TOKEN` or `NAME:TOKEN` a line.
pub(super) fn read_tokens(path: &std::path::Path) -> Result<Vec<Token>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "无法读取令牌文件 {0}：{e} / cannot read the token file {0}: {e}",
            path.display()
        )
    })?;
    let mut tokens = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, token)) = line
            .split_once(char::is_whitespace)
            .or_else(|| line.split_once(':'))
            .map(|(a, b)| (a.trim(), b.trim()))
            .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        else {
            return Err(format!(
                "令牌文件 {0} 第 {1} 行应为“名称 令牌” / the token file {0}, line {1}: expected `NAME TOKEN`",
                path.display(),
                n + 1
            ));
        };
        if token.len() < 16 {
            return Err(format!(
                "令牌文件 {0} 第 {1} 行：令牌至少 16 个字符 / the token file {0}, line {1}: a token needs at least 16 characters",
                path.display(),
                n + 1
            ));
        }
        tokens.push(Token {
            name: name.to_owned(),
            digest: Sha256::digest(token.as_bytes()).into(),
        });
    }
    if tokens.is_empty() {
        return Err(format!(
            "令牌文件 {0} 中没有令牌 / the token file {0} holds no token",
            path.display()
        ));
    }
    Ok(tokens)
}

/// The name of the token `presented` is, comparing digests in constant time (every token is
/// compared, every byte of each).
pub(super) fn token_name<'a>(tokens: &'a [Token], presented: &str) -> Option<&'a str> {
    let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
    let mut found = None;
    for token in tokens {
        let diff = token
            .digest
            .iter()
            .zip(&digest)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if diff == 0 {
            found = Some(token.name.as_str());
        }
    }
    found
}

pub(super) fn authorize(
    app: &App,
    route: &str,
    headers: &HeaderMap,
) -> Result<Option<String>, Failure> {
    let Some(tokens) = &app.tokens else {
        return Ok(None);
    };
    if route == "/health" {
        return Ok(None);
    }
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(presented) = presented else {
        return Err(unauthorized("缺少令牌", "a bearer token is needed"));
    };
    token_name(tokens, presented)
        .map(|name| Some(name.to_owned()))
        .ok_or_else(|| unauthorized("令牌无效", "the token is not valid"))
}

fn unauthorized(zh: &str, en: &str) -> Failure {
    Failure::new(StatusCode::UNAUTHORIZED, "unauthorized", zh, en)
}
