//! The customer columns of `orders.csv` (docs/design.md §6): `customer_name`, `customer_phone`,
//! `dest_address` and `dest_area` (the locality or postcode an offer shows a dealer). The brand
//! keeps them: they come back beside the orders ([`super::OrderPlaces::customers`]), never in an
//! [`omniroute_core::Order`], so no decision, report or log made from orders can carry them.
//!
//! Problems name the column, never the value: `E1050` a phone that is not E.164, `E1051` a value
//! longer than [`MAX_CUSTOMER_CHARS`] characters or holding a control character (a line break).
//! Every line of an order repeats the same values (`E1022`, as for the other order fields).

use super::fields::{same, Col, Row};
use super::sheet::Sheet;
use crate::channel::{is_e164, Customer, PHONE_HINT};
use crate::problem::clip;
use omniroute_core::codes::InputCode;
use std::fmt;

/// Longest customer value, in characters.
pub const MAX_CUSTOMER_CHARS: usize = 200;

/// An order's customer fields; empty strings for cells not given. `Debug` hides them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CustomerFields {
    /// Name, phone and exact address: for the dealer that accepts, only.
    pub customer: Customer,
    /// Locality or postcode, shown in offers.
    pub area: Option<String>,
}

impl fmt::Debug for CustomerFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CustomerFields(<hidden>)")
    }
}

/// The four columns.
pub(super) struct CustomerCols {
    name: Col,
    phone: Col,
    address: Col,
    area: Col,
}

impl CustomerCols {
    pub(super) fn claim(sheet: &mut Sheet) -> Self {
        Self {
            name: sheet.optional("customer_name"),
            phone: sheet.optional("customer_phone"),
            address: sheet.optional("dest_address"),
            area: sheet.optional("dest_area"),
        }
    }

    /// The row's customer fields, or `None` when one of them is bad (reported on `row`).
    fn read(&self, row: &mut Row<'_>) -> Option<CustomerFields> {
        let before = row.errors();
        let mut text = |col: Col| {
            let v = row.cell(col)?;
            if v.chars().count() > MAX_CUSTOMER_CHARS || v.chars().any(char::is_control) {
                let name = col.map_or("", |i| row.name(i));
                row.error(
                    InputCode::CustomerFieldTooLong.id(),
                    col,
                    format!("{name} is longer than {MAX_CUSTOMER_CHARS} characters or holds a control character"),
                    "write it on one line, shortened",
                );
            }
            Some(v.to_owned())
        };
        let fields = CustomerFields {
            customer: Customer {
                name: text(self.name).unwrap_or_default(),
                phone: text(self.phone).unwrap_or_default(),
                address: text(self.address).unwrap_or_default(),
            },
            area: text(self.area),
        };
        let phone = &fields.customer.phone;
        if !phone.is_empty() && !is_e164(phone) {
            row.error(
                InputCode::BadCustomerPhone.id(),
                self.phone,
                "customer_phone is not an E.164 number".into(),
                PHONE_HINT,
            );
        }
        (row.errors() == before).then_some(fields)
    }

    /// Reads the row's customer and keeps in `kept` the customer of an order's first line; a
    /// later line of the order (`first`: its first line and id) that differs is `E1022`.
    pub(super) fn keep(
        &self,
        row: &mut Row<'_>,
        kept: &mut Option<CustomerFields>,
        (first, id): (u64, &str),
    ) {
        if let Some(a) = kept.as_ref() {
            // Most later lines repeat the kept (checked) customer: no copy, no second check.
            let text = |col| row.cell(col).unwrap_or("").as_bytes();
            let area = match (row.cell(self.area), a.area.as_deref()) {
                (Some(x), Some(y)) => same(x.as_bytes(), y.as_bytes()),
                (x, y) => x.is_none() && y.is_none(),
            };
            if same(text(self.name), a.customer.name.as_bytes())
                && same(text(self.phone), a.customer.phone.as_bytes())
                && same(text(self.address), a.customer.address.as_bytes())
                && area
            {
                return;
            }
        }
        let fields = self.read(row);
        let (Some(a), Some(b)) = (kept.as_ref(), fields.as_ref()) else {
            if kept.is_none() {
                *kept = fields;
            }
            return;
        };
        let differs = [
            (self.name, a.customer.name != b.customer.name),
            (self.phone, a.customer.phone != b.customer.phone),
            (self.address, a.customer.address != b.customer.address),
            (self.area, a.area != b.area),
        ]
        .into_iter()
        .find_map(|(col, differs)| differs.then_some(col));
        if let Some(col) = differs {
            let name = col.map_or("", |i| row.name(i));
            row.error(
                InputCode::OrderMismatch.id(),
                col,
                format!("{name} differs from line {first} of order {:?}", clip(id)),
                "repeat the same customer on every line of an order",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{read_order_json, read_orders_placed, InputError, Policies};
    use omniroute_core::{ServiceLevels, Skus};

    const HEAD: &str =
        "order_id,sku,qty,dest_lat,dest_lon,customer_name,customer_phone,dest_address,dest_area\n";

    fn read(rows: &str) -> Result<crate::OrderPlaces, InputError> {
        let text = format!("{HEAD}{rows}");
        let mut skus = Skus::default();
        let (loaded, places) = read_orders_placed(
            text.as_bytes(),
            "orders.csv",
            &mut skus,
            &ServiceLevels::default(),
        )?;
        assert!(
            loaded.warnings.is_empty(),
            "known columns: {:?}",
            loaded.warnings
        );
        assert!(!format!("{:?}", loaded.value).contains("Asha"));
        Ok(places)
    }

    fn problems(rows: &str) -> Vec<(&'static str, u64, u64, String)> {
        let e = read(rows).unwrap_err();
        e.problems()
            .into_iter()
            .map(|p| (p.code, p.line, p.column, p.message))
            .collect()
    }

    #[test]
    fn customers_come_back_beside_the_orders() {
        let places = read(
            "A1,TEE,1,19.1,72.8,Asha Rao,+919800000001,12 MG Road,Andheri 400053\n\
             A1,CAP,1,19.1,72.8,Asha Rao,+919800000001,12 MG Road,Andheri 400053\n\
             B2,TEE,1,19.1,72.8,,,,\n",
        )
        .unwrap();
        assert_eq!(places.customers.len(), 2);
        let a = &places.customers[0];
        assert_eq!(
            (a.customer.name.as_str(), a.customer.phone.as_str()),
            ("Asha Rao", "+919800000001")
        );
        assert_eq!(a.customer.address, "12 MG Road");
        assert_eq!(a.area.as_deref(), Some("Andheri 400053"));
        assert_eq!(places.customers[1], super::CustomerFields::default());
        assert_eq!(format!("{a:?}"), "CustomerFields(<hidden>)");
    }

    #[test]
    fn bad_customer_fields_are_coded_without_their_values() {
        let long = "x".repeat(super::MAX_CUSTOMER_CHARS + 1);
        let p = problems(&format!(
            "A1,TEE,1,19.1,72.8,Asha,98000 00001,,\n\
             B2,TEE,1,19.1,72.8,Asha,,{long},\n\
             C3,TEE,1,19.1,72.8,\"Asha\nRao\",,,\n\
             D4,TEE,1,19.1,72.8,Asha,+919800000001,,\n\
             D4,CAP,1,19.1,72.8,Asha,+919800000002,,\n"
        ));
        let codes: Vec<_> = p.iter().map(|(c, l, col, _)| (*c, *l, *col)).collect();
        assert_eq!(
            codes,
            [
                ("E1050", 2, 7),
                ("E1051", 3, 8),
                ("E1051", 4, 6),
                ("E1022", 7, 7)
            ]
        );
        for (_, _, _, message) in &p {
            assert!(
                !message.contains("98000") && !message.contains("xxx"),
                "{message}"
            );
        }
    }

    #[test]
    fn a_json_order_carries_its_customer_apart() {
        let policies = Policies::new(&[]).unwrap();
        let now = "2026-11-26T06:00:00Z".parse().unwrap();
        let mut body = serde_json::json!({
            "order_id": "A1", "dest": {"lat": 19.1, "lon": 72.8},
            "lines": [{"sku": "TEE", "qty": 1}],
            "customer_name": "Asha Rao", "customer_phone": "+919800000001",
            "dest_address": "12 MG Road", "dest_area": "Andheri",
        });
        let read = read_order_json(&body, &Skus::default(), &policies, now).unwrap();
        assert_eq!(read.customer.customer.phone, "+919800000001");
        assert_eq!(read.customer.area.as_deref(), Some("Andheri"));
        body["customer_phone"] = "call me".into();
        let e = read_order_json(&body, &Skus::default(), &policies, now).unwrap_err();
        assert_eq!(e[0].problem.code, "E1050");
        assert_eq!(e[0].field.as_deref(), Some("customer_phone"));
    }
}
