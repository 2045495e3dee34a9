//! The catalogue (SKU ids, prices, categories, popularity) and where its stock sits (`stock.csv`).

use super::network::GenNode;
use super::sample::Cumulative;
use omniroute_core::NodeKind;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::fmt::Write;

/// Cheapest and dearest unit price, rupees.
const PRICE_RUPEES: (f64, f64) = (299.0, 9_999.0);
/// Share of SKUs out of stock at every warehouse (zero rows): orders for them are hard to fill.
const SCARCE_SHARE: f64 = 0.03;
/// Share of positions a warehouse does not list at all.
const WAREHOUSE_MISSING: f64 = 0.08;
/// Most SKUs a store or a dealer carries.
const STORE_RANGE_MAX: usize = 2_500;
const DEALER_RANGE_MAX: f64 = 250.0;
/// `stock.csv` header, in the names of `docs/design.md` §7.
const HEADER: &str = "node_id,sku,qty,reserved,safety_stock\n";

/// The SKUs of an instance.
#[derive(Debug, Clone)]
pub(super) struct Catalogue {
    /// SKU ids by index (`SKU-000001`…).
    pub ids: Vec<String>,
    /// Unit price by index, in paise (cents).
    pub price_cents: Vec<u64>,
    /// SKU index of each popularity rank (rank 0 is the most popular).
    pub by_rank: Vec<u32>,
    /// Share of demand of each popularity rank (sums to 1).
    pub share: Vec<f64>,
    /// Draws a popularity rank (Zipf).
    pub zipf: Cumulative,
    /// SKU indices of each category, ascending.
    pub by_category: Vec<Vec<u32>>,
    /// SKUs no warehouse has in stock, by index.
    pub scarce: Vec<bool>,
}

impl Catalogue {
    /// `skus` SKUs with log-uniform prices ending in 99, uniform categories, and a popularity
    /// order unrelated to the id, with demand share ∝ 1 / rank^`zipf_s`.
    pub(super) fn new(skus: u32, categories: u32, zipf_s: f64, rng: &mut ChaCha8Rng) -> Self {
        let n = skus as usize;
        let width = n.to_string().len().max(6);
        let ids = (1..=n).map(|i| format!("SKU-{i:0width$}")).collect();
        let (lo, hi) = (PRICE_RUPEES.0.ln(), PRICE_RUPEES.1.ln());
        let price_cents = (0..n)
            .map(|_| {
                let rupees = rng.gen_range(lo..=hi).exp();
                let rounded = ((rupees + 1.0) / 50.0).round() * 50.0 - 1.0;
                rounded.clamp(PRICE_RUPEES.0, PRICE_RUPEES.1) as u64 * 100
            })
            .collect();
        let categories = categories.max(1);
        let mut by_category = vec![Vec::new(); categories as usize];
        for i in 0..skus {
            by_category[rng.gen_range(0..categories) as usize].push(i);
        }
        let mut by_rank: Vec<u32> = (0..skus).collect();
        by_rank.shuffle(rng);
        let weights: Vec<f64> = (0..n).map(|r| ((r + 1) as f64).powf(-zipf_s)).collect();
        let total: f64 = weights.iter().sum();
        let share = weights.iter().map(|w| w / total).collect();
        let scarce = (0..n).map(|_| rng.gen_bool(SCARCE_SHARE)).collect();
        Self {
            ids,
            price_cents,
            zipf: Cumulative::new(weights),
            by_rank,
            share,
            by_category,
            scarce,
        }
    }

    /// Number of SKUs.
    pub(super) fn len(&self) -> usize {
        self.ids.len()
    }
}

/// `stock.csv` text (docs/design.md §7): per node in node order, its positions by SKU id.
/// `units_per_day` is the expected number of units ordered in the day, which sizes the depth.
pub(super) fn stock_csv(
    nodes: &[GenNode],
    cat: &Catalogue,
    units_per_day: f64,
    rng: &mut ChaCha8Rng,
) -> String {
    let n = cat.len();
    let count = |kind| nodes.iter().filter(|node| node.kind == kind).count().max(1) as f64;
    let (warehouses, stores) = (count(NodeKind::Warehouse), count(NodeKind::Store));
    let mut rank_of = vec![0usize; n];
    for (rank, &sku) in cat.by_rank.iter().enumerate() {
        rank_of[sku as usize] = rank;
    }
    let store_range = (n / 10).clamp(100, STORE_RANGE_MAX).min(n);
    let mut out = String::with_capacity(HEADER.len() + n * (warehouses as usize + 1) * 32);
    out.push_str(HEADER);
    let mut picked: Vec<u32> = Vec::new();
    for node in nodes {
        match node.kind {
            NodeKind::Warehouse => {
                for (sku, &rank) in rank_of.iter().enumerate() {
                    if rng.gen_bool(WAREHOUSE_MISSING) {
                        continue;
                    }
                    let demand = units_per_day * cat.share[rank];
                    let qty = if cat.scarce[sku] || rng.gen_bool(0.02) {
                        0
                    } else {
                        (demand * rng.gen_range(0.3..2.0) / warehouses).round() as u64
                            + rng.gen_range(2..=30)
                    };
                    row(&mut out, node, cat, sku, qty, 0.1, 0, rng);
                }
            }
            NodeKind::Store => {
                picked.clear();
                for rank in 0..store_range {
                    let keep = 0.85 - 0.35 * rank as f64 / store_range as f64;
                    if rng.gen_bool(keep) {
                        picked.push(cat.by_rank[rank]);
                    }
                }
                picked.sort_unstable();
                for &sku in &picked {
                    let demand = units_per_day * cat.share[rank_of[sku as usize]];
                    let cap = (3.0 * demand / stores).round().clamp(2.0, 30.0) as u64;
                    let qty = rng.gen_range(0..=cap);
                    let safety = u64::from(qty >= 3 && rng.gen_bool(0.2));
                    row(&mut out, node, cat, sku as usize, qty, 0.05, safety, rng);
                }
            }
            _ => {
                picked.clear();
                for &c in &node.categories {
                    let skus = &cat.by_category[c as usize % cat.by_category.len()];
                    let keep = (DEALER_RANGE_MAX / skus.len().max(1) as f64).min(0.5);
                    picked.extend(skus.iter().filter(|_| rng.gen_bool(keep)));
                }
                picked.sort_unstable();
                for &sku in &picked {
                    let qty = if rng.gen_bool(0.05) {
                        0
                    } else {
                        rng.gen_range(1..=5)
                    };
                    row(&mut out, node, cat, sku as usize, qty, 0.05, 0, rng);
                }
            }
        }
    }
    out
}

/// Writes one position; a share `reserved_share` of stocked positions carry a reservation of up
/// to a tenth of the quantity.
#[allow(clippy::too_many_arguments)]
fn row(
    out: &mut String,
    node: &GenNode,
    cat: &Catalogue,
    sku: usize,
    qty: u64,
    reserved_share: f64,
    safety_stock: u64,
    rng: &mut ChaCha8Rng,
) {
    let reserved = if qty > 0 && rng.gen_bool(reserved_share) {
        rng.gen_range(1..=(qty / 10).max(1))
    } else {
        0
    };
    let _ = writeln!(
        out,
        "{},{},{qty},{reserved},{safety_stock}",
        node.id, cat.ids[sku]
    );
}
