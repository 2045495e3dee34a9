//! The set of fulfilment nodes with id lookup and the spatial index.

use crate::ids::Interner;
use crate::{Node, NodeIdx, SpatialIndex};
use thiserror::Error;

/// Why a network could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum NetworkError {
    /// Two nodes share an id.
    #[error("duplicate node id {0:?}")]
    DuplicateNode(String),
    /// No nodes at all.
    #[error("a network needs at least one node")]
    Empty,
}

/// Fulfilment nodes, indexed by dense [`NodeIdx`] in the order given, with a spatial index.
#[derive(Debug, Clone)]
pub struct Network {
    nodes: Vec<Node>,
    ids: Interner,
    index: SpatialIndex,
}

impl Network {
    /// Builds a network; node ids must be unique.
    ///
    /// ```
    /// # use omniroute_core::{LatLng, Network, Node, NodeKind};
    /// let net = Network::new(vec![
    ///     Node::new("W1", NodeKind::Warehouse, LatLng::new(28.6, 77.2)?),
    ///     Node::new("S1", NodeKind::Store, LatLng::new(19.1, 72.9)?),
    /// ])?;
    /// assert_eq!(net.len(), 2);
    /// assert_eq!(net.node(net.find("S1").unwrap()).id, "S1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(nodes: Vec<Node>) -> Result<Self, NetworkError> {
        if nodes.is_empty() {
            return Err(NetworkError::Empty);
        }
        let mut ids = Interner::new();
        for node in &nodes {
            let before = ids.len();
            ids.intern(&node.id);
            if ids.len() == before {
                return Err(NetworkError::DuplicateNode(node.id.clone()));
            }
        }
        let index = SpatialIndex::new(nodes.iter().map(|n| n.location));
        Ok(Self { nodes, ids, index })
    }

    /// The node at `idx`.
    pub fn node(&self, idx: NodeIdx) -> &Node {
        &self.nodes[idx.0 as usize]
    }

    /// All nodes in index order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The index of the node with external id `id`.
    pub fn find(&self, id: &str) -> Option<NodeIdx> {
        self.ids.get(id).map(NodeIdx)
    }

    /// The spatial index over node locations.
    pub fn index(&self) -> &SpatialIndex {
        &self.index
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Never true: a network has at least one node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}
