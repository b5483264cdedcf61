//! Runs a computation compiled for the widest vector instructions the CPU has.
//!
//! cxm's libraries are built for baseline x86-64 (SSE2), so that they run on every x86-64
//! machine. Its counting kernels go about twice as fast with AVX2, which almost every x86-64
//! CPU since 2013 has. [`widest`] checks the CPU once (the standard library caches the answer)
//! and, where it has AVX2, runs the closure inside a function compiled for AVX2. Code the
//! closure inlines is compiled for AVX2 with it; the kernels mark their loops
//! `#[inline(always)]` for that reason.
//!
//! Results do not depend on the path taken: the kernels' floating-point operations are written
//! out in a fixed order that the compiler may not reorder, with or without AVX2 (and FMA is not
//! enabled, so no multiply and add is fused).
//!
//! This is the one `unsafe` call outside the C boundary: `cxm-core` itself forbids `unsafe`.
//!
//! # Examples
//! ```
//! let total: u64 = cxm_simd::widest(|| (1..=100_u64).sum());
//! assert_eq!(total, 5050);
//! ```

/// Runs `f`, compiled for AVX2 when the CPU has it and the build does not already assume it.
#[inline]
pub fn widest<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(all(target_arch = "x86_64", not(target_feature = "avx2")))]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above: the one condition for running code
        // compiled for it.
        return unsafe { avx2(f) };
    }
    f()
}

/// `f` with AVX2 enabled for everything it inlines.
#[cfg(all(target_arch = "x86_64", not(target_feature = "avx2")))]
#[target_feature(enable = "avx2")]
fn avx2<R>(f: impl FnOnce() -> R) -> R {
    f()
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_the_closure_once_and_returns_its_value() {
        let mut calls = 0;
        let value = super::widest(|| {
            calls += 1;
            [1.5_f64, 2.25].iter().sum::<f64>()
        });
        assert_eq!((value, calls), (3.75, 1));
    }
}
