//! How candidates are gathered: when the posting lists are the candidates, how long the
//! nearest-first walk goes on, which lines have their holders scanned up front. The decision
//! does not depend on these (the tests change them to exercise every path); the speed does.

/// When the order's SKUs' posting lists add up to at most this many entries, the holders are the
/// candidates; beyond it the router walks the spatial index nearest-first.
pub const POSTING_LIMIT: usize = 256;

/// The nearest-first walk visits at least this many nodes (and up to half the order's posting
/// size); if the cost bound has not closed by then, the remaining candidates come from the posting
/// lists: only the nodes that hold every line when partial nodes are priced out, else every holder.
pub const WALK_LIMIT: usize = 48;

/// The walk goes on for up to the order's posting size divided by this (when more than
/// [`WALK_LIMIT`]): past that, reading the posting lists is cheaper than walking every node. It
/// also hands over early once the nodes that may still help have fewer posting entries than the
/// order's divided by this.
pub(crate) const WALK_DIVISOR: usize = 4;

/// The first phase's walk of the spatial index for the nodes holding every line tests up to this
/// many nodes per hundred such nodes (as [`StockTable::full_holders_at_most`] counts them); if the
/// bound has not closed by then, the remaining ones are found (a bitmap) and ordered by chord. The
/// walk's cost grows with the nodes it tests, the ordering's with the nodes found, so a walk that
/// runs long (few nodes hold every line, or a remote order) wastes at most a share of the
/// ordering's cost.
///
/// [`StockTable::full_holders_at_most`]: super::StockTable::full_holders_at_most
pub(crate) const FULL_WALK_PERCENT: usize = 50;

/// Fewer full holders than this are found and ordered by chord without a walk: so few cost less
/// to order than the walk's way down the tree.
pub(crate) const FULL_WALK_MIN: usize = 1024;

/// A line whose SKU is held by at most this many nodes has its holders scanned up front, so the
/// router knows how far away the line can still be shipped from; longer lists use the SKU's cap.
pub(crate) const LINE_SCAN_LIMIT: usize = 16;

/// The line floors read the nodes within the order's reach limit instead of the posting lists
/// when the walk that finds them tests at most this many nodes per hundred entries of the
/// longest list (and a line has more holders than there are such nodes): below a full list's
/// length, the walk costs less than the pass it replaces.
pub(crate) const FLOORS_NEAR_PERCENT: usize = 100;

/// For an order without a reach limit, the line floors leave a line's posting list unread when
/// more of its holders than this hold enough units (and at most an eighth of those have a reach
/// of their own at the level): its floors are those of its holders' kinds until the hand-over
/// to the posting lists asks for its holders. Most such orders close, or
/// hand over for their short lines alone, before that (`LineFloors::unread`).
pub(crate) const FLOORS_READ_LIMIT: usize = 256;

/// An unfilled line's nearest holder comes from a walk of the spatial index when its SKU has at
/// least this many holders (and a bitmap), else from a pass over its posting list: a short list
/// costs less than the walk's heap and distances.
pub(crate) const NEAREST_WALK_MIN: usize = 1024;

/// The candidate-gathering limits (the result does not depend on them; tests change them to
/// exercise every path).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// [`POSTING_LIMIT`].
    pub posting: usize,
    /// [`WALK_LIMIT`].
    pub walk: usize,
    /// [`WALK_DIVISOR`].
    pub divisor: usize,
    /// [`LINE_SCAN_LIMIT`].
    pub line_scan: usize,
    /// [`FULL_WALK_PERCENT`].
    pub full_walk: usize,
    /// [`FULL_WALK_MIN`].
    pub full_walk_min: usize,
    /// [`FLOORS_NEAR_PERCENT`].
    pub floors_near: usize,
    /// [`NEAREST_WALK_MIN`].
    pub nearest_walk_min: usize,
    /// [`FLOORS_READ_LIMIT`].
    pub floors_read: usize,
    /// The scan uses the nearest promise groups' reach ([`Reach::near_km`]); off, that is the
    /// order's reach limit (tests compare both).
    ///
    /// [`Reach::near_km`]: super::reach::Reach::near_km
    pub near_groups: bool,
}

impl Limits {
    pub(crate) const DEFAULT: Self = Self {
        posting: POSTING_LIMIT,
        walk: WALK_LIMIT,
        divisor: WALK_DIVISOR,
        line_scan: LINE_SCAN_LIMIT,
        full_walk: FULL_WALK_PERCENT,
        full_walk_min: FULL_WALK_MIN,
        floors_near: FLOORS_NEAR_PERCENT,
        nearest_walk_min: NEAREST_WALK_MIN,
        floors_read: FLOORS_READ_LIMIT,
        near_groups: true,
    };
}
