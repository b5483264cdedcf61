//! `cxm.NpsState`, `cxm.RatingState`, `cxm.DurationState` and `cxm.ContactCentreState`: the
//! core's mergeable states, written once as [`py_state!`] over its `State` trait (and
//! `ScoreState` for states of scores); a new metric registers its state with one invocation
//! (and its constructor).

use cxm_core::{
    ContactCentreState, DurationState, Missing, NpsState, RatingState, Scale, ScoreState, State,
};
use numpy::{PyReadonlyArray1, PyUntypedArray};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};

use crate::args::{scale_bounds, threshold};
use crate::input::{compute, labelled, on_scores, with_scores, with_weights};
use crate::nps::NpsResult;
use crate::py_error;
use crate::rating::RatingResult;

/// `obj` as a batch: one score (anything not iterable, or a string, which is refused as a
/// score later) becomes a list of one.
fn batch<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if obj.is_none() || obj.is_instance_of::<pyo3::types::PyString>() || obj.try_iter().is_err() {
        Ok(PyList::new(obj.py(), [obj])?.into_any())
    } else {
        Ok(obj.clone())
    }
}

/// Adds `scores` (and `weights`) to `state`, as `cxm.nps` reads them; on error the state is
/// unchanged and the error names the value as `cxm.nps` would.
fn add<T: ScoreState + Send>(
    py: Python<'_>,
    state: &mut T,
    scores: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    missing: &str,
) -> PyResult<()> {
    let missing: Missing = missing.parse().map_err(|e| py_error(py, &e))?;
    let scores = batch(scores)?;
    let weights = match weights.filter(|w| !w.is_none()) {
        Some(w) => Some(batch(w)?),
        None => None,
    };
    let result = with_weights(py, weights.as_ref(), |weights| {
        with_scores(py, &scores, |s| {
            compute(py, s.len(), || on_scores!(s, |s| state.add(s, weights, missing)))
        })
    })??;
    result.map_err(|e| labelled(py, py_error(py, &e), &scores, weights.as_ref()))
}

/// Group numbers as `u32`s: a contiguous `uint32` numpy array is read in place; any other whole
/// numbers go through numpy (checked there, vectorised, then converted once). One outside `u32`
/// (negative, too large) becomes `u32::MAX`, which no group count reaches, so the core names
/// its row.
pub(crate) fn group_numbers<'py>(
    py: Python<'py>,
    groups: &Bound<'py, PyAny>,
) -> PyResult<PyReadonlyArray1<'py, u32>> {
    if groups.is_exact_instance_of::<PyUntypedArray>() {
        if let Ok(array) = groups.extract::<PyReadonlyArray1<'py, u32>>() {
            if array.as_slice().is_ok() {
                return Ok(array);
            }
        }
    }
    let numpy = py.import("numpy")?;
    let array = numpy.call_method1("asarray", (groups,))?;
    let kind: String = array.getattr("dtype")?.getattr("kind")?.extract()?;
    if !matches!(kind.as_str(), "i" | "u") && array.len()? > 0 {
        return Err(crate::cxm_error(
            py,
            "invalid_group",
            &format!(
                "group numbers must be whole numbers, not of dtype {}",
                array.getattr("dtype")?
            ),
        ));
    }
    // Out of range: u32::MAX. In numpy, so that the check is vectorised.
    let wide = array.call_method1("astype", ("int64",))?;
    let outside = wide
        .call_method1("__lt__", (0,))?
        .call_method1("__or__", (wide.call_method1("__gt__", (u32::MAX,))?,))?;
    let clipped = numpy.call_method1("where", (outside, u32::MAX, wide))?;
    let contiguous = numpy.call_method1("ascontiguousarray", (clipped, "uint32"))?;
    contiguous.extract::<PyReadonlyArray1<'py, u32>>()
}

/// One state per group, as `ScoreState::by_group`.
fn by_group<T: ScoreState + Send + Sync>(
    py: Python<'_>,
    prototype: &T,
    scores: &Bound<'_, PyAny>,
    groups: &Bound<'_, PyAny>,
    group_count: usize,
    weights: Option<&Bound<'_, PyAny>>,
    missing: &str,
) -> PyResult<Vec<T>> {
    let missing: Missing = missing.parse().map_err(|e| py_error(py, &e))?;
    let rows = group_numbers(py, groups)?;
    let rows = rows.as_slice()?;
    let result = with_weights(py, weights, |weights| {
        with_scores(py, scores, |s| {
            compute(py, s.len(), || {
                on_scores!(s, |s| prototype.by_group(s, weights, rows, group_count, missing))
            })
        })
    })??;
    result.map_err(|e| labelled(py, py_error(py, &e), scores, weights))
}

/// Writes the Python class `$class` (named `$name` in Python) over the core state `$state`.
/// A state of scores (the first form) gets `add` and `by_group`, which take what `cxm.nps`
/// takes, and a `finish` that gives the result class `$result`; any other state (`@any`) brings
/// its own `add` and `finish` among `$extra`. `$extra` are the metric's own methods (its
/// constructor, its parameters, its `repr`).
macro_rules! py_state {
    ($class:ident, $name:literal, $state:ty, $result:ident, { $($extra:tt)* }) => {
        py_state!(@any $class, $name, $state, {
            /// Adds responses: one score or an array (everything `cxm.nps` accepts), with
            /// `weights` (one weight, or one per score) or None. Weighted and unweighted
            /// responses do not mix in one state. On error the state is unchanged.
            #[pyo3(signature = (scores, weights = None, *, missing = "reject"))]
            fn add(
                &mut self,
                py: Python<'_>,
                scores: &Bound<'_, PyAny>,
                weights: Option<&Bound<'_, PyAny>>,
                missing: &str,
            ) -> PyResult<()> {
                add(py, &mut self.inner, scores, weights, missing)
            }

            /// One state per group in one pass over the scores: row `i` belongs to group
            /// `groups[i]` (whole numbers below `group_count`). Each state has this one's
            /// parameters and its group's responses alone.
            #[pyo3(signature = (scores, groups, group_count, weights = None, *, missing = "reject"))]
            fn by_group(
                &self,
                py: Python<'_>,
                scores: &Bound<'_, PyAny>,
                groups: &Bound<'_, PyAny>,
                group_count: usize,
                weights: Option<&Bound<'_, PyAny>>,
                missing: &str,
            ) -> PyResult<Vec<$class>> {
                let states = by_group(py, &self.inner, scores, groups, group_count, weights, missing)?;
                Ok(states.into_iter().map(|inner| $class { inner }).collect())
            }

            /// The result of every response added and merged: the same bits as the one-shot
            /// function over all of them.
            fn finish(&self, py: Python<'_>) -> PyResult<$result> {
                let inner = self.inner.finish().map_err(|e| py_error(py, &e))?;
                Ok($result { inner })
            }

            $($extra)*
        });
    };
    (@any $class:ident, $name:literal, $state:ty, { $($extra:tt)* }) => {
        #[doc = concat!("`cxm.", $name, "`: a mergeable state (see the module docs).")]
        #[pyclass(module = "cxm", name = $name)]
        pub(crate) struct $class {
            pub(crate) inner: $state,
        }

        #[pymethods]
        impl $class {
            /// A new state with the responses of both; `other` must be of the same metric and
            /// scale, weighted like this one (an empty state merges with either).
            fn merge(&self, py: Python<'_>, other: PyRef<'_, $class>) -> PyResult<$class> {
                let mut inner = self.inner.clone();
                inner.merge(&other.inner).map_err(|e| py_error(py, &e))?;
                Ok($class { inner })
            }

            fn __add__(&self, py: Python<'_>, other: PyRef<'_, $class>) -> PyResult<$class> {
                self.merge(py, other)
            }

            /// Responses so far.
            #[getter]
            fn n(&self) -> u64 {
                self.inner.n()
            }

            /// Whether the responses are weighted (False while there are none).
            #[getter]
            fn weighted(&self) -> bool {
                self.inner.is_weighted()
            }

            /// The state in cxm's documented binary format (docs/state-format.md): the same
            /// bytes from Rust, C and Python, on every machine.
            fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
                PyBytes::new(py, &self.inner.to_bytes())
            }

            /// Reads `to_bytes`' format back; truncated or corrupted bytes, another version,
            /// metric or scale raise `CxmError` (kind `invalid_state`).
            #[staticmethod]
            fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<$class> {
                let inner = <$state>::from_bytes(data).map_err(|e| py_error(py, &e))?;
                Ok($class { inner })
            }

            fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
                other.cast::<$class>().is_ok_and(|o| o.borrow().inner == self.inner)
            }

            fn __reduce__<'py>(
                &self,
                py: Python<'py>,
            ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
                let from_bytes = py.get_type::<$class>().getattr("from_bytes")?;
                Ok((from_bytes, (self.to_bytes(py),)))
            }

            fn __copy__(&self) -> $class {
                $class { inner: self.inner.clone() }
            }

            fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> $class {
                self.__copy__()
            }

            $($extra)*
        }
    };
}

py_state!(PyNpsState, "NpsState", NpsState, NpsResult, {
    /// An NPS state of no responses.
    #[new]
    fn new() -> PyNpsState {
        PyNpsState { inner: NpsState::new() }
    }

    fn __repr__(&self) -> String {
        let [d, p, pr] = self.inner.counts();
        let weighted = if self.inner.is_weighted() { ", weighted" } else { "" };
        let n = self.inner.n();
        format!("NpsState(n={n}: {pr} promoters, {p} passives, {d} detractors{weighted})")
    }
});

// The signature below spells the core's CSAT scale out, so that Python can show it
// (tests/test_defaults.py checks it against the core).
py_state!(PyRatingState, "RatingState", RatingState, RatingResult, {
    /// A rating state (CSAT, CES) of no answers on `scale` (min, max), favourable at or above
    /// `threshold` (at or below it when `higher_is_better` is False); the threshold may be left
    /// out on the CSAT scale only.
    #[new]
    #[pyo3(
        signature = (scale = (1, 5), threshold = None, higher_is_better = true),
        text_signature = "(scale=(1, 5), threshold=None, higher_is_better=True)"
    )]
    fn new(
        py: Python<'_>,
        #[pyo3(from_py_with = scale_bounds)] scale: (i64, i64),
        #[pyo3(from_py_with = threshold)] threshold: Option<i64>,
        higher_is_better: bool,
    ) -> PyResult<PyRatingState> {
        let scale = Scale::or_default(Scale::csat(), scale.0, scale.1, threshold, higher_is_better)
            .map_err(|e| py_error(py, &e))?;
        Ok(PyRatingState { inner: RatingState::new(scale) })
    }

    /// The scale as `(min, max)`.
    #[getter]
    fn scale(&self) -> (i64, i64) {
        (self.inner.scale().min(), self.inner.scale().max())
    }

    /// The favourable answers' boundary.
    #[getter]
    fn threshold(&self) -> i64 {
        self.inner.scale().threshold()
    }

    /// Whether higher answers are better.
    #[getter]
    fn higher_is_better(&self) -> bool {
        self.inner.scale().higher_is_better()
    }

    fn __repr__(&self) -> String {
        let weighted = if self.inner.is_weighted() { ", weighted" } else { "" };
        format!("RatingState(n={} on {}{weighted})", self.inner.n(), self.inner.scale())
    }
});

// The defaults below spell the core's out (its DEFAULT_PERCENTILES, DEFAULT_LEVEL and
// Transform::default()), so that Python can show them; tests/test_defaults.py checks them.
py_state!(@any PyDurationState, "DurationState", DurationState, {
    /// A durations state of no records.
    #[new]
    fn new() -> PyDurationState {
        PyDurationState { inner: DurationState::new() }
    }

    /// Adds records as `cxm.durations` takes them: `seconds` (numbers or timedeltas), `open`
    /// (a flag per record: the case is still open, its time the time open so far; or None)
    /// and `weights` (case weights, or None). The weights at each time are summed exactly, so
    /// any split finishes to the bits of one `cxm.durations` call; a state takes weighted or
    /// unweighted records, not both. On error the state is unchanged.
    #[pyo3(signature = (seconds, open = None, weights = None))]
    fn add(
        &mut self,
        py: Python<'_>,
        seconds: &Bound<'_, PyAny>,
        open: Option<&Bound<'_, PyAny>>,
        weights: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        crate::durations::add_durations(py, &mut self.inner, seconds, open, weights)
    }

    /// The `DurationsResult` that `cxm.durations` gives of every record added and merged, to
    /// the bit.
    #[pyo3(
        signature = (percentiles = vec![50.0, 90.0], within = None, level = 0.95, conf_type = "log-log"),
        text_signature = "($self, percentiles=(50.0, 90.0), within=None, level=0.95, conf_type='log-log')"
    )]
    #[allow(clippy::needless_pass_by_value)] // PyO3 hands the list over by value
    fn finish<'py>(
        &self,
        py: Python<'py>,
        percentiles: Vec<f64>,
        within: Option<f64>,
        level: f64,
        conf_type: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::durations::finish_durations(py, &self.inner, &percentiles, within, level, conf_type)
    }

    fn __repr__(&self) -> String {
        let weighted = if self.inner.is_weighted() { ", weighted" } else { "" };
        format!("DurationState(n={}{weighted})", self.inner.n())
    }
});

// The defaults below spell the core's out (no short abandons left out, its
// DEFAULT_SERVICE_LEVEL_SECONDS, DEFAULT_PERCENTILES and DEFAULT_LEVEL); tests/test_defaults.py
// checks them.
py_state!(@any PyContactCentreState, "ContactCentreState", ContactCentreState, {
    /// A contact-centre state of no contact.
    #[new]
    fn new() -> PyContactCentreState {
        PyContactCentreState { inner: ContactCentreState::new() }
    }

    /// Adds contacts as `cxm.contact_centre` takes them: `wait_seconds` (numbers or
    /// timedeltas) and `answered` (a flag per contact). On error the state is unchanged.
    fn add(
        &mut self,
        py: Python<'_>,
        wait_seconds: &Bound<'_, PyAny>,
        answered: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        crate::durations::add_contacts(py, &mut self.inner, wait_seconds, answered)
    }

    /// The `ContactCentreResult` that `cxm.contact_centre` gives of every contact added and
    /// merged, to the bit; the thresholds are chosen here.
    #[pyo3(
        signature = (*, short_abandon_seconds = None, service_level_seconds = 20.0, percentiles = vec![50.0, 90.0], level = 0.95),
        text_signature = "($self, *, short_abandon_seconds=None, service_level_seconds=20.0, percentiles=(50.0, 90.0), level=0.95)"
    )]
    #[allow(clippy::needless_pass_by_value)] // PyO3 hands the list over by value
    fn finish<'py>(
        &self,
        py: Python<'py>,
        short_abandon_seconds: Option<f64>,
        service_level_seconds: f64,
        percentiles: Vec<f64>,
        level: f64,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::durations::finish_contact_centre(
            py,
            &self.inner,
            short_abandon_seconds,
            service_level_seconds,
            &percentiles,
            level,
        )
    }

    fn __repr__(&self) -> String {
        format!("ContactCentreState(n={})", self.inner.n())
    }
});
