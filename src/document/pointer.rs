//! JSON pointers (RFC 6901): `/tenants/3/uscc`.

use std::borrow::Cow;
use std::fmt;

/// A JSON pointer, kept in its escaped text form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the whole document (`""`).
    #[must_use]
    pub const fn root() -> Self {
        Self(String::new())
    }

    /// Takes a pointer's text as it is (`""` or starting with `/`).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        (text.is_empty() || text.starts_with('/')).then(|| Self(text.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This pointer with one more (unescaped) token.
    #[must_use]
    pub fn join(&self, token: &str) -> Self {
        let mut text = String::with_capacity(self.0.len() + token.len() + 1);
        text.push_str(&self.0);
        text.push('/');
        text.push_str(&escape_token(token));
        Self(text)
    }

    /// The unescaped tokens.
    pub fn tokens(&self) -> impl Iterator<Item = Cow<'_, str>> {
        self.0.split('/').skip(1).map(unescape_token)
    }

    /// The parent pointer and the last (unescaped) token; `None` for the root.
    #[must_use]
    pub fn split_last(&self) -> Option<(Self, String)> {
        let cut = self.0.rfind('/')?;
        let parent = Self(self.0.get(..cut)?.to_owned());
        let last = unescape_token(self.0.get(cut + 1..)?).into_owned();
        Some((parent, last))
    }

    /// Dotted form for people: `tenants[3].uscc`.
    #[must_use]
    pub fn dotted(&self) -> String {
        let mut out = String::new();
        for token in self.tokens() {
            if token.parse::<usize>().is_ok() {
                out.push('[');
                out.push_str(&token);
                out.push(']');
            } else {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&token);
            }
        }
        out
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Escapes `~` and `/` in one token.
#[must_use]
pub fn escape_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

fn unescape_token(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        let p = Pointer::root().join("a/b").join("m~n").join("3");
        assert_eq!(p.as_str(), "/a~1b/m~0n/3");
        let tokens: Vec<_> = p.tokens().collect();
        assert_eq!(tokens, ["a/b", "m~n", "3"]);
        let (parent, last) = p.split_last().unwrap();
        assert_eq!(parent.as_str(), "/a~1b/m~0n");
        assert_eq!(last, "3");
        assert_eq!(
            Pointer::parse("/tenants/3/uscc").unwrap().dotted(),
            "tenants[3].uscc"
        );
        assert!(Pointer::parse("tenants").is_none());
        assert!(Pointer::root().split_last().is_none());
    }
}
