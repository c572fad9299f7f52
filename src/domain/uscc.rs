//! The unified social credit code (统一社会信用代码) of GB 32100-2015: its alphabet, its
//! check character, the organisation code (组织机构代码, GB 11714-1997) it embeds as characters
//! 9–17 with that code's own check character, and a precise account of what is wrong with a
//! string given as one.
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

/// The weights of the eight characters of an organisation code's body (GB 11714-1997).
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// The value of a character of an organisation code (GB 11714-1997): a digit its own value,
/// a letter `A` = 10 … `Z` = 35 (the whole Latin alphabet, unlike the USCC's values).
fn org_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' | 'A'..='Z' => c.to_digit(36),
        _ => None,
    }
}

/// The check character of an organisation code whose body (8 characters) is `body`, per
/// GB 11714-1997: C = 11 − (Σ value·weight mod 11), written `X` for 10 and `0` for 11; `None`
/// when `body` is not 8 digits or upper-case letters.
#[must_use]
pub fn org_code_check(body: &str) -> Option<char> {
    let mut sum = 0;
    let mut count = 0;
    for (c, w) in body.chars().zip(ORG_WEIGHTS) {
        sum += org_value(c)? * w;
        count += 1;
    }
    if count != ORG_WEIGHTS.len() || body.chars().count() != ORG_WEIGHTS.len() {
        return None;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from_digit(c, 10)?,
    })
}

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
        /// Characters 9–17 are a valid organisation code all the same (GB 11714): so are the
        /// early pilot codes issued before GB 32100-2015 that fail its check character.
        org_code_valid: bool,
    },
    /// The 18th character agrees, but characters 9–17 are not an organisation code: the 17th
    /// is not the GB 11714-1997 check character of characters 9–16. GB 32100-2015 embeds the
    /// organisation code with its own check character, so a code made to the standards passes
    /// both (typically such a code was edited and its last character recomputed, or made up).
    OrgCode {
        /// The check character characters 9–16 call for (a digit or `X`).
        expected: char,
        /// The 17th character of the input.
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
            UsccProblem::CheckCharacter {
                expected,
                found,
                org_code_valid,
            } => {
                let mut text =
                    format!("校验码（第 18 位）为“{found}”，按前 17 位计算应为“{expected}”");
                if org_code_valid {
                    text.push_str(
                        "；第 9–17 位的组织机构代码本身校验无误，若代码抄自营业执照，可能是 GB 32100-2015 发布前早期试点地区核发的代码，请在国家企业信用信息公示系统核实",
                    );
                }
                text
            }
            UsccProblem::OrgCode { expected, found } => format!(
                "第 9–17 位是组织机构代码（GB 11714-1997），其校验码（第 17 位）为“{found}”，按第 9–16 位计算应为“{expected}”；末位校验码虽然吻合，按国家标准编制的代码第 17 位也必须相符，请对照营业执照核对"
            ),
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
            UsccProblem::CheckCharacter {
                expected,
                found,
                org_code_valid,
            } => {
                write!(
                    f,
                    "check character (18th) is '{found}' but the first 17 characters give '{expected}'"
                )?;
                if org_code_valid {
                    write!(
                        f,
                        "; characters 9-17 are a valid organisation code, so if the code was copied from the business licence it may be one of the early pilot codes issued before GB 32100-2015: verify it in the National Enterprise Credit Information Publicity System"
                    )?;
                }
                Ok(())
            }
            UsccProblem::OrgCode { expected, found } => write!(
                f,
                "characters 9-17 are the organisation code (GB 11714-1997), whose check character (17th) is '{found}' but characters 9-16 give '{expected}'; the 18th character agrees, but a code made to the standards passes this check too: compare it with the business licence"
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
///    it is the character of value `(31 − Σ value(cᵢ)·wᵢ mod 31) mod 31` over the first 17;
/// 5. characters 9–17 are an organisation code (GB 11714-1997, which GB 32100-2015 embeds): the
///    17th is its check character, `11 − (Σ value·weight mod 11)` over characters 9–16 with
///    weights 3 7 9 10 5 8 4 2 and values `0`–`9`, `A` = 10 … `Z` = 35, written `X` for 10 and
///    `0` for 11 (see [`org_code_check`]).
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
    // Characters 9–17, the organisation code: 9 ASCII characters (checked above), so byte
    // offsets are character offsets.
    // (Always computed: characters 9–16 passed the alphabet check, a subset of GB 11714's.)
    let org = code.get(8..16).and_then(org_code_check).unwrap_or('?');
    let seventeenth = code.chars().nth(16).unwrap_or('?');
    let org_code_valid = org == seventeenth;
    match last {
        Some(found) if found != expected => Some(UsccProblem::CheckCharacter {
            expected,
            found,
            org_code_valid,
        }),
        Some(_) if org_code_valid => None,
        Some(_) => Some(UsccProblem::OrgCode {
            expected: org,
            found: seventeenth,
        }),
        // Unreachable: 18 characters were counted above.
        None => Some(UsccProblem::Length { found }),
    }
}

/// Whether `code` is a valid 统一社会信用代码 per GB 32100-2015, its embedded organisation code
/// valid per GB 11714-1997 (see [`uscc_problem`] for the checks and for what is wrong when it
/// is not).
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

    /// An independent computation of the organisation code's check character (GB 11714-1997).
    fn reference_org_check(body: &str) -> char {
        let weights = [3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = body
            .chars()
            .zip(weights)
            .map(|(c, w)| c.to_digit(36).unwrap() * w)
            .sum();
        match 11 - sum % 11 {
            10 => 'X',
            11 => '0',
            c => char::from_digit(c, 10).unwrap(),
        }
    }

    /// Codes whose check characters were computed by hand (and by a separate script).
    const VALID: [&str; 9] = [
        "91350100M000100Y43", // the example of GB 32100-2015, as published
        "91330483MA2B3C026E", // 桐乡市 region, letter check character
        "91330402MA28A1005X", // 南湖区
        "92330411MA2JD00092", // 个体工商户, 秀洲区
        "123304000025000093", // 机关
        "913304810000000003",
        "Y1330482MA2CXY194Y", // registering authority Y, check character Y
        "91330421MA2BTB05XR", // organisation check character X
        "91330483MA2B3C1730", // Σ ≡ 0 (mod 31): check character 0
    ];

    /// Real codes, as published with the enterprise's name, from a public list that another
    /// project's tests use: github.com/bluesky335/IDCheck, `USCI/USCI_test.go` (commit
    /// 077dc675300fde63cd35287877d884f72a1c444a), and the two of Hutool's `CreditCodeUtilTest`
    /// (github.com/dromara/hutool). Not computed here: codes issued by registering authorities.
    const REAL: [(&str, &str); 13] = [
        ("9135010557098120XJ", "福建百度博瑞网络科技有限公司"),
        ("91120222MA06DG3067", "天津云上畅游科技合伙企业（有限合伙）"),
        ("91120222MA0699U071", "天津锤子科技有限公司"),
        ("91310000MA1K35Y38P", "锤子科贸（上海）有限公司"),
        ("91110108795101314G", "谷歌信息技术（中国）有限公司"),
        ("914403001922038216", "华为技术有限公司"),
        ("91330000704202479R", "浙江小王子食品有限公司"),
        ("91500105MA5UM6TF71", "重庆云嘟嘟科技有限公司"),
        ("913504001555807674", "福建一建集团有限公司"),
        ("9135020026015919XW", "厦门象屿集团有限公司"),
        ("913502006120495420", "厦门中骏集团有限公司"),
        ("91310115591693856A", "Hutool CreditCodeUtilTest"),
        ("91310110666007217T", "Hutool CreditCodeUtilTest"),
    ];

    /// Early pilot codes, legally issued before GB 32100-2015, that fail its check character
    /// (same sources: IDCheck's README and tests, Hutool's `isCreditCode2`): their organisation
    /// codes are valid, and the message says where to verify such a code.
    const PILOT: [(&str, &str); 4] = [
        ("91350211M0000XUF46", "厦门云上晴空航空科技有限公司"),
        ("91350100M0001TGQXM", "福建恒跃柳工机械销售有限公司"),
        ("91350203M0001FUE2P", "厦门黑脉网络科技有限公司"),
        ("91350211M00013FA1N", "Hutool CreditCodeUtilTest"),
    ];

    /// More real codes, without names: a list of codes (mostly of Xiamen enterprises) that a
    /// public project validates, github.com/02020/vite, `learn/utils/validateSocialCreditCode.js`
    /// (commit 19c51ac33e0ee021bafe6b2b5706fb7a7486a317), its pilot code `91350203M0001QAY9B`
    /// aside.
    const REAL_UNNAMED: &str = "91350200776049653A 91350500798359476R 91350503MA31DKY80A \
        91350200MA31E12PXF 91440101MA5CJQ4N59 913502000728319549 123502001549897397 \
        91350503MA31DNG762 913502115628130384 9135021359498494XQ 91350203MA31NDF85F \
        91350203MA32AXT97E 91350203MA31XXW31H 91350206MA31LUJ437 91350213678251743X \
        91350212MA3490L25U 91350203MA31GJ942M 9135020530311446XH 91350200MA31JNQ72Y \
        91350206MA31H8JN7M 91350203MA31NFLDXR 91350200MA31JNPGX6 91350206MA31H80F0J \
        91440300MA5F7YRE78 91440300MA5FG7JT43 91350213MA2YLEEU9M 91350100077407773G \
        91350200MA32A5G718 91350200MA32AE621B 91350200612001960R 91350203MA32AH2832 \
        91350203MA2YL7J30M 91350100MA32G75888 91350200MA2YJ1XR9G 91350200MA329TEQ4P \
        91350200MA2XNMK54G 91350200MA31DJ4F48 91350200MA34AKE39U 91110107082833558H \
        91350203MA32F5BMX3 913502002601481917 91350200154984129T 913502123031288102 \
        91350211575038325E 91350100056125371J 91350200MA31GCG3X9 91350100MA31LTEW8M \
        91350200MA32F52G3Y 91350203MA31N5J38T 91350200303285066B 914403006188329255 \
        91420103594531449D 91350500MA32FXKC12";

    #[test]
    fn real_codes_pass_both_checks() {
        let unnamed = REAL_UNNAMED.split_whitespace().map(|c| (c, "02020/vite"));
        let mut count = 0;
        for (code, whose) in REAL.into_iter().chain(unnamed) {
            assert_eq!(uscc_problem(code), None, "{code} ({whose})");
            let (body, check) = (&code[8..16], code.chars().nth(16).unwrap());
            assert_eq!(org_code_check(body), Some(check), "{code}");
            assert_eq!(reference_org_check(body), check, "{code}");
            count += 1;
        }
        assert_eq!(count, 13 + 53);
    }

    #[test]
    fn pilot_codes_fail_the_check_character_and_say_where_to_verify() {
        for (code, whose) in PILOT {
            let problem = uscc_problem(code);
            assert!(
                matches!(
                    problem,
                    Some(UsccProblem::CheckCharacter {
                        org_code_valid: true,
                        ..
                    })
                ),
                "{code} ({whose}): {problem:?}"
            );
            let problem = problem.unwrap();
            assert!(problem.zh().contains("国家企业信用信息公示系统"), "{code}");
            assert!(problem.to_string().contains("early pilot codes"), "{code}");
        }
    }

    #[test]
    fn an_organisation_code_that_fails_its_check_is_reported() {
        // The worked example quoted with GB 11714: 59467239-9.
        assert_eq!(org_code_check("59467239"), Some('9'));
        assert_eq!(org_code_check("5946723"), None);
        assert_eq!(org_code_check("594672390"), None);
        assert_eq!(org_code_check("5946723a"), None);
        // Every real code with its 17th character changed, and the 18th recomputed so that
        // GB 32100's check passes: only GB 11714's catches it.
        for (code, _) in REAL {
            let right = code.chars().nth(16).unwrap();
            for wrong in "0123456789X".chars().filter(|c| *c != right) {
                let first17 = format!("{}{wrong}", &code[..16]);
                let forged = format!("{first17}{}", reference_check(&first17));
                assert_eq!(
                    uscc_problem(&forged),
                    Some(UsccProblem::OrgCode {
                        expected: right,
                        found: wrong
                    }),
                    "{forged}"
                );
                assert!(!uscc_valid(&forged), "{forged}");
            }
        }
        let p = uscc_problem("91330483MA2B3C4D5D").unwrap();
        assert_eq!(
            p,
            UsccProblem::OrgCode {
                expected: '1',
                found: '5'
            }
        );
        assert!(p.zh().contains("GB 11714"), "{}", p.zh());
        assert!(p.to_string().contains("organisation code"), "{p}");
        // A letter other than X in place 17 is never an organisation check character.
        let first17 = "91330483MA2B3C02A";
        let forged = format!("{first17}{}", reference_check(first17));
        assert!(matches!(
            uscc_problem(&forged),
            Some(UsccProblem::OrgCode { found: 'A', .. })
        ));
    }

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
            assert_eq!(
                reference_org_check(&code[8..16]),
                code.chars().nth(16).unwrap(),
                "{code}"
            );
        }
    }

    #[test]
    fn computed_codes_pass_and_every_other_check_character_fails() {
        // Each with a valid organisation code in places 9–17.
        let prefixes = [
            "91330483MA2B3C4D1",
            "91330402MA28A1B21",
            "52330481MJ000000X",
            "11330400002500009",
            "93330424YYYYYYYY7",
            "A1330482000000000",
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
                        found: other,
                        org_code_valid: true,
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
                found: '4',
                org_code_valid: true,
            })
        );
        assert!(!uscc_valid("91350100M000100Y44"));
        // a transposition of two characters is caught, by both checks here
        assert_eq!(
            uscc_problem("91350100M000010Y43"),
            Some(UsccProblem::CheckCharacter {
                expected: 'J',
                found: '3',
                org_code_valid: false,
            })
        );
        let msg = uscc_problem("91350100M000010Y43").unwrap().to_string();
        assert_eq!(
            msg,
            "check character (18th) is '3' but the first 17 characters give 'J'"
        );
        // With a valid organisation code, the message adds where to verify a pilot code.
        let msg = uscc_problem("91350100M000100Y44").unwrap().to_string();
        assert!(
            msg.starts_with("check character (18th) is '4' but the first 17 characters give '3'; characters 9-17 are a valid organisation code"),
            "{msg}"
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
            let code: String = "91330483MA2B3C026E"
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
        assert!(uscc_valid("Y1330482MA2CXY194Y"));
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
