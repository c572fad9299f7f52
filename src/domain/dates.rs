//! Calendar dates as submissions write them (`YYYY-MM-DD`), and the spans between two of them
//! in days and in whole years (by anniversary).

use jiff::civil::Date;

/// Parses a calendar date written exactly `YYYY-MM-DD` (four-digit year, two-digit month and
/// day, no time, no surrounding whitespace).
///
/// # Errors
///
/// A message quoting the input when it does not have that form or names no calendar day
/// (e.g. `2021-02-29`: "February 2021 has 28 days").
pub fn parse_date(s: &str) -> Result<Date, String> {
    let bytes = s.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let field = |from: usize, to: usize| s.get(from..to).and_then(|t| t.parse::<i16>().ok());
    let parts = if shaped {
        field(0, 4).zip(field(5, 7)).zip(field(8, 10))
    } else {
        None
    };
    let Some(((year, month), day)) = parts else {
        return Err(format!(
            "{} is not a date of the form YYYY-MM-DD",
            quote_short(s)
        ));
    };
    let (Ok(month8), Ok(day8)) = (i8::try_from(month), i8::try_from(day)) else {
        return Err(format!("{s:?} is not a calendar date"));
    };
    if !(1..=12).contains(&month8) {
        return Err(format!(
            "{s:?} is not a calendar date: there is no month {month}"
        ));
    }
    let first =
        Date::new(year, month8, 1).map_err(|e| format!("{s:?} is not a calendar date: {e}"))?;
    let days = first.days_in_month();
    if !(1..=days).contains(&day8) {
        return Err(format!(
            "{s:?} is not a calendar date: {} {year} has {days} days",
            month_name(month8)
        ));
    }
    Date::new(year, month8, day8).map_err(|e| format!("{s:?} is not a calendar date: {e}"))
}

fn month_name(month: i8) -> &'static str {
    match month {
        1 => "January",
        2 => "February",
        3 => "March",
        4 => "April",
        5 => "May",
        6 => "June",
        7 => "July",
        8 => "August",
        9 => "September",
        10 => "October",
        11 => "November",
        _ => "December",
    }
}

/// `s` quoted for a message, cut to its first 40 characters.
fn quote_short(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head:?}…")
    }
}

/// The number of days from `a` to `b` (`b − a`; negative when `b` is before `a`), both
/// `YYYY-MM-DD`.
///
/// # Errors
///
/// The [`parse_date`] message of the first date that does not parse.
pub fn days_between(a: &str, b: &str) -> Result<i64, String> {
    let (a, b) = (parse_date(a)?, parse_date(b)?);
    Ok(days_between_dates(a, b))
}

/// `b − a` in days.
pub fn days_between_dates(a: Date, b: Date) -> i64 {
    a.duration_until(b).as_secs() / 86_400
}

/// The whole years from `a` to `b`, both `YYYY-MM-DD`, counted by anniversary: a year is
/// complete on the day of the same month and day (2020-03-01 → 2022-02-28 is 1 year,
/// → 2022-03-01 is 2). The anniversary of 29 February in a common year is 28 February, the
/// month's last day (as 民法典 第二百零二条 counts periods): 2020-02-29 → 2021-02-28 is 1
/// year, → 2021-02-27 is 0. When `b` is before `a` the result is the negative of the years
/// from `b` to `a`.
///
/// # Errors
///
/// The [`parse_date`] message of the first date that does not parse.
pub fn years_between(a: &str, b: &str) -> Result<i64, String> {
    let (a, b) = (parse_date(a)?, parse_date(b)?);
    Ok(years_between_dates(a, b))
}

/// Whole years from `a` to `b` by anniversary; see [`years_between`].
pub fn years_between_dates(a: Date, b: Date) -> i64 {
    if b < a {
        return -years_between_dates(b, a);
    }
    let mut years = i64::from(b.year()) - i64::from(a.year());
    // a's anniversary in b's year; 29 February falls on the 28th in a common year.
    let day = if a.month() == 2 && a.day() == 29 && !b.in_leap_year() {
        28
    } else {
        a.day()
    };
    if (b.month(), b.day()) < (a.month(), day) {
        years -= 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates() {
        let d = parse_date("2020-02-29").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2020, 2, 29));
        assert_eq!(parse_date("0001-01-01").unwrap().year(), 1);
        assert_eq!(parse_date("9999-12-31").unwrap().day(), 31);
    }

    #[test]
    fn rejects_malformed_dates() {
        for s in [
            "",
            "2020-2-3",
            "2020/02/03",
            "20200203",
            " 2020-02-03",
            "2020-02-03 ",
            "2020-02-03T00:00",
            "+2020-02-03",
            "２０２０-02-03",
            "2020-02-0３",
            "2020-0a-03",
            "-020-02-03",
        ] {
            let e = parse_date(s).unwrap_err();
            assert!(
                e.contains("is not a date of the form YYYY-MM-DD"),
                "{s}: {e}"
            );
        }
        let long = "x".repeat(1000);
        let e = parse_date(&long).unwrap_err();
        assert!(e.len() < 100, "{e}");
    }

    #[test]
    fn rejects_days_that_do_not_exist() {
        assert_eq!(
            parse_date("2021-02-29").unwrap_err(),
            "\"2021-02-29\" is not a calendar date: February 2021 has 28 days"
        );
        assert!(
            parse_date("1900-02-29")
                .unwrap_err()
                .contains("February 1900 has 28 days")
        );
        assert!(parse_date("2000-02-29").is_ok());
        assert!(
            parse_date("2020-02-30")
                .unwrap_err()
                .contains("February 2020 has 29 days")
        );
        assert!(
            parse_date("2020-04-31")
                .unwrap_err()
                .contains("April 2020 has 30 days")
        );
        assert!(
            parse_date("2020-01-00")
                .unwrap_err()
                .contains("January 2020 has 31 days")
        );
        assert!(
            parse_date("2020-13-01")
                .unwrap_err()
                .contains("no month 13")
        );
        assert!(parse_date("2020-00-10").unwrap_err().contains("no month 0"));
        assert!(
            parse_date("2020-99-99")
                .unwrap_err()
                .contains("no month 99")
        );
    }

    #[test]
    fn counts_days() {
        assert_eq!(days_between("2020-01-01", "2021-01-01"), Ok(366));
        assert_eq!(days_between("2021-01-01", "2022-01-01"), Ok(365));
        assert_eq!(days_between("2021-01-01", "2020-01-01"), Ok(-366));
        assert_eq!(days_between("2020-02-28", "2020-03-01"), Ok(2));
        assert_eq!(days_between("2019-02-28", "2019-03-01"), Ok(1));
        assert_eq!(days_between("2024-07-05", "2024-07-05"), Ok(0));
        assert_eq!(days_between("0001-01-01", "9999-12-31"), Ok(3_652_058));
        assert_eq!(days_between("9999-12-31", "0001-01-01"), Ok(-3_652_058));
        let e = days_between("2020-01-01", "2020-1-2").unwrap_err();
        assert!(e.contains("\"2020-1-2\""), "{e}");
        let e = days_between("bad", "2020-1-2").unwrap_err();
        assert!(e.contains("\"bad\""), "{e}");
    }

    #[test]
    fn counts_years_by_anniversary() {
        let y = |a: &str, b: &str| years_between(a, b).unwrap();
        assert_eq!(y("2020-03-01", "2022-02-28"), 1);
        assert_eq!(y("2020-03-01", "2022-03-01"), 2);
        assert_eq!(y("2020-03-01", "2020-03-01"), 0);
        assert_eq!(y("2020-03-01", "2021-02-28"), 0);
        assert_eq!(y("2020-12-31", "2021-12-30"), 0);
        assert_eq!(y("2020-12-31", "2021-12-31"), 1);
        assert_eq!(y("0001-01-01", "9999-12-31"), 9998);
        // negative, symmetric
        assert_eq!(y("2022-02-28", "2020-03-01"), -1);
        assert_eq!(y("2022-03-01", "2020-03-01"), -2);
        assert!(years_between("2020-03-01", "2022-02-30").is_err());
    }

    #[test]
    fn leap_day_anniversaries() {
        let y = |a: &str, b: &str| years_between(a, b).unwrap();
        // in a common year the anniversary of 29 February is 28 February
        assert_eq!(y("2020-02-29", "2021-02-27"), 0);
        assert_eq!(y("2020-02-29", "2021-02-28"), 1);
        assert_eq!(y("2020-02-29", "2021-03-01"), 1);
        assert_eq!(y("2020-02-29", "2023-02-28"), 3);
        // in a leap year it is 29 February itself
        assert_eq!(y("2020-02-29", "2024-02-28"), 3);
        assert_eq!(y("2020-02-29", "2024-02-29"), 4);
        // from 28 February into a leap year
        assert_eq!(y("2019-02-28", "2020-02-28"), 1);
        assert_eq!(y("2019-02-28", "2020-02-29"), 1);
        assert_eq!(y("2019-03-01", "2020-02-29"), 0);
        // backwards: the negative of forwards
        assert_eq!(y("2021-02-28", "2020-02-29"), -1);
        assert_eq!(y("2021-02-27", "2020-02-29"), 0);
        assert_eq!(y("2024-02-28", "2020-02-29"), -3);
        let dates = [
            "2019-02-28",
            "2019-03-01",
            "2020-02-28",
            "2020-02-29",
            "2020-03-01",
            "2021-02-28",
            "2021-03-01",
            "2023-12-31",
            "2024-02-29",
            "2025-01-01",
        ];
        for a in dates {
            for b in dates {
                assert_eq!(y(a, b), -y(b, a), "{a} {b}");
            }
        }
    }
}
