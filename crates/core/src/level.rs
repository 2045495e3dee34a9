//! Service levels: `same_day`, `next_day`, `standard`, plus any names a policy defines.

use std::fmt;

/// Dense index of a service level in a [`ServiceLevels`] registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceLevel(pub u8);

impl ServiceLevel {
    /// Delivered the day the order is handled.
    pub const SAME_DAY: ServiceLevel = ServiceLevel(0);
    /// Delivered the working day after handling.
    pub const NEXT_DAY: ServiceLevel = ServiceLevel(1);
    /// Ground shipping; the default level of an order.
    pub const STANDARD: ServiceLevel = ServiceLevel(2);
}

/// The service levels known to a policy, in a fixed order. The first three are always
/// `same_day`, `next_day` and `standard`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLevels {
    names: Vec<String>,
}

impl Default for ServiceLevels {
    fn default() -> Self {
        Self {
            names: vec!["same_day".into(), "next_day".into(), "standard".into()],
        }
    }
}

impl ServiceLevels {
    /// Adds a policy-defined level (or returns the existing one of that name).
    ///
    /// # Panics
    /// If more than 255 levels are defined.
    pub fn define(&mut self, name: &str) -> ServiceLevel {
        if let Some(level) = self.get(name) {
            return level;
        }
        self.names.push(name.to_owned());
        ServiceLevel(u8::try_from(self.names.len() - 1).expect("at most 255 service levels"))
    }

    /// The level named `name`, if defined.
    ///
    /// ```
    /// # use omniroute_core::{ServiceLevel, ServiceLevels};
    /// let levels = ServiceLevels::default();
    /// assert_eq!(levels.get("next_day"), Some(ServiceLevel::NEXT_DAY));
    /// assert_eq!(levels.get("teleport"), None);
    /// ```
    pub fn get(&self, name: &str) -> Option<ServiceLevel> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| ServiceLevel(i as u8))
    }

    /// The name of a level.
    pub fn name(&self, level: ServiceLevel) -> &str {
        &self.names[usize::from(level.0)]
    }

    /// Number of levels.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Never true: the three built-in levels always exist.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// All levels in order.
    pub fn iter(&self) -> impl Iterator<Item = (ServiceLevel, &str)> {
        self.names
            .iter()
            .enumerate()
            .map(|(i, n)| (ServiceLevel(i as u8), n.as_str()))
    }
}

impl fmt::Display for ServiceLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "level#{}", self.0)
    }
}
