// framealloc.threading: frames across threads — frame_barrier, transfer_handle and per-thread frame
// budgets today; per-thread pool budgets and the oneTBB integration arrive with the rest of their issue.
export module framealloc.threading;
export import :frame_barrier;
export import :transfer_handle;
export import :thread_budget;
