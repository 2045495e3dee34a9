//! Dealers' addresses on the channel: the `whatsapp` column of nodes.csv.

use crate::{InputError, TableInput};
use std::collections::BTreeMap;

/// Each dealer's WhatsApp number (E.164), by node id.
pub type Contacts = BTreeMap<String, String>;

/// Reads `node_id` and `whatsapp` from a nodes file (CSV or Parquet, as [`TableInput::open`]
/// gives it). Rows without a number are skipped; a number that is not E.164 is `E4020`, at its
/// line and column. The nodes reader has already checked everything else.
pub fn read_contacts(input: &TableInput) -> Result<Contacts, InputError> {
    let mut sheet = input.sheet()?;
    let (id, phone) = (sheet.optional("node_id"), sheet.optional("whatsapp"));
    let mut out = Contacts::new();
    if id.is_none() || phone.is_none() {
        return Ok(out);
    }
    while let Some(mut row) = sheet.next_row()? {
        let Some(number) = row.cell(phone) else {
            continue;
        };
        if !super::is_e164(number) {
            let message = format!(
                "whatsapp {:?} is not an E.164 phone number",
                crate::problem::clip(number)
            );
            row.error(super::BAD_PHONE, phone, message, super::PHONE_HINT);
            continue;
        }
        let node = row.cell(id).unwrap_or("").to_owned();
        out.insert(node, number.to_owned());
    }
    // The nodes reader warned about the columns already.
    sheet.finish().map(|_| out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    fn read_contacts(text: &str) -> Result<Contacts, InputError> {
        super::read_contacts(&Source::text("nodes.csv", text).into())
    }

    #[test]
    fn numbers_by_node() {
        let text =
            "node_id,lat,lon,kind,whatsapp\nD1,1,1,dealer,+919812345678\nW1,1,1,warehouse,\n";
        let c = read_contacts(text).unwrap();
        assert_eq!(
            c.into_iter().collect::<Vec<_>>(),
            [("D1".to_owned(), "+919812345678".to_owned())]
        );
        let bad = "node_id,whatsapp\nD1,98123\n";
        let p = read_contacts(bad).unwrap_err().problems();
        assert_eq!((p[0].code, p[0].line, p[0].column), ("E4020", 2, 2));
        assert!(read_contacts("node_id,lat\nA,1\n").unwrap().is_empty());
    }
}
