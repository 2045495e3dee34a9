//! Error codes: one enum per family (`E1xxx` input files, `E2xxx` policy, …), each variant
//! carrying its stable id, its hint (what to do, when the place that reports it has nothing more
//! precise to say) and its heading in `docs/errors.md`.
//!
//! A problem or error is reported with a variant (`PolicyCode::UnknownKey.id()`), never with a
//! string literal, so every code the program can print is listed here, and its family says which
//! Python exception it raises ([`Family`]). To add a code: add a variant with its id and hint to
//! its family's list (one line in the `family_codes!` block of that family's file), add a
//! `## E....` heading to `docs/errors.md` (a test checks every variant has one), and report it
//! with the variant.

mod abi;
mod channel;
mod database;
mod input;
mod inventory;
mod policy;
mod report;
mod serve;

pub use abi::AbiCode;
pub use channel::ChannelCode;
pub use database::DatabaseCode;
pub use input::InputCode;
pub use inventory::InventoryCode;
pub use policy::PolicyCode;
pub use report::ReportCode;
pub use serve::ServeCode;

use std::fmt;

/// A family of error codes: the first digit of the code, and the Python exception its
/// problems raise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Family {
    /// `E1xxx`: input files (nodes, stock, orders, decisions, Parquet, the command line).
    Input,
    /// `E2xxx`: the policy.
    Policy,
    /// `E3xxx`: inventory events and stock feeds.
    Inventory,
    /// `E4xxx`: dealers and the dealer channel.
    Channel,
    /// `E5xxx`: the HTTP service.
    Serve,
    /// `E6xxx`: the PostgreSQL ledger.
    Database,
    /// `E7xxx`: the C ABI.
    Abi,
    /// `E8xxx`: reports, replays and analytics.
    Report,
}

/// One error code of any family: its id, family and hint.
///
/// ```
/// # use omniroute_core::codes::{Code, Family, PolicyCode};
/// let code = Code::from(PolicyCode::UnknownKey);
/// assert_eq!((code.id(), code.family()), ("E2002", Family::Policy));
/// assert_eq!(code.anchor(), "docs/errors.md#e2002");
/// assert_eq!(Code::find("E2002"), Some(code));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code {
    id: &'static str,
    family: Family,
    hint: &'static str,
}

impl Code {
    /// The stable code, for example `E2002`.
    pub const fn id(self) -> &'static str {
        self.id
    }

    /// Its family.
    pub const fn family(self) -> Family {
        self.family
    }

    /// What to do, when the place reporting it has no more precise hint.
    pub const fn hint(self) -> &'static str {
        self.hint
    }

    /// Its heading in the docs, `docs/errors.md#e2002`.
    pub fn anchor(self) -> String {
        anchor(self.id)
    }

    /// Every code of every family.
    pub fn all() -> impl Iterator<Item = Code> {
        let input = InputCode::ALL.iter().map(|&c| c.code());
        let policy = PolicyCode::ALL.iter().map(|&c| c.code());
        let inventory = InventoryCode::ALL.iter().map(|&c| c.code());
        let channel = ChannelCode::ALL.iter().map(|&c| c.code());
        let serve = ServeCode::ALL.iter().map(|&c| c.code());
        let database = DatabaseCode::ALL.iter().map(|&c| c.code());
        let abi = AbiCode::ALL.iter().map(|&c| c.code());
        let report = ReportCode::ALL.iter().map(|&c| c.code());
        input
            .chain(policy)
            .chain(inventory)
            .chain(channel)
            .chain(serve)
            .chain(database)
            .chain(abi)
            .chain(report)
    }

    /// The code with this id, if it is one (an id read back, or a problem's code).
    pub fn find(id: &str) -> Option<Code> {
        Code::all().find(|c| c.id == id)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// `docs/errors.md#e2002` for `E2002`.
fn anchor(id: &str) -> String {
    format!("docs/errors.md#{}", id.to_ascii_lowercase())
}

/// Declares one family's enum: each variant with its doc, id and hint, and the enum's `id`,
/// `hint`, `family`, `anchor`, `code` and `ALL`.
macro_rules! family_codes {
    (
        $(#[$doc:meta])*
        $name:ident: $family:ident {
            $( $(#[$vdoc:meta])* $variant:ident = $id:literal => $hint:expr, )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )*
        }

        impl $name {
            /// Every code of the family, in the order declared (ascending).
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable code.
            #[inline]
            pub const fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)*
                }
            }

            /// What to do, when the place reporting it has no more precise hint.
            pub const fn hint(self) -> &'static str {
                match self {
                    $($name::$variant => $hint,)*
                }
            }

            /// The family.
            pub const fn family(self) -> $crate::codes::Family {
                $crate::codes::Family::$family
            }

            /// Its heading in the docs (`docs/errors.md#e2002`).
            pub fn anchor(self) -> String {
                self.code().anchor()
            }

            /// As a [`Code`](crate::codes::Code) of any family.
            pub const fn code(self) -> $crate::codes::Code {
                $crate::codes::Code::new(self.id(), self.family(), self.hint())
            }
        }

        impl From<$name> for $crate::codes::Code {
            fn from(c: $name) -> Self {
                c.code()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.id())
            }
        }
    };
}
pub(crate) use family_codes;

impl Code {
    const fn new(id: &'static str, family: Family, hint: &'static str) -> Self {
        Code { id, family, hint }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_ascending_and_in_their_familys_range() {
        let digit = |f: Family| match f {
            Family::Input => b'1',
            Family::Policy => b'2',
            Family::Inventory => b'3',
            Family::Channel => b'4',
            Family::Serve => b'5',
            Family::Database => b'6',
            Family::Abi => b'7',
            Family::Report => b'8',
        };
        let all: Vec<Code> = Code::all().collect();
        for pair in all.windows(2) {
            assert!(pair[0].id < pair[1].id, "{} then {}", pair[0], pair[1]);
        }
        for c in &all {
            let id = c.id.as_bytes();
            assert!(id.len() == 5 && id[0] == b'E', "{c}");
            assert_eq!(id[1], digit(c.family), "{c} is in {:?}", c.family);
            assert!(!c.hint.is_empty(), "{c} has a hint");
        }
    }
}
