//! A TOML document as a tree whose values keep their byte spans, so that every problem found while
//! reading the policy can name its line and column, and all of them can be reported at once.
//!
//! `toml::Spanned<T>` fails on values without a span (implicit tables such as `a` in `a.b = 1`), so
//! this module speaks the same private protocol as `Spanned` (`serde_spanned`'s field names, stable
//! since toml 0.5) and falls back to "no span" where the deserializer offers none.

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::ops::Range;

const SPANNED_NAME: &str = "$__serde_spanned_private_Spanned";
const SPANNED_START: &str = "$__serde_spanned_private_start";
const SPANNED_END: &str = "$__serde_spanned_private_end";
const SPANNED_VALUE: &str = "$__serde_spanned_private_value";
const SPANNED_FIELDS: &[&str] = &[SPANNED_START, SPANNED_END, SPANNED_VALUE];
/// How the toml deserializer presents a datetime literal: a one-entry map under this key.
const DATETIME_FIELD: &str = "$__toml_private_datetime";

/// A table key and, when known, where it is.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Key {
    pub name: String,
    pub span: Option<Range<usize>>,
}

/// A value and, when known, where it is.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Item {
    pub span: Option<Range<usize>>,
    pub value: Value,
}

/// A TOML value whose children are [`Item`]s. Tables keep document order.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    /// A datetime literal, as its TOML text.
    Datetime(String),
    Array(Vec<Item>),
    Table(Vec<(Key, Item)>),
}

impl Value {
    /// The type's name for messages: "a string", "an integer", ….
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Boolean(_) => "a boolean",
            Value::Datetime(_) => "a datetime",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }
}

impl Item {
    /// The item's own span or, for an implicit table, the first span found inside it.
    pub fn locate(&self) -> Option<Range<usize>> {
        if self.span.is_some() {
            return self.span.clone();
        }
        match &self.value {
            Value::Array(items) => items.iter().find_map(Item::locate),
            Value::Table(entries) => entries
                .iter()
                .find_map(|(k, v)| k.span.clone().or_else(|| v.locate())),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct(SPANNED_NAME, SPANNED_FIELDS, KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table key")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Key, E> {
        Ok(Key {
            name: name.to_owned(),
            span: None,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Key, A::Error> {
        let span = read_span(&mut map)?;
        Ok(Key {
            name: map.next_value()?,
            span: Some(span),
        })
    }
}

/// Reads the start and end entries of a spanned wrapper, up to its value key.
fn read_span<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Range<usize>, A::Error> {
    let first: Option<String> = map.next_key()?;
    if first.as_deref() != Some(SPANNED_START) {
        return Err(A::Error::custom("expected a spanned value"));
    }
    let start: usize = map.next_value()?;
    read_span_rest(map, start)
}

fn read_span_rest<'de, A: MapAccess<'de>>(
    map: &mut A,
    start: usize,
) -> Result<Range<usize>, A::Error> {
    let end_key: Option<String> = map.next_key()?;
    if end_key.as_deref() != Some(SPANNED_END) {
        return Err(A::Error::custom("expected the end of a spanned value"));
    }
    let end: usize = map.next_value()?;
    let value_key: Option<String> = map.next_key()?;
    if value_key.as_deref() != Some(SPANNED_VALUE) {
        return Err(A::Error::custom("expected the value of a spanned value"));
    }
    Ok(start..end)
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct(SPANNED_NAME, SPANNED_FIELDS, ItemVisitor)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// Visits a value that may come wrapped with its span (or bare, when it has none).
struct ItemVisitor;

/// Visits a bare value.
struct ValueVisitor;

fn bare(value: Value) -> Item {
    Item { span: None, value }
}

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a TOML value")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Item, E> {
        ValueVisitor.visit_bool(v).map(bare)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Item, E> {
        ValueVisitor.visit_i64(v).map(bare)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Item, E> {
        ValueVisitor.visit_u64(v).map(bare)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Item, E> {
        ValueVisitor.visit_f64(v).map(bare)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Item, E> {
        ValueVisitor.visit_str(v).map(bare)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Item, A::Error> {
        ValueVisitor.visit_seq(seq).map(bare)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let Some(first) = map.next_key::<Key>()? else {
            return Ok(bare(Value::Table(Vec::new())));
        };
        if first.name == SPANNED_START {
            let start: usize = map.next_value()?;
            let span = read_span_rest(&mut map, start)?;
            let value: Value = map.next_value()?;
            return Ok(Item {
                span: Some(span),
                value,
            });
        }
        table_after(first, map).map(bare)
    }
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a TOML value")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Boolean(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Integer(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::Integer)
            .map_err(|_| E::custom("integer out of range"))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Item>()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        match map.next_key::<Key>()? {
            None => Ok(Value::Table(Vec::new())),
            Some(first) => table_after(first, map),
        }
    }
}

/// Reads a table (or a datetime literal) whose first key has been read.
fn table_after<'de, A: MapAccess<'de>>(first: Key, mut map: A) -> Result<Value, A::Error> {
    if first.name == DATETIME_FIELD {
        return Ok(Value::Datetime(map.next_value()?));
    }
    let mut entries = vec![(first, map.next_value::<Item>()?)];
    while let Some(key) = map.next_key::<Key>()? {
        let item = map.next_value::<Item>()?;
        entries.push((key, item));
    }
    Ok(Value::Table(entries))
}

/// Parses a whole document.
pub(super) fn parse(text: &str) -> Result<Item, toml::de::Error> {
    toml::from_str(text)
}
