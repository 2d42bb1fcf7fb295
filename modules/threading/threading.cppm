// framealloc.threading: frames across threads — frame_barrier and transfer_handle today; per-thread
// budgets and the oneTBB integration arrive with the rest of their issue.
export module framealloc.threading;
export import :frame_barrier;
export import :transfer_handle;
