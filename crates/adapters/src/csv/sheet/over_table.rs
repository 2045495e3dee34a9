//! A sheet over a table of columns (a frame or a Parquet file, [`crate::Table`]): its rows, and
//! the runs of rows a reader may take at once as clean.

use super::{Mode, Sheet};
use crate::csv::fields::Row;
use crate::csv::table::{Table, TableRows};
use crate::problem::Problems;
use crate::InputError;
use std::borrow::Cow;
use std::io::Cursor;

impl<'a> Sheet<'a> {
    /// Reads the rows of `table` (see [`crate::Table`]).
    pub fn table(table: &'a Table) -> Result<Self, InputError> {
        let wrong = table.column_type_problems();
        if !wrong.is_empty() {
            return Err(InputError::Invalid(wrong));
        }
        let none = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Cursor::new(Cow::Borrowed(&[][..])));
        let mut sheet = Sheet::with_header(none, &table.columns, Problems::new(&table.name))?;
        sheet.mode = Mode::Table(TableRows::new(table));
        Ok(sheet)
    }

    /// A sheet with this one's header and claims over the rows of `window`, the next rows of
    /// the table this sheet reads the header of (see [`Table::window`]), numbered by their line
    /// in it; read to its end (or split into parts, [`Sheet::split_table`]) and handed back to
    /// [`Sheet::join_window`].
    pub fn window<'b>(&self, window: &'b Table) -> Sheet<'b> {
        self.sibling(&[], Mode::Table(TableRows::new(window)))
    }

    /// Takes back the sheets of a window ([`Sheet::window`] or its parts), read to their end,
    /// in order: their rows and problems join this sheet's.
    pub fn join_window(&mut self, parts: Vec<Sheet<'_>>) {
        for part in parts {
            self.rows += part.rows;
            self.problems.absorb(part.problems, 0);
        }
    }

    /// Ends a table read in windows, `rows` rows in all (read up to the window whose problems
    /// filled the list, or to the end): as on one sheet over the whole table, reading counts as
    /// stopped at the cap when rows follow the one whose error reached it.
    pub fn end_windows(&mut self, rows: usize) {
        self.problems.stop_before(rows as u64 + 1);
    }

    /// [`Sheet::next_row`] over a table.
    pub(super) fn next_in_table(&mut self) -> Result<Option<Row<'_>>, InputError> {
        let Mode::Table(rows) = &mut self.mode else {
            return Ok(None);
        };
        let file = self.problems.file();
        let failed = |e: arrow_schema::ArrowError| InputError::Io {
            file: file.to_owned(),
            message: format!("cannot read the table: {e}"),
        };
        if self.problems.is_full() {
            let more = rows.next().map_err(failed)?.is_some();
            self.problems.stop(more);
            return Ok(None);
        }
        let Some(line) = rows.next().map_err(failed)? else {
            return Ok(None);
        };
        self.rows += 1;
        let cells = rows.cells();
        Ok(Some(Row::new(
            line,
            cells,
            &self.header,
            &mut self.problems,
        )))
    }

    /// The run of table rows [`Sheet::next_row`] would read next, for a reader that takes the
    /// rows it knows to be clean at once (see [`TableRows::run`]), then [`Sheet::took`] them.
    /// `None` for CSV text, after the last row, or once the problems are full (the rows are
    /// then read one at a time, which stops at the cap).
    pub fn clean_run(&mut self) -> Option<(&'a arrow_array::RecordBatch, usize, usize, u64)> {
        let Mode::Table(rows) = &mut self.mode else {
            return None;
        };
        if self.problems.is_full() {
            return None;
        }
        rows.run()
    }

    /// Passes over the first `n` rows of [`Sheet::clean_run`], taken as clean rows.
    pub fn took(&mut self, n: usize) {
        if let Mode::Table(rows) = &mut self.mode {
            rows.skip(n);
            self.rows += n as u64;
        }
    }
}
