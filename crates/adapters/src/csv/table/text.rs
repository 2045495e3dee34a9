//! How a table cell that is not a string, an integer or a float is written as the text a CSV
//! cell would hold, for the readers' checks: booleans `true`/`false`, dates `YYYY-MM-DD`, times
//! `HH:MM` (`HH:MM:SS[.f]` when they have seconds), timestamps in RFC 3339 (`…Z` for an instant,
//! that is a column with a time zone; without an offset for a column without one, as the same
//! text in a CSV file would be), lists as their items `;`-separated (orders.csv's lists), a
//! dictionary's cells as its values. Nulls are empty cells.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Time32MillisecondType, Time32SecondType,
    Time64MicrosecondType, Time64NanosecondType, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::Array;
use arrow_schema::{DataType, TimeUnit};
use jiff::{civil, tz::TimeZone, SignedDuration, Timestamp};
use std::fmt::Write as _;

/// True when cells of type `t` have a text form here (strings and numbers included).
pub(crate) fn has_text_form(t: &DataType) -> bool {
    if let DataType::Dictionary(_, values) = t {
        return !matches!(**values, DataType::Dictionary(..)) && has_text_form(values);
    }
    // A list of scalars is orders.csv's `;`-separated list (`tags`, `exclude_nodes`, …).
    if let DataType::List(item) | DataType::LargeList(item) = t {
        return !matches!(
            item.data_type(),
            DataType::Dictionary(..) | DataType::List(_) | DataType::LargeList(_)
        ) && has_text_form(item.data_type());
    }
    t.is_integer()
        || matches!(
            t,
            DataType::Null
                | DataType::Boolean
                | DataType::Float32
                | DataType::Float64
                | DataType::Utf8
                | DataType::LargeUtf8
                | DataType::Utf8View
                | DataType::Date32
                | DataType::Date64
                | DataType::Time32(_)
                | DataType::Time64(_)
                | DataType::Timestamp(_, _)
        )
}

/// A column whose cells are written by these rules; a dictionary's keys are resolved once.
pub(crate) enum TextColumn<'a> {
    Plain(&'a dyn Array),
    Dictionary {
        keys: &'a dyn Array,
        indices: Vec<usize>,
        values: &'a dyn Array,
    },
}

impl<'a> TextColumn<'a> {
    pub fn new(a: &'a dyn Array) -> Self {
        match a.as_any_dictionary_opt() {
            // Without values every key is null (`normalized_keys` would panic).
            Some(d) if !d.values().is_empty() => TextColumn::Dictionary {
                keys: a,
                indices: d.normalized_keys(),
                values: d.values().as_ref(),
            },
            _ => TextColumn::Plain(a),
        }
    }

    /// Appends the text of cell `row` to `out` (nothing for a null).
    pub fn write(&self, row: usize, out: &mut String) {
        match self {
            TextColumn::Plain(a) => write_cell(*a, row, out),
            TextColumn::Dictionary {
                keys,
                indices,
                values,
            } => {
                if !keys.is_null(row) {
                    write_cell(*values, indices[row], out);
                }
            }
        }
    }
}

/// Appends the text of `a[row]` to `out` (nothing for a null, or for a type without a text
/// form: [`has_text_form`] is checked before).
fn write_cell(a: &dyn Array, row: usize, out: &mut String) {
    if a.is_null(row) {
        return;
    }
    // `write!` to a String cannot fail.
    let _ = match a.data_type() {
        DataType::Boolean => write!(out, "{}", a.as_boolean().value(row)),
        t if t.is_integer() => {
            write_int(out, a, row);
            Ok(())
        }
        DataType::Float32 => {
            write_float(out, a.as_primitive::<Float32Type>().value(row));
            Ok(())
        }
        DataType::Float64 => {
            write_float(out, a.as_primitive::<Float64Type>().value(row));
            Ok(())
        }
        DataType::Utf8 => write!(out, "{}", a.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => write!(out, "{}", a.as_string::<i64>().value(row)),
        DataType::Utf8View => write!(out, "{}", a.as_string_view().value(row)),
        DataType::List(_) => {
            write_list(out, a.as_list::<i32>().value(row).as_ref());
            Ok(())
        }
        DataType::LargeList(_) => {
            write_list(out, a.as_list::<i64>().value(row).as_ref());
            Ok(())
        }
        DataType::Date32 => {
            let days = a.as_primitive::<Date32Type>().value(row);
            write_date(out, i64::from(days))
        }
        DataType::Date64 => {
            let ms = a.as_primitive::<Date64Type>().value(row);
            write_date(out, ms.div_euclid(86_400_000))
        }
        DataType::Time32(unit) | DataType::Time64(unit) => write_time(out, a, row, *unit),
        DataType::Timestamp(unit, tz) => {
            let v = match unit {
                TimeUnit::Second => a.as_primitive::<TimestampSecondType>().value(row),
                TimeUnit::Millisecond => a.as_primitive::<TimestampMillisecondType>().value(row),
                TimeUnit::Microsecond => a.as_primitive::<TimestampMicrosecondType>().value(row),
                TimeUnit::Nanosecond => a.as_primitive::<TimestampNanosecondType>().value(row),
            };
            write_timestamp(out, v, *unit, tz.is_some())
        }
        _ => Ok(()),
    };
}

/// Appends `v` as `{}` writes it: the shortest digits that read back as `v`, never with an
/// exponent (a whole number without a fraction). ryu finds the same digits several times faster
/// but for a tie (two shortest texts equally near `v`, which Rust and ryu break apart), possible
/// only with more significant digits than [`Float::TIE_FREE`]: its text is used below that and
/// where it has the same form (no exponent, `.0` dropped), else `{}`'s.
pub(crate) fn write_float<F: Float>(out: &mut String, v: F) {
    let mut buf = ryu::Buffer::new();
    let text = buf.format(v);
    if text.bytes().any(|b| b == b'e') || significant_digits(text) > F::TIE_FREE {
        let _ = write!(out, "{v}");
    } else {
        out.push_str(text.strip_suffix(".0").unwrap_or(text));
    }
}

/// A float type ryu writes.
pub(crate) trait Float: ryu::Float + std::fmt::Display {
    /// The most significant digits of a shortest text that cannot be a tie: two texts of `d`
    /// digits half a unit of their last digit from `v` both read back as `v` only when that unit
    /// is within `v`'s spacing, 10^-d·v ≤ 2^-(mantissa bits)·v, so d ≥ 16 for f64 and d ≥ 7 for
    /// f32 (normal numbers; subnormals are written with an exponent, so by `{}`).
    const TIE_FREE: usize;
}

impl Float for f64 {
    const TIE_FREE: usize = 15;
}

impl Float for f32 {
    const TIE_FREE: usize = 6;
}

/// The significant digits of a number written without an exponent: its digits but the leading
/// and trailing zeros.
fn significant_digits(text: &str) -> usize {
    let (mut count, mut zeros) = (0, 0);
    for b in text.bytes().filter(u8::is_ascii_digit) {
        if b == b'0' {
            zeros += usize::from(count > 0);
        } else {
            count += zeros + 1;
            zeros = 0;
        }
    }
    count
}

/// An integer cell of any width, in digits.
fn write_int(out: &mut String, a: &dyn Array, row: usize) {
    use arrow_array::types::{
        Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
    };
    let mut digits = itoa::Buffer::new();
    out.push_str(match a.data_type() {
        DataType::Int8 => digits.format(a.as_primitive::<Int8Type>().value(row)),
        DataType::Int16 => digits.format(a.as_primitive::<Int16Type>().value(row)),
        DataType::Int32 => digits.format(a.as_primitive::<Int32Type>().value(row)),
        DataType::Int64 => digits.format(a.as_primitive::<Int64Type>().value(row)),
        DataType::UInt8 => digits.format(a.as_primitive::<UInt8Type>().value(row)),
        DataType::UInt16 => digits.format(a.as_primitive::<UInt16Type>().value(row)),
        DataType::UInt32 => digits.format(a.as_primitive::<UInt32Type>().value(row)),
        _ => digits.format(a.as_primitive::<UInt64Type>().value(row)),
    });
}

/// The items of a list cell, `;`-separated (nulls left out).
fn write_list(out: &mut String, items: &dyn Array) {
    let mut first = true;
    for i in (0..items.len()).filter(|&i| !items.is_null(i)) {
        if !first {
            out.push(';');
        }
        first = false;
        write_cell(items, i, out);
    }
}

/// `YYYY-MM-DD` of a day count from 1970-01-01 (the number itself when out of range, which the
/// readers then report as a bad date).
fn write_date(out: &mut String, days: i64) -> std::fmt::Result {
    match civil::date(1970, 1, 1).checked_add(SignedDuration::from_hours(days.saturating_mul(24))) {
        Ok(d) => write!(out, "{d}"),
        Err(_) => write!(out, "{days}"),
    }
}

/// `HH:MM` of a time of day, `HH:MM:SS[.f]` when it has seconds (the number itself when it is
/// not a time of day, which the readers then report as a bad time).
fn write_time(out: &mut String, a: &dyn Array, row: usize, unit: TimeUnit) -> std::fmt::Result {
    let nanos: i64 = match unit {
        TimeUnit::Second => {
            i64::from(a.as_primitive::<Time32SecondType>().value(row)) * 1_000_000_000
        }
        TimeUnit::Millisecond => {
            i64::from(a.as_primitive::<Time32MillisecondType>().value(row)) * 1_000_000
        }
        TimeUnit::Microsecond => a
            .as_primitive::<Time64MicrosecondType>()
            .value(row)
            .saturating_mul(1_000),
        TimeUnit::Nanosecond => a.as_primitive::<Time64NanosecondType>().value(row),
    };
    match civil::Time::midnight().checked_add(SignedDuration::from_nanos(nanos)) {
        Ok(t) if (0..86_400_000_000_000).contains(&nanos) => {
            if t.second() == 0 && t.subsec_nanosecond() == 0 {
                write!(out, "{:02}:{:02}", t.hour(), t.minute())
            } else {
                write!(out, "{t}")
            }
        }
        _ => write!(out, "{nanos}"),
    }
}

/// RFC 3339: `…Z` for an instant (the column has a time zone), no offset for a wall-clock time
/// (the column has none), like the same text in a CSV file.
fn write_timestamp(out: &mut String, v: i64, unit: TimeUnit, instant: bool) -> std::fmt::Result {
    match timestamp(v, unit) {
        Some(ts) if instant => write_instant(out, ts),
        Some(ts) => write!(out, "{}", ts.to_zoned(TimeZone::UTC).datetime()),
        None => write!(out, "{v}"),
    }
}

/// The instant `v` units after the Unix epoch, `None` outside jiff's range (years -9999 to
/// 9999).
pub(crate) fn timestamp(v: i64, unit: TimeUnit) -> Option<Timestamp> {
    match unit {
        TimeUnit::Second => Timestamp::from_second(v),
        TimeUnit::Millisecond => Timestamp::from_millisecond(v),
        TimeUnit::Microsecond => Timestamp::from_microsecond(v),
        TimeUnit::Nanosecond => Timestamp::from_nanosecond(i128::from(v)),
    }
    .ok()
}

/// Appends the instant `ts` in RFC 3339, `…Z`: the text `parse_timestamp` reads back as `ts`
/// (`table/tests.rs`, `held_floats_and_instants_read_as_their_text`).
pub(crate) fn write_instant(out: &mut String, ts: Timestamp) -> std::fmt::Result {
    write!(out, "{ts}")
}

#[cfg(test)]
mod tests {
    use super::{significant_digits, write_float};
    use proptest::prelude::*;

    #[test]
    fn significant_digits_leave_out_the_zeros_at_both_ends() {
        for (text, digits) in [
            ("0", 0),
            ("-0.0", 0),
            ("120000.0", 2),
            ("0.00120", 2),
            ("28.6", 3),
        ] {
            assert_eq!(significant_digits(text), digits, "{text}");
        }
    }

    fn written<F: super::Float>(v: F) -> String {
        let mut out = String::new();
        write_float(&mut out, v);
        out
    }

    #[test]
    fn floats_are_written_as_rust_writes_them() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -3.0,
            28.6,
            0.1,
            1e-5,
            9.99e-6,
            1e15,
            1e16,
            1e17,
            123_456_789_012_345_680.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ] {
            assert_eq!(written(v), format!("{v}"));
        }
        // 210353.625 is as near 210353.62 as 210353.63: ryu writes the first, Rust the second.
        for v in [
            0.0f32,
            28.6,
            1e-7,
            3e38,
            16_777_216.0,
            210_353.62,
            f32::INFINITY,
        ] {
            assert_eq!(written(v), format!("{v}"));
        }
    }

    proptest! {
        #[test]
        fn any_float_is_written_as_rust_writes_it(
            bits in any::<u64>(),
            small in any::<u32>(),
            deg in -180.0f64..180.0,
            (whole, scale) in (-1_000_000_000_000i64..1_000_000_000_000, 0i32..12),
        ) {
            let v = f64::from_bits(bits);
            prop_assert_eq!(written(v), format!("{v}"));
            let v = f32::from_bits(small);
            prop_assert_eq!(written(v), format!("{v}"));
            prop_assert_eq!(written(deg), format!("{deg}"));
            // Decimals of a few digits, as most cells hold: ryu's text.
            let v = whole as f64 / 10f64.powi(scale);
            prop_assert_eq!(written(v), format!("{v}"));
            let v = v as f32;
            prop_assert_eq!(written(v), format!("{v}"));
        }
    }
}
