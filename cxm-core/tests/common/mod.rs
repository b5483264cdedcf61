//! Shared by the tests: reading `testdata/*.json`, comparing to a tolerance, writing the exact
//! bits of every computed number for the cross-surface comparison, and a seeded generator.

// Each test crate compiles this module and uses only part of it.
#![allow(dead_code)]

use std::fmt::Write as _;

use serde_json::Value;

/// The parsed `testdata/<name>.json`.
pub fn vectors(name: &str) -> Value {
    let path = format!("{}/../testdata/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Within `tolerance`, relative to the expected value's magnitude (absolute below 1).
pub fn close(got: f64, want: f64, tolerance: f64) -> bool {
    (got - want).abs() <= tolerance * want.abs().max(1.0)
}

/// Lines of `<label> <hex bits>…`, written to `$CXM_VECTOR_OUT/<suite>.rust.txt` when that
/// variable is set: the C and Python tests write the same lines from their surfaces.
#[derive(Default)]
pub struct Bits(String);

impl Bits {
    pub fn line(&mut self, label: &str, values: &[f64]) {
        self.0 += label;
        for v in values {
            write!(self.0, " {:016x}", v.to_bits()).unwrap();
        }
        self.0.push('\n');
    }

    pub fn save(self, suite: &str) {
        if let Some(dir) = std::env::var_os("CXM_VECTOR_OUT") {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(std::path::Path::new(&dir).join(format!("{suite}.rust.txt")), self.0)
                .unwrap();
        }
    }
}

/// A number from the vectors: a JSON number, or "inf", "-inf", "nan" for the non-finite ones.
pub fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| v.as_str().unwrap().parse().unwrap())
}

/// Like [`close`], and non-finite expectations must match exactly (NaN with NaN).
pub fn same(got: f64, want: f64, tolerance: f64) -> bool {
    if want.is_finite() {
        close(got, want, tolerance)
    } else {
        got == want || (got.is_nan() && want.is_nan())
    }
}

/// `SplitMix64`: a small seeded generator, enough to spray inputs.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1_u64 << 53) as f64
    }
}

/// The margins of a raking case (`[{"name", "codes", "targets"}, …]`), owned: their names,
/// codes and targets, for `cxm_core::Margin`s to borrow.
pub struct OwnedMargins {
    pub names: Vec<String>,
    pub codes: Vec<Vec<u32>>,
    pub targets: Vec<Vec<f64>>,
}

impl OwnedMargins {
    pub fn new(margins: &Value) -> OwnedMargins {
        let given = margins.as_array().unwrap();
        OwnedMargins {
            names: given.iter().map(|m| m["name"].as_str().unwrap().to_owned()).collect(),
            codes: given
                .iter()
                .map(|m| {
                    let codes = m["codes"].as_array().unwrap();
                    codes.iter().map(|c| u32::try_from(c.as_u64().unwrap()).unwrap()).collect()
                })
                .collect(),
            targets: given
                .iter()
                .map(|m| {
                    m["targets"].as_array().unwrap().iter().map(|t| t.as_f64().unwrap()).collect()
                })
                .collect(),
        }
    }

    pub fn margins(&self) -> Vec<cxm_core::Margin<'_>> {
        (0..self.names.len())
            .map(|k| cxm_core::Margin {
                name: &self.names[k],
                codes: &self.codes[k],
                targets: &self.targets[k],
                labels: None,
            })
            .collect()
    }
}
