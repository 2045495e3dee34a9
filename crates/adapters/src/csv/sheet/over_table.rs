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
