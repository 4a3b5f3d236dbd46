//! What the npm build brings instead of `std` (cargo feature `npm`, set by `make build`): a
//! panic handler that traps — no message is formatted, so no `core::fmt` and no file paths
//! ship — and the global allocator. Panics are bugs here (bad input is an `AuthError`); a trap
//! surfaces as a `RuntimeError: unreachable` in the console. Rust users of the crate keep
//! `std`'s handler and allocator.

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// lol_alloc's free-list allocator behind its spin lock (the page is single-threaded, so the
/// lock is never contended): the smallest allocator that passes every suite (measured in
/// docs/DECISIONS.md).
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());
