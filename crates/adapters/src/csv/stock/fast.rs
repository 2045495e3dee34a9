//! The fast path of stock.csv's rows: a row of plain cells (a known node id and a SKU without
//! spaces around them, quantities of one to nine digits, no incoming units) is read straight
//! from its bytes in one pass, fields found eight bytes at a time and digits parsed where they
//! are found. Any other row (an empty or padded cell, a node or SKU that does not start and end
//! with a visible ASCII character, text that is not UTF-8, a sign, a long number, an unknown
//! node, a wrong field count, a blank line) is left to [`Row`]'s checks, so
//! the values, problems and lines are those of reading every row through them.
//!
//! [`Row`]: crate::csv::fields::Row

use super::rows::Cols;
use crate::csv::fields::{same, untrimmed};
use crate::csv::sheet::{digits, field_end};
use omniroute_core::{Network, NodeIdx};

#[cfg(test)]
thread_local! {
    /// Turns the fast path off on this thread, for tests comparing it with [`Row`]'s checks.
    pub(super) static OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// What the fast path does with each column.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Not read (an unknown column): any text.
    Skip,
    Node,
    Sku,
    Qty,
    /// `reserved`: an empty cell is 0.
    Reserved,
    /// `safety_stock`: an empty cell is 0.
    SafetyStock,
    /// `incoming_qty` or `incoming_date`: taken only when empty.
    Empty,
}

/// The fast path over the columns of one header.
pub(super) struct Fast {
    roles: Vec<Role>,
}

/// A row the fast path took.
pub(super) struct FastRow<'a> {
    /// Where the row's line ends (its `\n` or `\r`, or the end of the input).
    pub end: usize,
    pub node: &'a [u8],
    pub sku: &'a str,
    pub qty: u32,
    /// 0 for an absent column or an empty cell.
    pub reserved: u32,
    pub safety_stock: u32,
}

impl Fast {
    /// The fast path for a header of `columns` columns, or `None` when a required column is
    /// missing (every row then has problems).
    pub fn new(cols: &Cols, columns: usize) -> Option<Fast> {
        #[cfg(test)]
        if OFF.with(std::cell::Cell::get) {
            return None;
        }
        let mut roles = vec![Role::Skip; columns];
        roles[cols.node_id?] = Role::Node;
        roles[cols.sku?] = Role::Sku;
        roles[cols.qty?] = Role::Qty;
        for (col, role) in [
            (cols.reserved, Role::Reserved),
            (cols.safety_stock, Role::SafetyStock),
            (cols.incoming_qty, Role::Empty),
            (cols.incoming_date, Role::Empty),
        ] {
            if let Some(i) = col {
                roles[i] = role;
            }
        }
        Some(Fast { roles })
    }

    /// The row at the start of `bytes` when the fast path takes it.
    #[inline]
    pub fn read<'a>(&self, bytes: &'a [u8]) -> Option<FastRow<'a>> {
        // Each value in a local of its own (in a register, not an array in memory).
        let (mut node, mut sku) = (&[][..], "");
        let (mut qty, mut reserved, mut safety_stock) = (0, 0, 0);
        let last = self.roles.len() - 1;
        let mut at = 0;
        for (k, &role) in self.roles.iter().enumerate() {
            let end = match role {
                Role::Qty => {
                    let end;
                    (qty, end) = digits(bytes, at)?;
                    end
                }
                // An empty optional quantity is 0, as an absent column.
                Role::Reserved | Role::SafetyStock if ends(bytes, at) => at,
                Role::Reserved => {
                    let end;
                    (reserved, end) = digits(bytes, at)?;
                    end
                }
                Role::SafetyStock => {
                    let end;
                    (safety_stock, end) = digits(bytes, at)?;
                    end
                }
                Role::Empty => at,
                Role::Node | Role::Sku | Role::Skip => {
                    let end = field_end(bytes, at);
                    let cell = &bytes[at..end];
                    match role {
                        Role::Node => node = plain(cell)?,
                        Role::Sku => sku = std::str::from_utf8(plain(cell)?).ok()?,
                        _ => {
                            std::str::from_utf8(cell).ok()?;
                        }
                    }
                    end
                }
            };
            // The field must end where its row says: at a comma, or the last at the line end.
            match bytes.get(end) {
                Some(b',') if k < last => at = end + 1,
                Some(b'\n' | b'\r') | None if k == last => {
                    return Some(FastRow {
                        end,
                        node,
                        sku,
                        qty,
                        reserved,
                        safety_stock,
                    });
                }
                _ => return None,
            }
        }
        None
    }
}

/// True when the field at `at` is empty: a comma or a line end is there, or nothing.
#[inline]
fn ends(bytes: &[u8], at: usize) -> bool {
    matches!(bytes.get(at), Some(b',' | b'\n' | b'\r') | None)
}

/// `cell` when trimming leaves it as it is and it is not empty ([`untrimmed`]).
#[inline]
fn plain(cell: &[u8]) -> Option<&[u8]> {
    untrimmed(cell).then_some(cell)
}

/// The node of the rows before: files list a node's rows together.
#[derive(Default)]
pub(super) struct LastNode {
    id: Vec<u8>,
    node: Option<NodeIdx>,
}

impl LastNode {
    /// The node `id` names in `network`.
    #[inline]
    pub fn find(&mut self, network: &Network, id: &[u8]) -> Option<NodeIdx> {
        if let Some(node) = self.node.filter(|_| same(&self.id, id)) {
            return Some(node);
        }
        let node = network.find(std::str::from_utf8(id).ok()?)?;
        self.id.clear();
        self.id.extend_from_slice(id);
        self.node = Some(node);
        Some(node)
    }
}
