//! One line of an NDJSON input, read into a JSON object with coded problems: what the events
//! reader (`omniroute reroute --events`) and the stock feed reader share. Each reader passes its
//! own [`Codes`]; the rules (blank lines, columns, repeated keys, whole numbers) are the same.

use crate::problem::clip;
use crate::Problem;
use serde_json::{Map, Value};

/// The codes a reader gives each kind of problem.
pub(crate) struct Codes {
    /// Not UTF-8 or not valid JSON.
    pub json: &'static str,
    /// A field is missing or `null`.
    pub missing: &'static str,
    /// A field has the wrong type (or the line is not an object).
    pub wrong_type: &'static str,
    /// A quantity is negative.
    pub negative: &'static str,
    /// A key appears twice in one object.
    pub repeated: &'static str,
    /// An example line, for the hint of a line that is not JSON.
    pub example: &'static str,
}

/// A line the readers skip: UTF-8 text that is only whitespace (Unicode's, as `str::trim`
/// sees it). [`crate::event_lines`] numbers events with the same rule.
pub(crate) fn blank_line(raw: &[u8]) -> bool {
    std::str::from_utf8(raw).is_ok_and(is_blank)
}

pub(crate) fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// One line being read, and its problems.
pub(crate) struct Line<'a> {
    pub file: &'a str,
    pub number: u64,
    pub text: &'a str,
    pub problems: Vec<Problem>,
    /// The key each problem is about (`None`: the line), one per problem.
    pub keys: Vec<Option<String>>,
    pub codes: &'static Codes,
}

impl<'a> Line<'a> {
    /// Line `line` of `file`, with text `text`.
    pub fn new(file: &'a str, line: u64, text: &'a str, codes: &'static Codes) -> Self {
        Line {
            file,
            number: line,
            text,
            problems: Vec::new(),
            keys: Vec::new(),
            codes,
        }
    }

    /// Records a problem about field `key`, at its column.
    pub fn push_at(&mut self, code: &'static str, key: &str, message: String, hint: &str) {
        self.push(code, self.column_of(key), message, hint);
        if let Some(last) = self.keys.last_mut() {
            *last = Some(key.to_owned());
        }
    }

    /// Records a problem at `column`.
    pub fn push(&mut self, code: &'static str, column: u64, message: String, hint: &str) {
        self.keys.push(None);
        self.problems.push(Problem {
            code,
            file: self.file.to_owned(),
            line: self.number,
            column,
            message,
            hint: hint.to_owned(),
        });
    }

    /// Records that the raw line is not UTF-8 (`valid_up_to` bytes were).
    pub fn not_utf8(&mut self, valid_up_to: usize) {
        self.push(
            self.codes.json,
            valid_up_to as u64 + 1,
            "the line is not UTF-8 text".into(),
            "save the file as UTF-8",
        );
    }

    /// Column (1-based, in characters) of `"key"` in the line, else of the object's `{`; 0 for
    /// an item given as a value (no text).
    pub fn column_of(&self, key: &str) -> u64 {
        if self.text.is_empty() {
            return 0;
        }
        let at = self
            .text
            .find(&format!("\"{key}\""))
            .or_else(|| self.text.find('{'))
            .unwrap_or(0);
        self.text[..at].chars().count() as u64 + 1
    }

    /// The line as a JSON object, or a problem (not JSON, a repeated key, not an object).
    pub fn object(&mut self) -> Option<Map<String, Value>> {
        let value = match crate::parse_json_unique(self.text.as_bytes()) {
            Ok(v) => v,
            Err(e) if e.is_data() => {
                self.push(
                    self.codes.repeated,
                    e.column() as u64,
                    without_place(&e),
                    "give each key once in an object: a repeated key would silently take the last value",
                );
                return None;
            }
            Err(e) => {
                let column = self
                    .text
                    .split('\n')
                    .nth(e.line().saturating_sub(1))
                    .map_or(0, |_| e.column() as u64);
                self.push(
                    self.codes.json,
                    column,
                    format!("not valid JSON: {}", without_place(&e)),
                    &format!(
                        "write one JSON object per line, for example {}",
                        self.codes.example
                    ),
                );
                return None;
            }
        };
        self.object_of(value)
    }

    /// `value` as a JSON object, or a wrong-type problem. A line with no text is an item a front
    /// end passed as a value (a Python dict): item `number`, no column.
    pub fn object_of(&mut self, value: Value) -> Option<Map<String, Value>> {
        match value {
            Value::Object(obj) => Some(obj),
            _ if self.text.is_empty() => {
                let message = format!("event {} is not an object", self.number);
                let hint = format!(
                    "pass each event as an object, for example {}",
                    self.codes.example
                );
                self.push(self.codes.wrong_type, 0, message, &hint);
                None
            }
            _ => {
                let hint = "write one JSON object per line";
                self.push(
                    self.codes.wrong_type,
                    1,
                    "the line is not a JSON object".into(),
                    hint,
                );
                None
            }
        }
    }

    /// Records that field `key` is missing.
    pub fn missing(&mut self, key: &str) {
        self.push_at(
            self.codes.missing,
            key,
            format!("missing field `{key}`"),
            "add the field; see docs/formats.md for each event's fields",
        );
    }

    /// The field `key`, not `null`, or a missing-field problem.
    pub fn field<'v>(&mut self, obj: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
        let v = obj.get(key).filter(|v| !v.is_null());
        if v.is_none() {
            self.missing(key);
        }
        v
    }

    /// The string field `key`, or a problem (missing, not a string).
    pub fn string<'v>(&mut self, obj: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
        match self.field(obj, key)? {
            Value::String(s) => Some(s),
            v => {
                self.push_at(
                    self.codes.wrong_type,
                    key,
                    format!("`{key}` must be a string, not `{}`", clip(&v.to_string())),
                    "write ids in double quotes",
                );
                None
            }
        }
    }

    /// The quantity field `key`: a whole number from 0 to `u32::MAX`.
    pub fn qty(&mut self, obj: &Map<String, Value>, key: &str) -> Option<u32> {
        let v = self.field(obj, key)?;
        if v.as_f64().is_some_and(|x| x < 0.0) {
            self.push_at(
                self.codes.negative,
                key,
                format!("`{key}` is {v}, a negative quantity"),
                "write 0 or more units",
            );
            return None;
        }
        let q = v.as_u64().and_then(|q| u32::try_from(q).ok());
        if q.is_none() {
            self.wrong_number(key, v, "of units", "from 0 to 4294967295");
        }
        q
    }

    /// Records that field `key` holds `v`, which is not a whole number `of` in `range`.
    pub fn wrong_number(&mut self, key: &str, v: &Value, of: &str, range: &str) {
        self.push_at(
            self.codes.wrong_type,
            key,
            format!(
                "`{key}` must be a whole number {of}, not `{}`",
                clip(&v.to_string())
            ),
            &format!("write a whole number {range}, without quotes"),
        );
    }
}

/// `serde_json`'s message without its " at line L column C" (the problem carries the place).
fn without_place(e: &serde_json::Error) -> String {
    let message = e.to_string();
    message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_owned()
}
