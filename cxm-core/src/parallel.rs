//! Two pieces of work at once: the one way the core uses a second thread.

/// Runs `left` on this thread and `right` on a scoped second one, and gives both results. The
/// work does not panic; were it to, the panic goes on to the caller's boundary.
pub(crate) fn join<A, B: Send>(
    left: impl FnOnce() -> A,
    right: impl FnOnce() -> B + Send,
) -> (A, B) {
    std::thread::scope(|scope| {
        let other = scope.spawn(right);
        let mine = left();
        (mine, other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}
