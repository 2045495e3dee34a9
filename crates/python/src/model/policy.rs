//! `Policy`: a routing policy read from TOML, the default or the demo's.

use crate::errors::{guard, Failure};
use jiff::Timestamp;
use omniroute_adapters::{PolicyFile, Source};
use omniroute_core::{self as core, ServiceLevels};
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

/// A routing policy (`policy.toml`, docs/policy.md), with the file it was read from (so that
/// problems between policy versions can point into it).
#[pyclass(frozen, module = "omniroute._omniroute")]
pub struct Policy {
    pub file: Arc<PolicyFile>,
}

impl Policy {
    pub fn inner(&self) -> &core::Policy {
        &self.file.policy
    }
}

#[pymethods]
impl Policy {
    /// The default policy (`docs/design.md` §3).
    #[staticmethod]
    fn default() -> Self {
        Policy {
            file: Arc::new(PolicyFile::default_policy()),
        }
    }

    /// The embedded demo policy (rupee economics, soft SLA, hard same-day).
    #[staticmethod]
    fn demo(py: Python<'_>) -> PyResult<Self> {
        let f = guard(py, || {
            let src = Source::text("demo/policy.toml", omniroute_adapters::DEMO_POLICY);
            PolicyFile::read(&src).map_err(Failure::from)
        })?;
        Ok(Policy { file: Arc::new(f) })
    }

    /// Reads a policy from TOML text, or from a file when given a `pathlib.Path` or a string
    /// naming an existing file.
    #[staticmethod]
    fn from_toml(py: Python<'_>, text_or_path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let is_path = text_or_path.is_instance(&py.import("pathlib")?.getattr("PurePath")?)?;
        let s: PathBuf = text_or_path.extract()?;
        let f = guard(py, move || {
            let src = if is_path || s.is_file() {
                Source::open(&s.to_string_lossy())?
            } else {
                Source::text("<policy text>", s.to_string_lossy())
            };
            PolicyFile::read(&src).map_err(Failure::from)
        })?;
        Ok(Policy { file: Arc::new(f) })
    }

    /// Names of the service levels, built-in and defined.
    #[getter]
    fn service_levels(&self) -> Vec<String> {
        self.inner()
            .levels
            .iter()
            .map(|(_, n)| n.to_owned())
            .collect()
    }

    /// The instant this version takes effect (`None`: from the beginning of time). Give a
    /// `Router` several versions to route each order under the one of its `created_at`.
    #[getter]
    fn effective_from(&self) -> Option<Timestamp> {
        self.inner().effective_from
    }

    fn __repr__(&self) -> String {
        match self.inner().effective_from {
            None => format!("Policy(service_levels={:?})", self.service_levels()),
            Some(t) => format!(
                "Policy(service_levels={:?}, effective_from={:?})",
                self.service_levels(),
                t.to_string()
            ),
        }
    }
}

pub(super) fn levels(policy: Option<PyRef<'_, Policy>>) -> ServiceLevels {
    policy.map_or_else(
        || core::Policy::default().levels,
        |p| p.inner().levels.clone(),
    )
}
