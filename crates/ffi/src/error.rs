//! The error handle: a stable code (the readers' `E1xxx`/`E2xxx`, the ledger's `E3xxx`, or this
//! crate's `E70xx`), a message, a hint and the JSON field it is about, each a C string that lives
//! as long as the handle.

use omniroute_adapters::{FieldProblem, InputError};
use std::any::Any;
use std::ffi::{c_char, CString};
use std::ptr;

/// The `E70xx` codes: what only the C ABI can get wrong (`docs/errors.md`).
pub(crate) use omniroute_core::codes::AbiCode;

/// Why a call failed (opaque to C: read it with `omniroute_error_code`, `_message`, `_hint`,
/// `_field`; free it with `omniroute_error_free`).
#[derive(Debug)]
pub struct OmError {
    code: CString,
    message: CString,
    hint: CString,
    field: Option<CString>,
}

/// `s` as a C string; a NUL inside (an input can carry `\u0000`) is written `\0`.
pub(crate) fn c_string(s: String) -> CString {
    CString::new(s).unwrap_or_else(|e| {
        let s = String::from_utf8_lossy(&e.into_vec()).replace('\0', "\\0");
        CString::new(s).unwrap_or_default()
    })
}

impl OmError {
    /// An error with no field.
    pub(crate) fn new(code: &str, message: impl Into<String>, hint: impl Into<String>) -> Self {
        OmError {
            code: c_string(code.to_owned()),
            message: c_string(message.into()),
            hint: c_string(hint.into()),
            field: None,
        }
    }

    /// The same error about `field` (a JSON field such as `lines[1].qty`, or an argument name).
    #[must_use]
    pub(crate) fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(c_string(field.into()));
        self
    }

    /// A null pointer where `arg` must point somewhere.
    pub(crate) fn null(arg: &str) -> Self {
        Self::new(
            AbiCode::NullPointer.id(),
            format!("`{arg}` is a null pointer"),
            "pass a valid pointer (only arguments documented as nullable may be NULL)",
        )
        .at(arg)
    }

    /// A caught panic: a bug in omniroute, reported instead of unwinding into the caller.
    pub(crate) fn panic(payload: &(dyn Any + Send)) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_owned());
        Self::new(
            AbiCode::Panic.id(),
            format!("internal error (a panic was caught at the C boundary): {what}"),
            "this is a bug in omniroute: please report it with the call that caused it",
        )
    }

    /// A rejected input: the first problem's code and hint, every problem in the message (one a
    /// line, `file:line:column: CODE message (hint: …)`).
    pub(crate) fn input(e: &InputError) -> Self {
        let problems = e.problems();
        let Some(first) = problems.first() else {
            return Self::new(AbiCode::Panic.id(), e.to_string(), "check the input files");
        };
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Self::new(first.code, lines.join("\n"), first.hint.clone())
    }

    /// The first problem of a JSON order (as the HTTP service reports it), with its JSON field.
    pub(crate) fn order(problems: &[FieldProblem]) -> Self {
        let Some(first) = problems.first() else {
            return Self::new(
                AbiCode::Panic.id(),
                "the order was refused",
                "check the order",
            );
        };
        let p = &first.problem;
        let e = Self::new(p.code, p.message.clone(), p.hint.clone());
        match &first.field {
            Some(f) => e.at(f.clone()),
            None => e,
        }
    }

    /// The stable code, for example `E1008`.
    pub fn code(&self) -> &str {
        self.code.to_str().unwrap_or_default()
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        self.message.to_str().unwrap_or_default()
    }

    /// What to do about it.
    pub fn hint(&self) -> &str {
        self.hint.to_str().unwrap_or_default()
    }

    /// The JSON field or argument it is about, when one.
    pub fn field(&self) -> Option<&str> {
        self.field.as_ref().and_then(|f| f.to_str().ok())
    }

    pub(crate) fn code_ptr(&self) -> *const c_char {
        self.code.as_ptr()
    }

    pub(crate) fn message_ptr(&self) -> *const c_char {
        self.message.as_ptr()
    }

    pub(crate) fn hint_ptr(&self) -> *const c_char {
        self.hint.as_ptr()
    }

    pub(crate) fn field_ptr(&self) -> *const c_char {
        self.field.as_ref().map_or(ptr::null(), |f| f.as_ptr())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_inside_a_message_is_written_out() {
        let e = OmError::new("E7003", "bad \0 byte", "hint");
        assert_eq!(e.message(), "bad \\0 byte");
        assert_eq!(e.field(), None);
    }

    #[test]
    fn a_panic_payload_becomes_the_message() {
        let e = OmError::panic(&String::from("index out of bounds"));
        assert_eq!(e.code(), "E7009");
        assert!(
            e.message().ends_with("index out of bounds"),
            "{}",
            e.message()
        );
    }
}
