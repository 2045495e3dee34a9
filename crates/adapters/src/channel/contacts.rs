//! Dealers' addresses on the channel: the `whatsapp` column of nodes.csv.

use crate::{InputError, Problem, Source};
use std::collections::BTreeMap;

/// Each dealer's WhatsApp number (E.164), by node id.
pub type Contacts = BTreeMap<String, String>;

/// Reads `node_id` and `whatsapp` from a nodes file (CSV text, as `open_table` gives it for
/// Parquet too). Rows without a number are skipped; a number that is not E.164 is `E4020`.
/// The nodes reader has already checked everything else.
pub fn read_contacts(source: &Source) -> Result<Contacts, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(source.bytes.as_slice());
    let headers = reader.headers().map_err(|e| io(source, &e))?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(id), Some(phone)) = (col("node_id"), col("whatsapp")) else {
        return Ok(Contacts::new());
    };
    let mut out = Contacts::new();
    let mut problems = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| io(source, &e))?;
        let number = row.get(phone).unwrap_or("").trim();
        if number.is_empty() {
            continue;
        }
        if !super::is_e164(number) {
            problems.push(Problem {
                code: super::BAD_PHONE,
                file: source.name.clone(),
                line: i as u64 + 2,
                column: phone as u64 + 1,
                message: format!(
                    "whatsapp {:?} is not an E.164 phone number",
                    crate::problem::clip(number)
                ),
                hint: super::PHONE_HINT.into(),
            });
            continue;
        }
        out.insert(
            row.get(id).unwrap_or("").trim().to_owned(),
            number.to_owned(),
        );
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(InputError::Invalid(problems))
    }
}

fn io(source: &Source, e: &csv::Error) -> InputError {
    InputError::Io {
        file: source.name.clone(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_by_node() {
        let text =
            "node_id,lat,lon,kind,whatsapp\nD1,1,1,dealer,+919812345678\nW1,1,1,warehouse,\n";
        let c = read_contacts(&Source::text("nodes.csv", text)).unwrap();
        assert_eq!(
            c.into_iter().collect::<Vec<_>>(),
            [("D1".to_owned(), "+919812345678".to_owned())]
        );
        let bad = "node_id,whatsapp\nD1,98123\n";
        let p = read_contacts(&Source::text("nodes.csv", bad))
            .unwrap_err()
            .problems();
        assert_eq!((p[0].code, p[0].line, p[0].column), ("E4020", 2, 2));
        assert!(read_contacts(&Source::text("n.csv", "node_id,lat\nA,1\n"))
            .unwrap()
            .is_empty());
    }
}
