//! The unified social credit code (统一社会信用代码) of GB 32100-2015: its alphabet, its
//! check character, and a precise account of what is wrong with a string given as one.
//!
//! Panic-free on any input: a malformed code is a [`UsccProblem`], never a panic.

use std::fmt;

/// The 31 characters a USCC may use, in the order of their values (0–30): the digits and the
/// upper-case letters without I, O, Z, S and V.
const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The weights of the first 17 characters (3ⁱ mod 31).
const USCC_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The number of characters of a USCC.
const USCC_LEN: usize = 18;

/// The value of a USCC character (its index in [`USCC_ALPHABET`]), or `None` when the
/// character is not one a USCC may use.
fn uscc_value(c: char) -> Option<usize> {
    let (base, first) = match c {
        '0'..='9' => (0, '0'),
        'A'..='H' => (10, 'A'),
        'J'..='N' => (18, 'J'),
        'P'..='R' => (23, 'P'),
        'T'..='U' => (26, 'T'),
        'W'..='Y' => (28, 'W'),
        _ => return None,
    };
    Some(base + (c as usize - first as usize))
}

/// What is wrong with a string given as a USCC; see [`uscc_problem`].
///
/// Positions count characters (not bytes) from 1, as a person reading the code would.
/// The [`Display`](fmt::Display) text is a complete sentence fragment for a diagnostic,
/// e.g. `character 5 'I' is not used in a USCC (no I, O, Z, S or V)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsccProblem {
    /// The code does not have 18 characters; `found` is how many it has.
    Length {
        /// The number of characters (Unicode scalar values) of the input.
        found: usize,
    },
    /// A character outside `0-9 A-H J-N P-R T-U W-Y` (the first such one).
    Charset {
        /// Its position, from 1.
        position: usize,
        /// The character.
        found: char,
    },
    /// One of characters 3–8, the registering authority's region code, is not a digit
    /// (the first such one).
    Region {
        /// Its position, from 3 to 8.
        position: usize,
        /// The character.
        found: char,
    },
    /// The 18th character is not the check character computed from the first 17.
    CheckCharacter {
        /// The check character the first 17 characters call for.
        expected: char,
        /// The 18th character of the input.
        found: char,
    },
}

impl UsccProblem {
    /// The problem in Chinese, for messages.
    #[must_use]
    pub fn zh(&self) -> String {
        match *self {
            UsccProblem::Length { found } => {
                format!("长度为 {found} 位，统一社会信用代码应为 {USCC_LEN} 位")
            }
            UsccProblem::Charset { position, found } => {
                let upper = found.to_ascii_uppercase();
                if found.is_ascii_lowercase() && uscc_value(upper).is_some() {
                    format!("第 {position} 位“{found}”是小写字母，应写作大写“{upper}”")
                } else if matches!(upper, 'I' | 'O' | 'Z' | 'S' | 'V') {
                    format!(
                        "第 {position} 位“{found}”不会出现在统一社会信用代码中（不用 I、O、Z、S、V）"
                    )
                } else {
                    format!(
                        "第 {position} 位“{found}”不是允许的字符（0-9、A-H、J-N、P-R、T-U、W-Y）"
                    )
                }
            }
            UsccProblem::Region { position, found } => {
                format!("第 {position} 位“{found}”不是数字；第 3–8 位是登记管理机关行政区划码")
            }
            UsccProblem::CheckCharacter { expected, found } => {
                format!("校验码（第 18 位）为“{found}”，按前 17 位计算应为“{expected}”")
            }
        }
    }
}

impl fmt::Display for UsccProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            UsccProblem::Length { found } => {
                write!(f, "has {found} characters; a USCC has {USCC_LEN}")
            }
            UsccProblem::Charset { position, found } => {
                let upper = found.to_ascii_uppercase();
                if found.is_ascii_lowercase() && uscc_value(upper).is_some() {
                    write!(
                        f,
                        "character {position} '{found}' is lower case; a USCC is written in upper case ('{upper}')"
                    )
                } else if matches!(upper, 'I' | 'O' | 'Z' | 'S' | 'V') {
                    write!(
                        f,
                        "character {position} '{found}' is not used in a USCC (no I, O, Z, S or V)"
                    )
                } else {
                    write!(
                        f,
                        "character {position} {found:?} is not allowed; a USCC uses 0-9 A-H J-N P-R T-U W-Y"
                    )
                }
            }
            UsccProblem::Region { position, found } => write!(
                f,
                "character {position} '{found}' is not a digit; characters 3-8 are the region code"
            ),
            UsccProblem::CheckCharacter { expected, found } => write!(
                f,
                "check character (18th) is '{found}' but the first 17 characters give '{expected}'"
            ),
        }
    }
}

impl std::error::Error for UsccProblem {}

/// Checks a 统一社会信用代码 against GB 32100-2015 and says what is wrong, or `None` when it is
/// valid.
///
/// The checks, in order (the first failure is reported):
/// 1. exactly 18 characters;
/// 2. every character from `0-9 A-H J-N P-R T-U W-Y` (upper case only; no I, O, Z, S, V);
/// 3. characters 3–8 are digits (the registering authority's region code);
/// 4. the 18th character is the check character: with `value(c)` the index of `c` in
///    `0123456789ABCDEFGHJKLMNPQRTUWXY` and weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28,
///    it is the character of value `(31 − Σ value(cᵢ)·wᵢ mod 31) mod 31` over the first 17.
///
/// The input is taken as is: surrounding whitespace makes it the wrong length.
pub fn uscc_problem(code: &str) -> Option<UsccProblem> {
    let found = code.chars().count();
    if found != USCC_LEN {
        return Some(UsccProblem::Length { found });
    }
    let mut sum = 0usize;
    let mut weights = USCC_WEIGHTS.iter();
    let mut last = None;
    for (i, c) in code.chars().enumerate() {
        let position = i + 1;
        let Some(value) = uscc_value(c) else {
            return Some(UsccProblem::Charset { position, found: c });
        };
        if (3..=8).contains(&position) && !c.is_ascii_digit() {
            return Some(UsccProblem::Region { position, found: c });
        }
        match weights.next() {
            Some(w) => sum += value * w,
            None => last = Some(c),
        }
    }
    let expected_value = (31 - sum % 31) % 31;
    let expected = char::from(*USCC_ALPHABET.as_bytes().get(expected_value)?);
    match last {
        Some(found) if found == expected => None,
        Some(found) => Some(UsccProblem::CheckCharacter { expected, found }),
        // Unreachable: 18 characters were counted above.
        None => Some(UsccProblem::Length { found }),
    }
}

/// Whether `code` is a valid 统一社会信用代码 per GB 32100-2015 (see [`uscc_problem`] for the
/// checks and for what is wrong when it is not).
pub fn uscc_valid(code: &str) -> bool {
    uscc_problem(code).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An independent computation of the check character, written out from the standard.
    fn reference_check(first17: &str) -> char {
        let alphabet: Vec<char> = "0123456789ABCDEFGHJKLMNPQRTUWXY".chars().collect();
        let weights = [
            1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
        ];
        let mut sum = 0;
        for (i, c) in first17.chars().enumerate() {
            let v = alphabet.iter().position(|a| *a == c).unwrap();
            sum += v * weights[i];
        }
        alphabet[(31 - sum % 31) % 31]
    }

    /// Codes whose check characters were computed by hand (and by a separate script).
    const VALID: [&str; 9] = [
        "91350100M000100Y43", // a published valid code
        "91330483MA2B3C4D5D", // 桐乡市 region, letter check character
        "91330402MA28A1B2C4", // 南湖区
        "92330411MA2JD00019", // 个体工商户, 秀洲区
        "123304000025000007", // 机关
        "913304810000000003",
        "Y1330482MA2CXY7K0Y", // registering authority Y, check character Y
        "91330421MA2BTBB8W8",
        "91330483MA2B3C4050", // Σ ≡ 0 (mod 31): check character 0
    ];

    #[test]
    fn character_values_follow_the_alphabet() {
        for (i, c) in USCC_ALPHABET.chars().enumerate() {
            assert_eq!(uscc_value(c), Some(i), "{c}");
        }
        for c in (0..=0x2_0000u32).filter_map(char::from_u32) {
            if !USCC_ALPHABET.contains(c) {
                assert_eq!(uscc_value(c), None, "{c:?}");
            }
        }
    }

    #[test]
    fn valid_codes_pass() {
        for code in VALID {
            assert_eq!(uscc_problem(code), None, "{code}");
            assert!(uscc_valid(code), "{code}");
            let (head, check) = code.split_at(17);
            assert_eq!(
                reference_check(head),
                check.chars().next().unwrap(),
                "{code}"
            );
        }
    }

    #[test]
    fn computed_codes_pass_and_every_other_check_character_fails() {
        let prefixes = [
            "91330483MA2B3C4D5",
            "91330402MA28A1B2C",
            "52330481MJ0000000",
            "11330400002500000",
            "93330424YYYYYYYYY",
            "A1330482000000001",
        ];
        for prefix in prefixes {
            let expected = reference_check(prefix);
            assert!(uscc_valid(&format!("{prefix}{expected}")), "{prefix}");
            for other in USCC_ALPHABET.chars().filter(|c| *c != expected) {
                let code = format!("{prefix}{other}");
                assert_eq!(
                    uscc_problem(&code),
                    Some(UsccProblem::CheckCharacter {
                        expected,
                        found: other
                    }),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn wrong_check_character() {
        assert_eq!(
            uscc_problem("91350100M000100Y44"),
            Some(UsccProblem::CheckCharacter {
                expected: '3',
                found: '4'
            })
        );
        assert!(!uscc_valid("91350100M000100Y44"));
        // a transposition of two characters is caught
        assert!(!uscc_valid("91350100M000010Y43"));
        let msg = uscc_problem("91350100M000100Y44").unwrap().to_string();
        assert_eq!(
            msg,
            "check character (18th) is '4' but the first 17 characters give '3'"
        );
    }

    #[test]
    fn lower_case_is_invalid() {
        let p = uscc_problem("91330483ma2b3c4d5d");
        assert_eq!(
            p,
            Some(UsccProblem::Charset {
                position: 9,
                found: 'm'
            })
        );
        assert!(p.unwrap().to_string().contains("lower case"));
        assert!(!uscc_valid("91350100m000100y43"));
    }

    #[test]
    fn wrong_length() {
        assert_eq!(uscc_problem(""), Some(UsccProblem::Length { found: 0 }));
        assert_eq!(
            uscc_problem("91350100M000100Y4"),
            Some(UsccProblem::Length { found: 17 })
        );
        assert_eq!(
            uscc_problem("91350100M000100Y430"),
            Some(UsccProblem::Length { found: 19 })
        );
        // surrounding whitespace is not trimmed
        assert_eq!(
            uscc_problem(" 91350100M000100Y43"),
            Some(UsccProblem::Length { found: 19 })
        );
        assert_eq!(
            UsccProblem::Length { found: 17 }.to_string(),
            "has 17 characters; a USCC has 18"
        );
    }

    #[test]
    fn forbidden_letters() {
        for bad in ['I', 'O', 'Z', 'S', 'V'] {
            let code: String = "91330483MA2B3C4D5D"
                .chars()
                .enumerate()
                .map(|(i, c)| if i == 9 { bad } else { c })
                .collect();
            let p = uscc_problem(&code);
            assert_eq!(
                p,
                Some(UsccProblem::Charset {
                    position: 10,
                    found: bad
                }),
                "{code}"
            );
            assert!(p.unwrap().to_string().contains("no I, O, Z, S or V"));
        }
        // punctuation and a lower-case forbidden letter
        assert_eq!(
            uscc_problem("91330483-A2B3C4D5D"),
            Some(UsccProblem::Charset {
                position: 9,
                found: '-'
            })
        );
        let p = uscc_problem("91330483iA2B3C4D5D").unwrap();
        assert!(p.to_string().contains("no I, O, Z, S or V"), "{p}");
    }

    #[test]
    fn non_digit_region_code() {
        assert_eq!(
            uscc_problem("913A0483MA2B3C4D5D"),
            Some(UsccProblem::Region {
                position: 4,
                found: 'A'
            })
        );
        assert_eq!(
            uscc_problem("9133048XMA2B3C4D5D"),
            Some(UsccProblem::Region {
                position: 8,
                found: 'X'
            })
        );
        // characters 1, 2 and 9 may be letters
        assert!(uscc_valid("Y1330482MA2CXY7K0Y"));
        let msg = uscc_problem("913A0483MA2B3C4D5D").unwrap().to_string();
        assert!(msg.contains("region code"), "{msg}");
    }

    #[test]
    fn multibyte_input() {
        // counted in characters, not bytes: 6 CJK characters are 18 bytes
        assert_eq!(
            uscc_problem("统一社会信用"),
            Some(UsccProblem::Length { found: 6 })
        );
        assert_eq!(
            uscc_problem("九1350100M000100Y43"),
            Some(UsccProblem::Charset {
                position: 1,
                found: '九'
            })
        );
        // a full-width digit is not a digit of the code
        assert_eq!(
            uscc_problem("91350100M000100Y4３"),
            Some(UsccProblem::Charset {
                position: 18,
                found: '３'
            })
        );
        assert_eq!(
            uscc_problem("91３50100M000100Y43"),
            Some(UsccProblem::Charset {
                position: 3,
                found: '３'
            })
        );
        assert!(!uscc_valid("🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂"));
        assert!(!uscc_valid("91350100M000100Y4\u{0}"));
    }
}
