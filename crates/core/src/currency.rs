//! [`Currency`]: the ISO 4217 currency a policy's cents are in (`currency = "EUR"`; none by
//! default: plain cents), for every human-facing figure.

use std::fmt;

/// An ISO 4217 code: three ASCII capital letters. Costs stay integer minor units (cents); the
/// code only says how to show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

/// The text is not three ASCII capital letters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an ISO 4217 currency code (three capital letters, e.g. \"EUR\")")]
pub struct BadCurrency(pub String);

/// Codes whose minor unit is not a hundredth: (code, digits).
const MINOR_DIGITS: [(&str, u32); 23] = [
    ("BHD", 3),
    ("BIF", 0),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("IQD", 3),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("PYG", 0),
    ("RWF", 0),
    ("TND", 3),
    ("UGX", 0),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
];

/// Codes shown with their symbol instead.
const SYMBOLS: [(&str, &str); 5] = [
    ("EUR", "€"),
    ("GBP", "£"),
    ("INR", "₹"),
    ("JPY", "¥"),
    ("USD", "$"),
];

impl Currency {
    /// Validates `code` (surrounding space is ignored).
    ///
    /// # Errors
    ///
    /// When it is not three ASCII capital letters.
    pub fn new(code: &str) -> Result<Self, BadCurrency> {
        match code.trim().as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Ok(Self([a, b, c])),
            _ => Err(BadCurrency(code.to_owned())),
        }
    }

    /// The code, `"EUR"`.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII letters")
    }

    /// Digits of the minor unit (2 for most; 0 for JPY, 3 for KWD…).
    pub fn minor_digits(self) -> u32 {
        MINOR_DIGITS
            .iter()
            .find(|(c, _)| *c == self.code())
            .map_or(2, |&(_, d)| d)
    }

    /// `cents` (minor units) as an amount with thousands separators: `₹91,615.60`,
    /// `CHF 1,234.50`, `¥1,235` for 1,235 yen.
    ///
    /// ```
    /// use omniroute_core::Currency;
    /// assert_eq!(Currency::new("EUR")?.amount(123_456), "€1,234.56");
    /// assert_eq!(Currency::new("CHF")?.amount(-5), "-CHF 0.05");
    /// assert_eq!(Currency::new("KWD")?.amount(1_500), "KWD 1.500");
    /// # Ok::<(), omniroute_core::BadCurrency>(())
    /// ```
    pub fn amount(self, cents: i64) -> String {
        let sign = if cents < 0 { "-" } else { "" };
        let prefix = self.prefix();
        let digits = self.minor_digits();
        let unit = 10u64.pow(digits);
        let c = cents.unsigned_abs();
        let whole = group_thousands(c / unit);
        if digits == 0 {
            format!("{sign}{prefix}{whole}")
        } else {
            let minor = c % unit;
            format!(
                "{sign}{prefix}{whole}.{minor:0width$}",
                width = digits as usize
            )
        }
    }
}

impl Currency {
    /// What an amount starts with: the symbol (`€`, `₹`…) or the code and a space (`CHF `).
    pub fn prefix(self) -> String {
        SYMBOLS
            .iter()
            .find(|(c, _)| *c == self.code())
            .map_or_else(|| format!("{} ", self.code()), |(_, s)| (*s).to_owned())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A cost for people: `₹91,615.60 (9161560 cents)` in the policy's currency, `9161560 cents`
/// without one.
pub fn money_text(cents: i64, currency: Option<Currency>) -> String {
    match currency {
        Some(c) => format!("{} ({cents} cents)", c.amount(cents)),
        None => format!("{cents} cents"),
    }
}

/// An integer with thousands separators: `1234567` → `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_checked_and_amounts_use_the_minor_unit() {
        for bad in ["eur", "EURO", "E1R", "", "€"] {
            assert!(Currency::new(bad).is_err(), "{bad}");
        }
        let c = |s| Currency::new(s).unwrap();
        assert_eq!(c(" INR ").amount(9_161_560), "₹91,615.60");
        assert_eq!(c("JPY").amount(1_234_567), "¥1,234,567");
        assert_eq!(c("USD").amount(7), "$0.07");
        assert_eq!(money_text(500, None), "500 cents");
        assert_eq!(money_text(500, Some(c("USD"))), "$5.00 (500 cents)");
    }
}
