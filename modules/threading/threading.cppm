// framealloc.threading: frames across threads — frame_barrier, transfer_handle, per-thread frame
// budgets, and the oneTBB integration: tbb_worker_binder (task arena threads get their frame arenas and
// pool caches), frame_task_counter (end_frame() while a task of the frame runs is FA005),
// frame_task_group, run_frame and run_graph_frame (a frame's work as a task group or a flow graph).
export module framealloc.threading;
export import :frame_barrier;
export import :transfer_counters;
export import :transfer_handle;
export import :thread_budget;
export import :frame_task_counter;
export import :frame_task_group;
export import :run_frame;
export import :tbb_worker_binder;
