//! [`LineSet`]: a set of an order's lines, by index, for orders of any number of lines.

use std::fmt;

/// A set of line indices of one order (line `i` is `order.lines[i]`).
///
/// The first 64 lines live inline, so the sets of an order of up to 64 lines never allocate;
/// further lines take one more word per 64. The representation is canonical (no trailing empty
/// words), so two sets are equal exactly when they hold the same lines.
///
/// ```
/// # use omniroute_core::LineSet;
/// let mut set = LineSet::full(3);
/// set.remove(1);
/// set.insert(200);
/// assert_eq!(set.iter().collect::<Vec<_>>(), [0, 2, 200]);
/// assert!(set.contains(200) && !set.contains(1));
/// assert_eq!(set.len(), 3);
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct LineSet {
    /// Lines 0 to 63 (bit i = line i).
    low: u64,
    /// Lines from 64 on, 64 a word; no trailing zero word.
    high: Vec<u64>,
}

impl LineSet {
    /// The empty set.
    pub const fn new() -> Self {
        Self {
            low: 0,
            high: Vec::new(),
        }
    }

    /// Every line of an order of `lines` lines: `0..lines`.
    pub fn full(lines: usize) -> Self {
        let mut set = Self::new();
        set.low = low_bits(lines.min(64));
        let mut rest = lines.saturating_sub(64);
        while rest > 0 {
            let take = rest.min(64);
            set.high.push(low_bits(take));
            rest -= take;
        }
        set
    }

    /// The set of lines 0 to 63 whose bits are set in `bits`.
    pub(crate) const fn from_bits(bits: u64) -> Self {
        Self {
            low: bits,
            high: Vec::new(),
        }
    }

    /// Lines 0 to 63 as bits (bit i = line i); the set's lines from 64 on are not in it.
    pub(crate) const fn low_bits(&self) -> u64 {
        self.low
    }

    /// True when line `line` is in the set.
    #[inline]
    pub fn contains(&self, line: usize) -> bool {
        if line < 64 {
            self.low & 1 << line != 0
        } else {
            self.high
                .get(line / 64 - 1)
                .is_some_and(|w| w & 1 << (line % 64) != 0)
        }
    }

    /// Adds line `line`.
    #[inline]
    pub fn insert(&mut self, line: usize) {
        if line < 64 {
            self.low |= 1 << line;
        } else {
            let w = line / 64 - 1;
            if self.high.len() <= w {
                self.high.resize(w + 1, 0);
            }
            self.high[w] |= 1 << (line % 64);
        }
    }

    /// Removes line `line`.
    #[inline]
    pub fn remove(&mut self, line: usize) {
        if line < 64 {
            self.low &= !(1 << line);
        } else if let Some(w) = self.high.get_mut(line / 64 - 1) {
            *w &= !(1 << (line % 64));
            self.trim();
        }
    }

    /// True when the set holds no line.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.low == 0 && self.high.is_empty()
    }

    /// How many lines the set holds.
    pub fn len(&self) -> usize {
        self.words().map(|w| w.count_ones() as usize).sum()
    }

    /// The lines, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words().enumerate().flat_map(|(i, mut w)| {
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros() as usize;
                    w &= w - 1;
                    i * 64 + b
                })
            })
        })
    }

    /// True when every line of `self` is in `other`.
    #[inline]
    pub fn is_subset(&self, other: &Self) -> bool {
        self.low & !other.low == 0
            && self
                .high
                .iter()
                .enumerate()
                .all(|(i, w)| w & !other.high.get(i).copied().unwrap_or(0) == 0)
    }

    /// True when the two sets share a line.
    #[inline]
    pub fn intersects(&self, other: &Self) -> bool {
        self.low & other.low != 0 || self.high.iter().zip(&other.high).any(|(a, b)| a & b != 0)
    }

    /// The lines in either set.
    #[must_use]
    pub fn union(&self, other: &Self) -> Self {
        let (long, short) = if self.high.len() >= other.high.len() {
            (self, other)
        } else {
            (other, self)
        };
        let mut high = long.high.clone();
        for (w, o) in high.iter_mut().zip(&short.high) {
            *w |= o;
        }
        Self {
            low: self.low | other.low,
            high,
        }
    }

    /// The lines in both sets.
    #[must_use]
    pub fn intersection(&self, other: &Self) -> Self {
        let mut set = Self {
            low: self.low & other.low,
            high: self
                .high
                .iter()
                .zip(&other.high)
                .map(|(a, b)| a & b)
                .collect(),
        };
        set.trim();
        set
    }

    /// The lines of `self` not in `other`.
    #[must_use]
    pub fn difference(&self, other: &Self) -> Self {
        let mut set = Self {
            low: self.low & !other.low,
            high: self
                .high
                .iter()
                .enumerate()
                .map(|(i, w)| w & !other.high.get(i).copied().unwrap_or(0))
                .collect(),
        };
        set.trim();
        set
    }

    /// Adds every line of `other`.
    pub fn extend_from(&mut self, other: &Self) {
        self.low |= other.low;
        if self.high.len() < other.high.len() {
            self.high.resize(other.high.len(), 0);
        }
        for (w, o) in self.high.iter_mut().zip(&other.high) {
            *w |= o;
        }
    }

    /// Removes every line of `other`.
    pub fn remove_all(&mut self, other: &Self) {
        self.low &= !other.low;
        for (w, o) in self.high.iter_mut().zip(&other.high) {
            *w &= !o;
        }
        self.trim();
    }

    fn words(&self) -> impl Iterator<Item = u64> + '_ {
        std::iter::once(self.low).chain(self.high.iter().copied())
    }

    fn trim(&mut self) {
        while self.high.last() == Some(&0) {
            self.high.pop();
        }
    }
}

/// The lowest `n` bits set (`n` ≤ 64).
fn low_bits(n: usize) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1 << n) - 1
    }
}

/// Sets order as the numbers whose bit i is line i (for sets within the first 64 lines, as those
/// bits read as a `u64`).
impl Ord for LineSet {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.high
            .len()
            .cmp(&other.high.len())
            .then_with(|| self.high.iter().rev().cmp(other.high.iter().rev()))
            .then(self.low.cmp(&other.low))
    }
}

impl PartialOrd for LineSet {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl FromIterator<usize> for LineSet {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Self {
        let mut set = Self::new();
        for line in iter {
            set.insert(line);
        }
        set
    }
}

impl fmt::Debug for LineSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}
