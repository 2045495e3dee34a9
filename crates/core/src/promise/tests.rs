//! Table-driven promise tests. Dates in 2026 used below: Mon 03-02 … Fri 03-06, Sat 03-07,
//! Sun 03-08 (US DST starts), Mon 03-09; Fri 10-30, Sun 11-01 (US DST ends), Mon 11-02;
//! Sun 04-05 (New Zealand DST ends), Mon 04-06 (checked by `fixture_weekdays`).

use super::*;
use jiff::civil::{date, time, Weekday};
use std::collections::BTreeSet;

const WEEKEND: &[Weekday] = &[Weekday::Saturday, Weekday::Sunday];
const EVERY_DAY_OPEN: &[Weekday] = &[];

/// One promise case: a node (zone, cut-off, handling, calendar), an order time, the transit days
/// and the expected `(handling_starts, ships_on, delivered_by)`, or `None` when unreachable.
struct Case<'a> {
    name: &'a str,
    zone: &'a str,
    cutoff: Time,
    handling_days: u8,
    closed: &'a [Weekday],
    holidays: &'a [Date],
    created_at: &'a str,
    transit_days: u8,
    want: Option<(Date, Date, Date)>,
}

/// A case with the common shape: cut-off 14:00, no handling days, weekend closed, no holidays.
fn case<'a>(
    name: &'a str,
    zone: &'a str,
    created_at: &'a str,
    transit_days: u8,
    want: Option<(Date, Date, Date)>,
) -> Case<'a> {
    Case {
        name,
        zone,
        cutoff: time(14, 0, 0, 0),
        handling_days: 0,
        closed: WEEKEND,
        holidays: &[],
        created_at,
        transit_days,
        want,
    }
}

fn d(month: i8, day: i8) -> Date {
    date(2026, month, day)
}

fn run(case: &Case<'_>) -> Option<Promise> {
    let zone = TimeZone::get(case.zone).expect("known zone");
    let mut calendar = Calendar::default();
    for &day in case.closed {
        calendar.close_weekday(day);
    }
    calendar.holidays = case.holidays.iter().copied().collect();
    let node = PromiseNode {
        timezone: &zone,
        cutoff_local: case.cutoff,
        handling_days: case.handling_days,
        calendar: &calendar,
    };
    let created_at: Timestamp = case.created_at.parse().expect("RFC 3339 timestamp");
    promise(&node, created_at, case.transit_days)
}

/// Runs every case and reports every failure at once.
fn check(cases: &[Case<'_>]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let got = run(case).map(|p| (p.handling_starts, p.ships_on, p.delivered_by));
            (got != case.want).then(|| format!("{}: got {got:?}, want {:?}", case.name, case.want))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn fixture_weekdays() {
    assert_eq!(d(3, 6).weekday(), Weekday::Friday);
    assert_eq!(d(3, 8).weekday(), Weekday::Sunday);
    assert_eq!(d(10, 30).weekday(), Weekday::Friday);
    assert_eq!(d(11, 1).weekday(), Weekday::Sunday);
    assert_eq!(d(4, 5).weekday(), Weekday::Sunday);
    assert_eq!(date(2027, 1, 4).weekday(), Weekday::Monday);
}

// The tables below are laid out by hand, one case per line or two, so that they read as tables:
// rustfmt would spread each case over seven lines.

#[test]
#[rustfmt::skip]
fn cut_off_boundaries() {
    check(&[
        // Asia/Kolkata is UTC+05:30: 08:29:59Z is 13:59:59 local on Wednesday.
        case("kolkata just before", "Asia/Kolkata", "2026-03-04T08:29:59Z", 1,
            Some((d(3, 4), d(3, 4), d(3, 5)))),
        case("kolkata exactly at", "Asia/Kolkata", "2026-03-04T08:30:00Z", 1,
            Some((d(3, 5), d(3, 5), d(3, 6)))),
        case("kolkata just after", "Asia/Kolkata", "2026-03-04T08:30:01Z", 1,
            Some((d(3, 5), d(3, 5), d(3, 6)))),
        // Asia/Kathmandu is UTC+05:45.
        case("kathmandu just before", "Asia/Kathmandu", "2026-03-04T08:14:59Z", 0,
            Some((d(3, 4), d(3, 4), d(3, 4)))),
        case("kathmandu exactly at", "Asia/Kathmandu", "2026-03-04T08:15:00Z", 0,
            Some((d(3, 5), d(3, 5), d(3, 5)))),
        case("utc just before", "UTC", "2026-03-04T13:59:59.999Z", 1,
            Some((d(3, 4), d(3, 4), d(3, 5)))),
        case("utc exactly at", "UTC", "2026-03-04T14:00:00Z", 1,
            Some((d(3, 5), d(3, 5), d(3, 6)))),
        Case {
            cutoff: time(0, 0, 0, 0),
            ..case("midnight cut-off never same day", "UTC", "2026-03-04T00:00:00Z", 0,
                Some((d(3, 5), d(3, 5), d(3, 5))))
        },
    ]);
}

#[test]
#[rustfmt::skip]
fn local_date_differs_from_utc_date() {
    check(&[
        // Wednesday 19:00Z is Thursday 00:30 in Kolkata.
        case("kolkata next local day", "Asia/Kolkata", "2026-03-04T19:00:00Z", 1,
            Some((d(3, 5), d(3, 5), d(3, 6)))),
        // Thursday 18:20Z is Friday 00:05 in Kathmandu.
        case("kathmandu next local day", "Asia/Kathmandu", "2026-03-05T18:20:00Z", 0,
            Some((d(3, 6), d(3, 6), d(3, 6)))),
        // Thursday 20:00Z is Friday 09:00 NZDT (+13).
        case("auckland next local day", "Pacific/Auckland", "2026-03-05T20:00:00Z", 1,
            Some((d(3, 6), d(3, 6), d(3, 7)))),
        // Thursday 03:30Z is still Wednesday 22:30 EST, before a 23:00 cut-off.
        Case {
            cutoff: time(23, 0, 0, 0),
            ..case("new york previous local day", "America/New_York", "2026-03-05T03:30:00Z", 0,
                Some((d(3, 4), d(3, 4), d(3, 4))))
        },
    ]);
}

#[test]
#[rustfmt::skip]
fn daylight_saving_changes() {
    check(&[
        // 18:30Z is 13:30 EST (before the cut-off) but 14:30 EDT (after it).
        case("new york est before dst starts", "America/New_York", "2026-03-06T18:30:00Z", 1,
            Some((d(3, 6), d(3, 6), d(3, 7)))),
        case("new york edt after dst starts", "America/New_York", "2026-03-09T18:30:00Z", 1,
            Some((d(3, 10), d(3, 10), d(3, 11)))),
        case("new york edt just before", "America/New_York", "2026-03-09T17:59:59Z", 1,
            Some((d(3, 9), d(3, 9), d(3, 10)))),
        Case {
            closed: EVERY_DAY_OPEN,
            ..case("new york on dst start day", "America/New_York", "2026-03-08T18:30:00Z", 0,
                Some((d(3, 9), d(3, 9), d(3, 9))))
        },
        // Friday 14:30 EDT: after the cut-off, weekend closed, Monday is after DST ends.
        case("new york edt before dst ends", "America/New_York", "2026-10-30T18:30:00Z", 1,
            Some((d(11, 2), d(11, 2), d(11, 3)))),
        Case {
            closed: EVERY_DAY_OPEN,
            ..case("new york on dst end day", "America/New_York", "2026-11-01T18:30:00Z", 0,
                Some((d(11, 1), d(11, 1), d(11, 1))))
        },
        case("new york est after dst ends", "America/New_York", "2026-11-02T18:30:00Z", 1,
            Some((d(11, 2), d(11, 2), d(11, 3)))),
        // New Zealand leaves DST on 2026-04-05: 01:30Z is 13:30 NZST (+12), not 14:30 NZDT.
        case("auckland nzst just before", "Pacific/Auckland", "2026-04-06T01:30:00Z", 0,
            Some((d(4, 6), d(4, 6), d(4, 6)))),
        case("auckland nzst exactly at", "Pacific/Auckland", "2026-04-06T02:00:00Z", 0,
            Some((d(4, 7), d(4, 7), d(4, 7)))),
    ]);
}

#[test]
#[rustfmt::skip]
fn weekends_and_holidays() {
    check(&[
        // Friday 17:00 NZDT: after the cut-off, Saturday and Sunday closed.
        case("auckland friday evening", "Pacific/Auckland", "2026-03-06T04:00:00Z", 1,
            Some((d(3, 9), d(3, 9), d(3, 10)))),
        case("utc saturday morning", "UTC", "2026-03-07T09:00:00Z", 0,
            Some((d(3, 9), d(3, 9), d(3, 9)))),
        Case {
            holidays: &[d(3, 9)],
            ..case("utc holiday on next working day", "UTC", "2026-03-06T15:00:00Z", 0,
                Some((d(3, 10), d(3, 10), d(3, 10))))
        },
        Case {
            holidays: &[d(3, 4)],
            ..case("utc holiday on order day", "UTC", "2026-03-04T09:00:00Z", 0,
                Some((d(3, 5), d(3, 5), d(3, 5))))
        },
        Case {
            holidays: &[date(2027, 1, 1)],
            ..case("utc year end holiday", "UTC", "2026-12-31T16:00:00Z", 1,
                Some((date(2027, 1, 4), date(2027, 1, 4), date(2027, 1, 5))))
        },
    ]);
}

#[test]
#[rustfmt::skip]
fn handling_days_and_transit() {
    check(&[
        Case {
            handling_days: 2,
            ..case("friday start, two handling days", "UTC", "2026-03-06T13:59:00Z", 3,
                Some((d(3, 6), d(3, 10), d(3, 13))))
        },
        Case {
            handling_days: 2,
            ..case("thursday start, two handling days", "UTC", "2026-03-05T10:00:00Z", 3,
                Some((d(3, 5), d(3, 9), d(3, 12))))
        },
        Case {
            handling_days: 2,
            holidays: &[d(3, 6)],
            ..case("holiday during handling", "UTC", "2026-03-05T09:00:00Z", 0,
                Some((d(3, 5), d(3, 10), d(3, 10))))
        },
        Case {
            handling_days: 1,
            ..case("kolkata one handling day", "Asia/Kolkata", "2026-03-05T06:00:00Z", 1,
                Some((d(3, 5), d(3, 6), d(3, 7))))
        },
        // Carriers deliver any day: Friday + 2 calendar days is Sunday.
        case("transit over the weekend", "UTC", "2026-03-06T09:00:00Z", 2,
            Some((d(3, 6), d(3, 6), d(3, 8)))),
        Case {
            holidays: &[d(3, 5)],
            ..case("transit ignores holidays", "UTC", "2026-03-04T09:00:00Z", 1,
                Some((d(3, 4), d(3, 4), d(3, 5))))
        },
        case("transit over month end", "UTC", "2026-03-31T09:00:00Z", 5,
            Some((d(3, 31), d(3, 31), d(4, 5)))),
    ]);
}

#[test]
#[rustfmt::skip]
fn unreachable_calendars() {
    use Weekday::{Friday, Monday, Saturday, Sunday, Thursday, Tuesday, Wednesday};
    let all: &[Weekday] = &[Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday];
    check(&[
        Case {
            closed: all,
            ..case("every weekday closed", "UTC", "2026-03-04T09:00:00Z", 1, None)
        },
        Case {
            closed: all,
            ..case("every weekday closed, after cut-off", "Asia/Kolkata",
                "2026-03-04T12:00:00Z", 1, None)
        },
    ]);
}

/// A node open every weekday but on holiday for `closed_days` days from Thursday 2026-03-05;
/// the order comes on Wednesday after the cut-off, so the search starts on the first holiday.
fn after_long_closure(closed_days: i64) -> Option<Promise> {
    let first = d(3, 5);
    let calendar = Calendar {
        closed_weekdays: 0,
        holidays: (0..closed_days)
            .map(|n| {
                first
                    .checked_add(SignedDuration::from_hours(24 * n))
                    .unwrap()
            })
            .collect::<BTreeSet<_>>(),
    };
    let node = PromiseNode {
        timezone: &TimeZone::UTC,
        cutoff_local: time(14, 0, 0, 0),
        handling_days: 0,
        calendar: &calendar,
    };
    promise(&node, "2026-03-04T15:00:00Z".parse().unwrap(), 0)
}

#[test]
fn closure_of_365_days_is_reachable() {
    // 2026-03-05 + 365 days = 2027-03-05, the 366th and last day searched.
    let p = after_long_closure(365).expect("a working day within 366 days");
    assert_eq!(p.handling_starts, date(2027, 3, 5));
    assert_eq!(p.ships_on, date(2027, 3, 5));
}

#[test]
fn closure_of_366_days_is_unreachable() {
    assert_eq!(after_long_closure(366), None);
}

#[test]
fn last_supported_date_is_unreachable() {
    let calendar = Calendar::default();
    let node = PromiseNode {
        timezone: &TimeZone::UTC,
        cutoff_local: time(14, 0, 0, 0),
        handling_days: 0,
        calendar: &calendar,
    };
    // Close to `Timestamp::MAX`: one transit day reaches 9999-12-31, two pass it.
    let created_at: Timestamp = "9999-12-30T12:00:00Z".parse().unwrap();
    let one_day = promise(&node, created_at, 1).map(|p| p.delivered_by);
    assert_eq!(one_day, Some(date(9999, 12, 31)));
    assert_eq!(promise(&node, created_at, 2), None);
}

#[test]
fn invariants_hold_every_hour_of_2026() {
    let zone = TimeZone::get("America/New_York").unwrap();
    let mut calendar = Calendar::default();
    calendar.close_weekday(Weekday::Saturday);
    calendar.close_weekday(Weekday::Sunday);
    calendar.holidays = [d(7, 3), d(11, 26), d(12, 25)].into_iter().collect();
    let node = PromiseNode {
        timezone: &zone,
        cutoff_local: time(14, 0, 0, 0),
        handling_days: 1,
        calendar: &calendar,
    };
    let start: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    for hour in 0..365 * 24 {
        let created_at = start + SignedDuration::from_hours(hour);
        let p = promise(&node, created_at, 2).unwrap();
        let ordered = order_date(created_at, &zone);
        assert!(calendar.is_open(p.handling_starts), "{created_at}: {p:?}");
        assert!(calendar.is_open(p.ships_on), "{created_at}: {p:?}");
        assert!(p.handling_starts >= ordered, "{created_at}: {p:?}");
        assert!(p.ships_on > p.handling_starts, "{created_at}: {p:?}");
        assert_eq!(
            days_late(p.delivered_by, p.ships_on),
            2,
            "{created_at}: {p:?}"
        );
        let same_day = p.handling_starts == ordered;
        let local_time = zone.to_datetime(created_at).time();
        let expect_same_day = calendar.is_open(ordered) && local_time < node.cutoff_local;
        assert_eq!(same_day, expect_same_day, "{created_at}: {p:?}");
    }
}

#[test]
#[rustfmt::skip]
fn transit_bands() {
    let band = |max_km, days| TransitBand { max_km, days };
    let bands = [band(100.0, 1), band(500.0, 2), band(1500.0, 3)];
    let open_ended = [band(f64::INFINITY, 5)];
    let cases: &[(&str, &[TransitBand], f64, Option<u8>)] = &[
        ("zero km",                &bands,      0.0,      Some(1)),
        ("first bound inclusive",  &bands,      100.0,    Some(1)),
        ("just past first bound",  &bands,      100.001,  Some(2)),
        ("second bound inclusive", &bands,      500.0,    Some(2)),
        ("last bound inclusive",   &bands,      1500.0,   Some(3)),
        ("beyond last band",       &bands,      1500.001, None),
        ("far beyond last band",   &bands,      20_000.0, None),
        ("nan distance",           &bands,      f64::NAN, None),
        ("empty table",            &[],         1.0,      None),
        ("open-ended band",        &open_ended, 1e9,      Some(5)),
    ];
    for &(name, bands, km, want) in cases {
        assert_eq!(transit_days(bands, km), want, "{name}");
    }
}

#[test]
fn lateness() {
    let cases = [
        ("on time", d(3, 10), d(3, 10), 0),
        ("early", d(3, 8), d(3, 10), 0),
        ("one day late", d(3, 11), d(3, 10), 1),
        ("late across a month", d(4, 2), d(3, 30), 3),
        ("late across a year", date(2027, 1, 2), d(12, 31), 2),
        ("late across dst start", d(3, 9), d(3, 7), 2),
    ];
    for (name, delivered_by, deadline, want) in cases {
        assert_eq!(days_late(delivered_by, deadline), want, "{name}");
    }
}

#[test]
#[rustfmt::skip]
fn order_dates() {
    let cases = [
        ("utc",                          "UTC",              "2026-03-05T23:00:00Z", d(3, 5)),
        ("kolkata ahead",                "Asia/Kolkata",     "2026-03-05T18:30:00Z", d(3, 6)),
        ("kolkata just before midnight", "Asia/Kolkata",     "2026-03-05T18:29:59Z", d(3, 5)),
        ("kathmandu ahead",              "Asia/Kathmandu",   "2026-03-05T18:15:00Z", d(3, 6)),
        ("new york behind",              "America/New_York", "2026-03-06T04:59:59Z", d(3, 5)),
        ("new york edt midnight",        "America/New_York", "2026-03-10T04:00:00Z", d(3, 10)),
        ("auckland ahead",               "Pacific/Auckland", "2026-03-05T11:00:00Z", d(3, 6)),
    ];
    for (name, zone, created_at, want) in cases {
        let zone = TimeZone::get(zone).unwrap();
        let created_at: Timestamp = created_at.parse().unwrap();
        assert_eq!(order_date(created_at, &zone), want, "{name}");
    }
}

#[test]
fn walk_agrees_with_calendar() {
    let mut calendar = Calendar::default();
    calendar.close_weekday(Weekday::Wednesday);
    calendar.close_weekday(Weekday::Sunday);
    calendar.holidays = [d(1, 1), d(4, 3), d(4, 6), d(12, 24), d(12, 25), d(12, 26)]
        .into_iter()
        .collect();
    let mut day = date(2025, 12, 28);
    while day < date(2027, 1, 3) {
        let mut days = Days::new(&calendar, day).unwrap();
        assert_eq!(days.is_open(), calendar.is_open(day), "{day}");
        days.next_working_day().unwrap();
        assert!(calendar.is_open(days.day), "{day} -> {}", days.day);
        let mut between = day.tomorrow().unwrap();
        while between < days.day {
            assert!(!calendar.is_open(between), "{day} skipped open {between}");
            between = between.tomorrow().unwrap();
        }
        day = day.tomorrow().unwrap();
    }
}
