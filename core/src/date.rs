//! Civil dates and legal periods (民法典 第二百零一条 to 第二百零三条).
//!
//! A [`Date`] is a proleptic Gregorian calendar date with no time zone: the
//! texts speak of days, never of instants. Periods are counted the way the
//! Civil Code counts them: a period in years or months starts the day after the
//! start date and ends on the corresponding day of the last month, or on that
//! month's last day where there is none (第二百零一条、第二百零二条).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar date (`YYYY-MM-DD`), years 1 to 9999.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a date could not be made or parsed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
pub enum DateError {
    /// The text is not of the form `YYYY-MM-DD`.
    #[error("expected a date written YYYY-MM-DD")]
    Format,
    /// The year, month or day does not exist (2019-02-29, 2018-13-01).
    #[error("no such day in the calendar")]
    NoSuchDay,
    /// The date falls outside years 1 to 9999 after arithmetic.
    #[error("date out of the supported range (years 1 to 9999)")]
    Range,
}

/// Whether `year` is a leap year in the Gregorian calendar.
#[must_use]
pub const fn is_leap_year(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in a month (1 to 12) of a year; 0 for a month that does not exist.
#[must_use]
pub const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if is_leap_year(year) {
                29
            } else {
                28
            }
        }
        _ => 0,
    }
}

impl Date {
    /// Makes a date from its year, month and day.
    ///
    /// # Errors
    /// [`DateError::NoSuchDay`] when the day does not exist (2019-02-29),
    /// [`DateError::Range`] for a year outside 1 to 9999.
    ///
    /// # Example
    /// ```
    /// use jindu::Date;
    /// assert!(Date::new(2020, 2, 29).is_ok());
    /// assert!(Date::new(2019, 2, 29).is_err());
    /// ```
    pub const fn new(year: u16, month: u8, day: u8) -> Result<Date, DateError> {
        if year == 0 || year > 9999 {
            return Err(DateError::Range);
        }
        if month == 0 || month > 12 || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::NoSuchDay);
        }
        Ok(Date { year, month, day })
    }

    /// 0001-01-01, the first day there is.
    pub(crate) const FIRST: Date = Date { year: 1, month: 1, day: 1 };

    /// Parses a date written `YYYY-MM-DD` (exactly ten characters).
    ///
    /// # Errors
    /// [`DateError::Format`] when the text is not of that form,
    /// [`DateError::NoSuchDay`] when the day does not exist.
    ///
    /// # Example
    /// ```
    /// use jindu::Date;
    /// let d = Date::parse("2018-05-02").unwrap();
    /// assert_eq!(d.to_string(), "2018-05-02");
    /// assert!(Date::parse("2018-5-2").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let b = text.as_bytes();
        let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = b else {
            return Err(DateError::Format);
        };
        let digit = |c: &u8| -> Result<u16, DateError> {
            if c.is_ascii_digit() {
                Ok(u16::from(c - b'0'))
            } else {
                Err(DateError::Format)
            }
        };
        let year = digit(y1)? * 1000 + digit(y2)? * 100 + digit(y3)? * 10 + digit(y4)?;
        let month = digit(m1)? * 10 + digit(m2)?;
        let day = digit(d1)? * 10 + digit(d2)?;
        let month = u8::try_from(month).map_err(|_| DateError::NoSuchDay)?;
        let day = u8::try_from(day).map_err(|_| DateError::NoSuchDay)?;
        Date::new(year, month, day)
    }

    /// The year.
    #[must_use]
    pub const fn year(self) -> u16 {
        self.year
    }
    /// The month, 1 to 12.
    #[must_use]
    pub const fn month(self) -> u8 {
        self.month
    }
    /// The day of the month, 1 to 31.
    #[must_use]
    pub const fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before), for ordering and day arithmetic.
    #[must_use]
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    ///
    /// # Errors
    /// [`DateError::Range`] outside years 1 to 9999.
    pub fn from_days(days: i64) -> Result<Date, DateError> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        let year = u16::try_from(y).map_err(|_| DateError::Range)?;
        let month = u8::try_from(m).map_err(|_| DateError::Range)?;
        let day = u8::try_from(d).map_err(|_| DateError::Range)?;
        Date::new(year, month, day)
    }

    /// The date `n` days later (or earlier, for negative `n`).
    ///
    /// # Errors
    /// [`DateError::Range`] outside years 1 to 9999.
    pub fn add_days(self, n: i64) -> Result<Date, DateError> {
        Date::from_days(self.to_days().checked_add(n).ok_or(DateError::Range)?)
    }

    /// The same day `n` months later, or the last day of that month where it
    /// has no such day (2020-01-31 + 1 month = 2020-02-29).
    ///
    /// # Errors
    /// [`DateError::Range`] outside years 1 to 9999.
    pub fn add_months(self, n: u32) -> Result<Date, DateError> {
        let total = u32::from(self.year) * 12 + u32::from(self.month) - 1 + n;
        let year = u16::try_from(total / 12).map_err(|_| DateError::Range)?;
        let month = u8::try_from(total % 12 + 1).map_err(|_| DateError::Range)?;
        if year > 9999 {
            return Err(DateError::Range);
        }
        let day = self.day.min(days_in_month(year, month));
        Date::new(year, month, day)
    }
}

impl Date {
    /// The date written `YYYY-MM-DD`, in ASCII (every date has a year from 1 to 9999).
    fn ascii(self) -> [u8; 10] {
        // each digit is below 10
        let d = |n: u16| b'0' + (n % 10) as u8;
        let (y, m, dd) = (self.year, u16::from(self.month), u16::from(self.day));
        [d(y / 1000), d(y / 100), d(y / 10), d(y), b'-', d(m / 10), d(m), b'-', d(dd / 10), d(dd)]
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written without the formatting machinery: dates are in every answer and message.
        let a = self.ascii();
        match std::str::from_utf8(&a) {
            Ok(s) => f.write_str(s),
            Err(_) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.ascii();
        match std::str::from_utf8(&a) {
            Ok(x) => s.serialize_str(x),
            Err(_) => s.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar date written YYYY-MM-DD (years 0001 to 9999)."
        })
    }
}

/// A length of time as the texts state it: a number of years, months or days.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Period {
    /// 年
    Years(u16),
    /// 个月
    Months(u16),
    /// 日
    Days(u16),
}

impl Period {
    /// The period in words, in Chinese and in English.
    #[must_use]
    pub fn words(self) -> (String, String) {
        match self {
            Period::Years(n) => (format!("{n}年"), plural(n, "year")),
            Period::Months(n) => (format!("{n}个月"), plural(n, "month")),
            Period::Days(n) => (format!("{n}日"), plural(n, "day")),
        }
    }
}

fn plural(n: u16, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// Where a period starts counting, relative to the day of the event.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodStart {
    /// 民法典 第二百零一条: the day of the event is not counted; the period
    /// starts the next day and ends on the corresponding day.
    #[default]
    NextDay,
    /// The day of the event counts as the first day (a rulebook's own choice):
    /// the period ends the day before the corresponding day.
    SameDay,
}

/// The nominal last day of a period that begins with an event on `from`.
///
/// Under [`PeriodStart::NextDay`] (民法典 第二百零一、二百零二条) a one-year
/// period from 2018-05-02 ends on 2019-05-02 and one from 2020-02-29 ends on
/// 2021-02-28; a period of `n` days ends `n` days after the event.
///
/// # Errors
/// [`DateError::Range`] when the end falls after 9999-12-31.
///
/// # Example
/// ```
/// use jindu::{Date, Period, PeriodStart, period_end};
/// let from = Date::parse("2020-02-29").unwrap();
/// let end = period_end(from, Period::Years(1), PeriodStart::NextDay).unwrap();
/// assert_eq!(end.to_string(), "2021-02-28");
/// ```
pub fn period_end(from: Date, period: Period, start: PeriodStart) -> Result<Date, DateError> {
    let end = match period {
        Period::Years(n) => from.add_months(u32::from(n) * 12)?,
        Period::Months(n) => from.add_months(u32::from(n))?,
        Period::Days(n) => from.add_days(i64::from(n))?,
    };
    match start {
        PeriodStart::NextDay => Ok(end),
        PeriodStart::SameDay => end.add_days(-1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap_or(Date { year: 1, month: 1, day: 1 })
    }

    #[test]
    fn days_round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2018-05-02", "9999-12-31", "0001-01-01"] {
            let x = d(s);
            assert_eq!(Date::from_days(x.to_days()), Ok(x), "{s}");
        }
        assert_eq!(d("1970-01-02").to_days(), 1);
    }

    #[test]
    fn month_ends() {
        let e = period_end(d("2020-01-31"), Period::Months(1), PeriodStart::NextDay);
        assert_eq!(e, Ok(d("2020-02-29")));
        let e = period_end(d("2018-08-31"), Period::Months(6), PeriodStart::NextDay);
        assert_eq!(e, Ok(d("2019-02-28")));
        let e = period_end(d("2018-05-02"), Period::Years(1), PeriodStart::SameDay);
        assert_eq!(e, Ok(d("2019-05-01")));
    }

    #[test]
    fn rejects_bad_text() {
        for s in [
            "2019-02-29",
            "2018-13-01",
            "2018-00-10",
            "20180502",
            "2018-05-02T00",
            "２０１８-05-02",
            "0000-01-01",
        ] {
            assert!(Date::parse(s).is_err(), "{s}");
        }
    }
}
