//! The `E1xxx` family: input files (nodes, stock, orders, decisions, Parquet, cities) and the
//! command line.

use super::family_codes;

family_codes! {
    /// Input files and the command line (`E1xxx`).
    InputCode: Input {
        /// Cannot read the file (missing, unreadable, a directory).
        Unreadable = "E1000" => "check the path and permissions",
        /// The file is empty: there is no header row, or a header but no data rows.
        EmptyFile = "E1001" => "write a header naming the columns (for example `node_id,lat,lon`) and at least one row under it",
        /// The text is not valid UTF-8 (typically Latin-1 or Windows-1252 from a spreadsheet, or ….
        Encoding = "E1002" => "save the file as UTF-8 (\"CSV UTF-8\"); a UTF-8 byte-order mark is fine",
        /// The header is a single field containing `;`, a tab or `|`: the file uses another delimiter.
        Delimiter = "E1003" => "use commas between fields (export as comma-separated CSV)",
        /// A required column is missing from the header (`node_id`, `lat`, `lon` in nodes.csv; ….
        MissingColumn = "E1004" => "add the column; names are matched without regard to case or surrounding spaces",
        /// A column appears twice in the header, or under two synonyms (`qty` and `on_hand`).
        DuplicateColumn = "E1005" => "keep one",
        /// A row has more or fewer fields than the header; the row is skipped.
        FieldCount = "E1006" => "give every row one field per header column, and quote fields that contain commas or line breaks",
        /// A required value (an id, a SKU, a quantity, a coordinate) is empty.
        EmptyValue = "E1007" => "fill it in",
        /// A number cannot be read: letters, units or a decimal comma (`28,6`), or a fraction where ….
        Number = "E1008" => "write plain digits with a decimal point",
        /// A number is outside its allowed range: a negative capacity, cost or reach, ….
        Range = "E1009" => "write a value within the column's range (see docs/errors.md#e1009)",
        /// A latitude or longitude is not a finite number in range (latitude -90..90, longitude ….
        LatLon = "E1010" => "write WGS84 decimal degrees and check that latitude and longitude are not swapped",
        /// A quantity is not allowed: an order line's `qty` must be 1 or more; a stock quantity ….
        Quantity = "E1011" => "fix the quantity, or delete an order line of 0",
        /// A yes/no value (`active`, `allow_split`, `ship_complete`) is not one of `true`/`false`, ….
        Boolean = "E1012" => "write one of those, or leave the cell empty for the default",
        /// `cutoff_local` is not a 24-hour local time `HH:MM` (`14:30`, `9:00`).
        Time = "E1013" => "write it that way",
        /// A date or timestamp cannot be read.
        Date = "E1014" => "write `promised_by` and `holidays` as YYYY-MM-DD and `created_at` as an RFC 3339 instant",
        /// `kind` is not a node kind.
        NodeKind = "E1015" => "use `warehouse`, `store`, `dealer`, `supplier` or `locker`, or leave it empty for `store`",
        /// `timezone` is not a known IANA time zone name.
        TimeZone = "E1016" => "use a name like `Asia/Kolkata` or `Europe/Berlin`, or leave it empty for UTC",
        /// `closed_weekdays` holds something that is not a weekday.
        Weekday = "E1017" => "write `;`-separated names or abbreviations of at least three letters: `sun`, `sat;sun`, `friday`",
        /// `service_level` names no level the policy knows.
        ServiceLevel = "E1018" => "use `same_day`, `next_day`, `standard` or a level defined in the policy, or leave it empty for `standard`",
        /// Two rows of nodes.csv have the same `node_id`; the message names the first one.
        DuplicateNode = "E1019" => "give every node its own id or delete the repeated row",
        /// stock.csv names a `node_id` that is not in the network (nodes.csv).
        UnknownNode = "E1020" => "add the node, or fix the id",
        /// stock.csv gives the same (`node_id`, `sku`) pair twice.
        DuplicateStock = "E1021" => "keep one row per pair; if both are right, add the quantities up",
        /// The lines of one order disagree on an order-level field: destination (`dest_lat`, ….
        OrderMismatch = "E1022" => "repeat the same values on every line, or give the lines different `order_id`s if they are different orders",
        /// An order's lines are not on consecutive rows: its `order_id` appears again after another ….
        NonContiguous = "E1023" => "sort or group the file so that all lines of an order are together, in arrival order",
        /// Two lines of one order have the same `line_no`.
        DuplicateLine = "E1024" => "number the lines differently, or leave `line_no` empty to number them 1, 2, 3… in file order",
        /// More than 1000 problems were found; only the first 1000 are listed and reading stopped.
        TooMany = "E1025" => "they usually share a cause (a wrong column, a wrong export setting): fix it and load the file again",
        /// An order's `exclude_nodes` or `only_nodes` (orders.csv, Parquet, or a JSON order's ….
        UnknownOrderNode = "E1040" => "name nodes by their `node_id`, `;`-separated in a cell (an array of strings in JSON)",
        /// An order names nodes (`exclude_nodes`, `only_nodes`) but was read without a network to ….
        NodeListWithoutNetwork = "E1041" => "read orders with their network (in Rust, `read_orders_in`)",
        /// A node is both in an order's `only_nodes` (only these nodes may serve it) and in its ….
        NodeInBothLists = "E1042" => "name the node in one of the two lists",
        /// decisions.csv's `group` cell does not fit the order: the rows of one order name different ….
        BadGroupCell = "E1043" => "pass the decisions.csv that `omniroute route` wrote under this policy",
        /// An order's `customer_phone` (orders.csv, or a JSON order) is not an E.164 number.
        BadCustomerPhone = "E1050" => "write +, the country code and the number, digits only",
        /// A customer field of an order (`customer_name`, `customer_phone`, `dest_address`, ….
        CustomerFieldTooLong = "E1051" => "write it on one line, shortened",
        /// A command-line problem that is not about a file's content, for example two inputs both ….
        CommandLine = "E1100" => "give each input its own source",
        /// `omniroute explain`: no order with that id in the orders file.
        UnknownOrder = "E1101" => "check the id (ids are case-sensitive) and that the right `--orders` file was given",
        /// `--now` is not an RFC 3339 instant.
        BadNow = "E1102" => "write it like `2026-11-26T12:00:00Z` or with an offset (`2026-11-26T17:30:00+05:30`)",
        /// The `--out` file (or folder, for `gen`), or stdout, cannot be created or written: the ….
        CannotWrite = "E1103" => "check the folder, the free space and the file size limit",
        /// A decisions file (`check --decisions`, `reroute --plan`) cannot be read at all: the ….
        DecisionsUnreadable = "E1104" => "pass the decisions.csv that `omniroute route` wrote (`docs/design.md` §7)",
        /// A decisions row names an `order_id` that is not in the orders file.
        DecisionsUnknownOrder = "E1105" => "pass the orders file the plan was made from",
        /// A decisions row names a `node_id` that is not in the nodes file.
        DecisionsUnknownNode = "E1106" => "pass the nodes file the plan was made from",
        /// A decisions row names a `line_no` the order does not have, or its `sku` is not the SKU of ….
        DecisionsWrongLine = "E1107" => "check that the decisions and the orders file belong together",
        /// A line of an order appears twice in the decisions file (shipped twice, or shipped and ….
        DecisionsLineTwice = "E1108" => "every order line has exactly one row: remove the extra one",
        /// A line of an order has no row in the decisions file: it is neither shipped nor unfilled.
        DecisionsLineMissing = "E1109" => "pass the whole file `route` wrote",
        /// A number or date in a decisions row cannot be read: `line_no`, `shipment` (1, 2, …; not ….
        DecisionsValue = "E1110" => "fix the cell",
        /// An unfilled row (empty `node_id`) has no reason, or a reason that is not one of the codes ….
        DecisionsReason = "E1111" => "write the reason code `route` gives on unfilled rows only",
        /// Two rows of one order give the same `shipment` number with two different nodes.
        ShipmentTwoNodes = "E1112" => "a shipment ships from one node: number the shipments of different nodes differently",
        /// `omniroute reroute`: the plan read from `--plan` breaks a rule of its inputs (stock, ….
        PlanBreaksInputs = "E1113" => "run `omniroute check` with the same files, --policy and --now to see every violation",
        /// An output (`--out`) is the same file as one of the inputs (the same path, a link to it, ….
        OutputIsInput = "E1130" => "write the output to another file",
        /// `omniroute gen`: a count is above the generator's limits, beyond which the files would ….
        GenTooLarge = "E1131" => "generate less, or several instances",
        /// `omniroute gen`: `--orders`, `--skus` or every node count is 0, so orders.csv, stock.csv ….
        GenEmpty = "E1132" => "ask for at least one node, one SKU and one order",
        /// An internal error: omniroute hit a bug and stopped without changing anything.
        Internal = "E1199" => "please report it with the command and inputs that caused it",
        /// A file read as Parquet (its name ends in `.parquet`, or stdin starts with Parquet's ….
        ParquetUnreadable = "E1201" => "write it again with a Parquet writer (pyarrow, pandas, polars, Spark), or, if it is really CSV, name it `.csv`",
        /// A column of a Parquet input has a type omniroute has no text form for (binary, decimal, ….
        ParquetColumnType = "E1202" => "store it as a string, an integer, a float, a boolean, a date, a time, a timestamp or a list of those; or drop the column",
        /// A Parquet input is compressed with a codec this build does not read (gzip, brotli, lz4, ….
        ParquetCompression = "E1203" => "write the file with compression=\"snappy\" (or zstd, lz4, gzip, or none)",
        /// `--format parquet` was given without `--out` (or with `--out -`).
        ParquetToTerminal = "E1204" => "add --out FILE, for example --out decisions.parquet",
        /// The cities file lacks a required column (`name`, `lat`, `lon`; `admin1`, `population` and ….
        CitiesColumn = "E1901" => "use the GeoNames layout: `geonameid,name,country,admin1,lat,lon,population,timezone` (see `crates/adapters/data/README.md`)",
        /// A number or coordinate in the cities file cannot be read or is out of range.
        CitiesValue = "E1902" => "fix the value on the named line",
        /// A city's time zone is not a known IANA zone name.
        CitiesTimeZone = "E1903" => "use names like `Asia/Kolkata`",
        /// A row of the cities file cannot be read at all (bad quoting or encoding).
        CitiesRow = "E1904" => "save the file as UTF-8 CSV",
        /// `omniroute gen --country XX` without `--cities`: the embedded world list has no place in ….
        NoPlaceInCountry = "E1905" => "for another country, or your own places, give `--cities FILE` (with a `country` column, `--country` then filters it)",
    }
}
