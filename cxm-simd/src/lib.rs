//! Runs a computation compiled for the widest vector instructions the CPU has.
//!
//! cxm's libraries are built for baseline x86-64 (SSE2), so that they run on every x86-64
//! machine. Its counting kernels go about twice as fast with AVX2, which almost every x86-64
//! CPU since 2013 has. [`widest`] checks the CPU (the standard library caches the answer) and,
//! where it has AVX2, runs the [`Kernel`] inside a function compiled for AVX2. A kernel's
//! [`Kernel::run`] is `#[inline(always)]`, and so is the loop it calls, so that the loop is
//! compiled into that function. (A closure would not do: called from both paths, it stays one
//! function compiled for the baseline.)
//!
//! Results do not depend on the path taken: the kernels' floating-point operations are written
//! out in a fixed order that the compiler may not reorder, with or without AVX2 (and FMA is not
//! enabled, so no multiply and add is fused).
//!
//! This is the one `unsafe` call outside the C boundary: `cxm-core` itself forbids `unsafe`.
//!
//! # Examples
//! ```
//! struct Sum<'a>(&'a [u64]);
//!
//! impl cxm_simd::Kernel for Sum<'_> {
//!     type Output = u64;
//!     #[inline(always)]
//!     fn run(self) -> u64 {
//!         self.0.iter().sum()
//!     }
//! }
//!
//! assert_eq!(cxm_simd::widest(Sum(&[1, 2, 3])), 6);
//! ```

#![deny(missing_docs)]

/// A computation to compile for the widest vectors: implement [`Kernel::run`] with
/// `#[inline(always)]`, and the loops it calls too.
pub trait Kernel {
    /// What the computation returns.
    type Output;
    /// Runs the computation.
    fn run(self) -> Self::Output;
}

/// Runs `kernel`, compiled for AVX2 when the CPU has it and the build does not already assume
/// it.
#[inline]
pub fn widest<K: Kernel>(kernel: K) -> K::Output {
    #[cfg(all(target_arch = "x86_64", not(target_feature = "avx2")))]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above: the one condition for running code
        // compiled for it.
        return unsafe { avx2(kernel) };
    }
    kernel.run()
}

/// `kernel` with AVX2 enabled for everything it inlines.
#[cfg(all(target_arch = "x86_64", not(target_feature = "avx2")))]
#[target_feature(enable = "avx2")]
fn avx2<K: Kernel>(kernel: K) -> K::Output {
    kernel.run()
}

#[cfg(test)]
mod tests {
    use super::Kernel;

    struct Halves<'a>(&'a [f64]);

    impl Kernel for Halves<'_> {
        type Output = f64;
        #[inline(always)]
        #[allow(clippy::inline_always)]
        fn run(self) -> f64 {
            self.0.iter().map(|x| x / 2.0).sum()
        }
    }

    #[test]
    fn runs_the_kernel_and_returns_its_value() {
        assert_eq!(super::widest(Halves(&[1.5, 2.25, 4.0])), 3.875);
    }
}
