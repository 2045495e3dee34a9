//! JSON text to a [`Value`] in one pass, refusing an object that repeats a key:
//! `serde_json::Value` keeps the last value silently, so `{"qty": 1, "qty": 100}` would read as 100.
//! The events reader and the HTTP service read their JSON through it.

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Parses `text` as JSON. A repeated key fails at that key with a data error
/// ([`serde_json::Error::is_data`], message "key `k` appears twice in one object"); malformed
/// text fails as `serde_json::from_slice` does (a syntax or end-of-input error).
///
/// ```
/// # use omniroute_adapters::parse_json_unique;
/// assert_eq!(parse_json_unique(br#"{"a": [1, {"b": 2}]}"#)?["a"][1]["b"], 2);
/// let e = parse_json_unique(br#"{"qty": 1, "qty": 100}"#).unwrap_err();
/// assert!(e.is_data() && e.to_string().starts_with("key `qty` appears twice"));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn parse_json_unique(text: &[u8]) -> Result<Value, serde_json::Error> {
    serde_json::from_slice::<Unique>(text).map(|u| u.0)
}

/// A [`Value`] whose objects have no repeated key.
struct Unique(Value);

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UniqueVisitor)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Unique;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Unique, E> {
        Ok(Unique(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Unique, E> {
        Ok(Unique(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Unique, E> {
        Ok(Unique(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Unique, E> {
        // JSON text has no NaN or infinity, so this is always a number.
        Ok(Unique(Value::from(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Unique, E> {
        Ok(Unique(Value::String(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Unique, E> {
        Ok(Unique(Value::String(v)))
    }
    fn visit_unit<E>(self) -> Result<Unique, E> {
        Ok(Unique(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Unique(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Unique(Value::Array(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(A::Error::custom(format!(
                    "key `{}` appears twice in one object",
                    crate::problem::clip(&key)
                )));
            }
            let Unique(v) = map.next_value()?;
            object.insert(key, v);
        }
        Ok(Unique(Value::Object(object)))
    }
}
