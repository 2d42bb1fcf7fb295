// The table of diagnostic codes (modules/diagnostics/code_registry.cppm). Keep it sorted by code; the
// test checks order, uniqueness and that every code the library emits is here.
module;
#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <string_view>
module framealloc.report;

namespace framealloc {
namespace {

using f = code_family;

constexpr std::array codes_table{
    diagnostic_code{"FA001", f::lifecycle, "frame allocation outside a frame",
                    "Frame memory was requested while no frame was open (before begin_frame(), after end_frame()). "
                    "The memory would have no frame to be released with.",
                    "Allocate between begin_frame() and end_frame(), use the pool for longer-lived data, or use a "
                    "try_ variant that returns null."},
    diagnostic_code{"FA002", f::lifecycle, "invalid configuration",
                    "An alloc_config or arena option cannot work (for example a chunk smaller than its header or a "
                    "growth factor of zero).",
                    "Fix the named option; alloc_config::minimal() and high_performance() are valid starting points."},
    diagnostic_code{"FA003", f::lifecycle, "frame lifecycle out of order",
                    "begin_frame() was called while a frame was open, or end_frame() without begin_frame().",
                    "Call begin_frame() and end_frame() in pairs, from the thread that owns the frame loop."},
    diagnostic_code{"FA004", f::lifecycle, "invalid frame marker",
                    "A marker was rewound after its frame ended, after an outer rewind released it, or on another "
                    "arena. Rewinding it would release memory that is in use.",
                    "Rewind markers in stack order within the frame and arena they were taken in; prefer "
                    "frame_scope, which cannot be misused this way."},
    diagnostic_code{"FA005", f::lifecycle, "frame ended while its tasks run",
                    "end_frame() was called while a task of the frame (frame_task_group, run_frame, run_graph_frame, "
                    "frame_task_body) still ran, or a frame task started with no frame open. Its frame memory would "
                    "be released under it. The frame stays open.",
                    "Wait for the frame's task group or graph before end_frame(); run_frame / run_graph_frame do it."},
    diagnostic_code{"FA006", f::lifecycle, "retained value not in this promotion result",
                    "A retention ticket was claimed from a promotion_result that does not hold it: it is from another "
                    "frame or smart_alloc, or its value was released by a frame_scope or rewind before the frame ended.",
                    "Claim a ticket from the result of the end_frame_with_promotions() of its own frame; do not "
                    "retain inside a scope that ends before the frame."},
    diagnostic_code{"FA007", f::lifecycle, "promoted value claimed twice",
                    "A ticket was claimed a second time; the first claim already owns the value.",
                    "Claim each ticket once and pass the handle on."},
    diagnostic_code{"FA008", f::lifecycle, "claim of the wrong destination",
                    "claim() was used for a value promoted to a scratch arena, or claim_scratch() for a pool or heap "
                    "value; the handle types own differently.",
                    "Use claim_scratch() for promote_to_scratch values and claim() for pool and heap ones."},
    diagnostic_code{"FA009", f::lifecycle, "snapshot could not be written",
                    "A snapshot file could not be written: the directory cannot be created or written, the disk is "
                    "full, or the rename failed. The temporary file was removed; no torn file is left.",
                    "Check the snapshot_config directory and its permissions and free space."},
    diagnostic_code{"FA010", f::lifecycle, "tag table full",
                    "More distinct tags were interned than framealloc::max_tags. Tags are meant to name systems, "
                    "not objects.",
                    "Use a fixed set of tag names; do not build tag names from ids or counters."},
    diagnostic_code{"FA101", f::memory, "alignment is not a power of two",
                    "An allocation asked for an alignment that is zero or not a power of two; no address can honour it.",
                    "Pass alignof(T) or another power of two."},
    diagnostic_code{"FA102", f::memory, "double free",
                    "A pool block was deallocated twice. The second free would put the block on a free list twice "
                    "and hand it to two owners.",
                    "Give the block one owner (pool_ptr<T>) and clear raw pointers after freeing."},
    diagnostic_code{"FA103", f::memory, "foreign pointer",
                    "A pointer that this pool did not hand out was deallocated through it (another resource's block, "
                    "an interior pointer, or garbage).",
                    "Deallocate through the resource that allocated; with std::pmr containers, do not mix allocators "
                    "across moves or swaps."},
    diagnostic_code{"FA104", f::memory, "size mismatch on deallocate",
                    "The size passed to deallocate is not the size the block was allocated with (debug builds and "
                    "checking_resource know it exactly). A release pool sees only size classes: there a size or "
                    "alignment that names another class than the block's is FA104 too, since the block would be "
                    "filed under the wrong class. When only the alignment differs, the code is FA108.",
                    "Pass the same size and alignment to deallocate as to allocate."},
    diagnostic_code{"FA105", f::memory, "promoted value claimed as another type",
                    "A retained_id was claimed with claim<T>() for a T other than the type it was retained as.",
                    "Claim with the type given to frame_retained<T>(), or keep the typed retained<T> ticket."},
    diagnostic_code{"FA106", f::memory, "guard bytes overwritten",
                    "FRAMEALLOC_DEBUG: the guard bytes after a block (or the canary before a heap block) were "
                    "overwritten: the program wrote outside what it allocated. The report carries the allocation's "
                    "backtrace.",
                    "Fix the write at or past the block's end (an off-by-one, a wrong size passed to allocate)."},
    diagnostic_code{"FA107", f::memory, "memory leaked",
                    "Blocks were still allocated when they should all have been freed: a resource was destroyed "
                    "(or checked) with live blocks. The report lists them.",
                    "Free every block before the resource dies; give owners RAII handles (pool_ptr, pmr containers)."},
    diagnostic_code{"FA108", f::memory, "alignment mismatch on deallocate",
                    "deallocate() named a live block with its size but another alignment than allocate() had "
                    "(reported by checking_resource, and by pool_resource and heap_resource in debug builds).",
                    "Pass the same alignment to deallocate as to allocate (polymorphic_allocator does this for you)."},
    diagnostic_code{"FA109", f::memory, "upstream broke its contract",
                    "A memory_resource returned a block that is misaligned for the request or overlaps a live block.",
                    "Fix or replace the upstream resource; checking_resource names the bad block."},
    diagnostic_code{"FA201", f::threading, "barrier waited on without signalling",
                    "A thread called wait_all() on a frame_barrier it never signalled; it has no generation to wait "
                    "for and would wait for itself.",
                    "Call signal_frame_complete() before wait_all() each frame, or leave() the barrier."},
    diagnostic_code{"FA202", f::threading, "barrier left with no participant",
                    "leave() was called on a frame_barrier whose participants had all left already.",
                    "Match every leave() with one participant; create the barrier for the number of threads."},
    diagnostic_code{"FA203", f::threading, "transfer received twice",
                    "receive() was called on a transfer_handle whose value was already received (or moved from).",
                    "Receive each transfer exactly once; move the handle to the thread that receives."},
    diagnostic_code{"FA210", f::threading, "frame boundary inside a task",
                    "Static analysis (fa): begin_frame() or end_frame() is called inside the body of a task "
                    "(tbb::task_group::run, task_arena::enqueue, tbb::parallel_*, std::async, frame_task_group::run) on "
                    "an allocator the task did not create. The frame loop's thread owns the boundary; a task that ends "
                    "the frame releases the memory of every other task of it (at runtime: FA005 or FA003).",
                    "Call begin_frame() / end_frame() on the frame loop's thread, around the tasks; use run_frame or "
                    "run_graph_frame to open, wait for and end the frame."},
    diagnostic_code{"FA211", f::threading, "barrier wait with no signal before it",
                    "Static analysis (fa): frame_barrier::wait_all() (or wait_all_for(timeout)) is called in a function "
                    "that calls no signal_frame_complete() on that barrier before it. The thread has not signalled "
                    "its frame, so it has no generation to wait for (at runtime: FA201).",
                    "Call signal_frame_complete() first (or arrive_and_wait(), or wait_all(generation) with the "
                    "generation signal_frame_complete() returned)."},
    diagnostic_code{"FA212", f::threading, "thread allocates frame memory without a budget",
                    "Static analysis (fa), when .fa.toml sets [threading] require_thread_budget: the body of a "
                    "std::thread or std::jthread allocates frame memory before it sets its thread's frame budget. "
                    "Its allocations count against no per-thread limit.",
                    "Call set_thread_frame_budget() at the start of the thread body, before its first frame "
                    "allocation."},
    diagnostic_code{"FA213", f::threading, "transfer handle discarded or not received",
                    "Static analysis (fa): the transfer_handle that frame_box_for_transfer returns is discarded, is "
                    "never received (receive()) nor handed on (moved, captured, passed, returned), or a return or "
                    "throw leaves the function before it is. The handle's destructor destroys the value: no thread "
                    "gets it, and the runtime counts the transfer as dropped.",
                    "Receive the handle on the other thread or move it into the task, queue or caller that does; "
                    "drop it explicitly only where losing the value is intended."},
    diagnostic_code{"FA214", f::threading, "frame memory handed to another thread",
                    "Static analysis (fa): frame memory (a pointer, view or frame container) is handed to another "
                    "thread other than through frame_box_for_transfer: pushed into a tbb concurrent queue or "
                    "container, set as a std::promise's value, published through a std::atomic, or passed as an "
                    "argument to a std::thread, std::jthread or std::async task that is detached or still runs at "
                    "end_frame(). The receiving thread may use it after the producer's end_frame() released it.",
                    "Move the value into frame_box_for_transfer and hand over the transfer_handle (receive() on the "
                    "other thread), or allocate what crosses threads from the pool."},
    diagnostic_code{"FA301", f::budget_static, "unbounded allocation loop without a budget",
                    "Static analysis (fa): frame or pool memory is allocated in a loop whose trip count comes from "
                    "outside the function (a parameter, a member, a global, or a local computed from one), and no "
                    "budget is set before it in the function (set_thread_frame_budget, set_thread_pool_budget, "
                    "set_global_budget, set_tag_budget), no tag in force around it, nor, for frame memory, a "
                    "frame_scope opened in the loop. The input alone decides how much memory the loop takes.",
                    "Set a budget before the loop (a thread frame or pool budget, or a budget on the tag the loop "
                    "allocates under), open a frame_scope in the loop body for per-iteration frame memory, or bound "
                    "the loop by a constant."},
    diagnostic_code{"FA401", f::budget_runtime, "hard budget limit exceeded",
                    "An allocation would take a budget (global, tag, thread frame or thread pool) past its hard "
                    "limit for this frame. With the fail policy the request is refused (budget_exceeded).",
                    "Allocate less in the frame, raise the limit, or move long-lived data out of the budgeted tag."},
    diagnostic_code{"FA402", f::budget_runtime, "soft budget limit exceeded",
                    "An allocation took a budget past its soft limit for this frame (reported once per frame).",
                    "Treat as an early warning: look at the tag's statistics for the frame that crossed it."},
    diagnostic_code{"FA501", f::behavior, "frame data retained too long",
                    "Data born in a frame (transfer boxes, retained values) stayed alive, unclaimed, across many frames.",
                    "Receive transfers in the next frame or drop them; promote data that is meant to live on."},
    diagnostic_code{"FA502", f::behavior, "high frame survival rate",
                    "A large share of a tag's frame allocations is retained past the frame every frame: it is not "
                    "frame data.",
                    "Allocate that data from the pool (pool_alloc) instead of retaining frame data."},
    diagnostic_code{"FA510", f::behavior, "pool allocations freed in the same frame",
                    "Nearly every pool allocation of a tag is freed within the frame it was made in, frame after frame. "
                    "Frame memory would serve it with no free at all.",
                    "Use frame_alloc / frame_vector for per-frame temporaries."},
    diagnostic_code{"FA520", f::behavior, "promotion churn",
                    "Many frame values are promoted every frame. Promotion copies; data that always survives should "
                    "be born in its destination.",
                    "Allocate the value in the pool or heap from the start."},
    diagnostic_code{"FA530", f::behavior, "heap allocations in the hot path",
                    "A tag makes many heap allocations every frame. The heap is the slowest and least predictable "
                    "resource.",
                    "Use frame memory for temporaries and the pool for small long-lived objects; reserve containers."},
    diagnostic_code{"FA540", f::behavior, "frame arena overflows to upstream every frame",
                    "Frame arenas take new chunks from upstream frame after frame: the retained chunks are too small "
                    "(or trimmed) for the frame's peak, so every frame pays upstream calls.",
                    "Raise frame_chunk_size or frame_retained_bytes in alloc_config to the frame's peak."},
    diagnostic_code{"FA550", f::behavior, "cross-thread frees dominate a pool",
                    "Most pool frees in a frame happen on threads that did not allocate those blocks. Blocks travel "
                    "through the depot instead of staying in a thread cache.",
                    "Free where you allocate when you can, or hand work over with transfer_handle."},
    diagnostic_code{"FA560", f::behavior, "tag repeatedly over its soft budget",
                    "A tag crossed its soft budget limit in many consecutive frames: the limit no longer describes "
                    "the tag.",
                    "Reduce the tag's per-frame allocations or set a realistic soft limit."},
    diagnostic_code{"FA601", f::lifetime, "frame memory stored in a global or static",
                    "Static analysis (fa): a pointer, span, view or iterator into frame memory is stored in a variable "
                    "with static storage (a global, a static local or member, a global container). The variable "
                    "outlives the frame; after end_frame() it points at released (and reused) memory.",
                    "Keep frame memory in locals used within the frame; copy the value out, or allocate what must "
                    "persist from the pool (pool_alloc) or retain it (frame_retained with a promotion policy)."},
    diagnostic_code{"FA602", f::lifetime, "frame memory stored in a member",
                    "Static analysis (fa): frame memory is stored in a member of `this` (an assignment, a member "
                    "initializer or an insertion into a member container). The object outlives the frame unless it "
                    "is itself frame memory; its member then dangles after end_frame().",
                    "Store pool memory or a copied value in the member, rebuild the member every frame from scratch, "
                    "or suppress with the reason when the object itself lives in the frame."},
    diagnostic_code{"FA603", f::lifetime, "frame memory used after end_frame()",
                    "Static analysis (fa): a variable holding frame memory (a pointer, span, view or frame container) "
                    "is used after an end_frame() (or frame_arena::reset()) that runs before the use on every path. "
                    "The memory was released; in debug builds it is poisoned.",
                    "Use frame memory before end_frame(); copy what the next frame needs, or retain it with "
                    "frame_retained and claim it from end_frame_with_promotions()."},
    diagnostic_code{"FA604", f::lifetime, "frame-loop path skips end_frame()",
                    "Static analysis (fa): in a loop whose body calls begin_frame() and later end_frame(), a continue, "
                    "break, return or throw between them leaves the frame open. The next begin_frame() fails (FA003) "
                    "and the frame's memory is never released.",
                    "Call end_frame() before leaving the frame early, or wrap the frame's work in run_frame so every "
                    "path ends it."},
    diagnostic_code{"FA605", f::lifetime, "scope guard destroyed at once",
                    "Static analysis (fa): a frame_scope or scoped_tag is created as a temporary and destroyed at the "
                    "end of its statement. The scope releases nothing later and the tag covers no allocation.",
                    "Name it: `auto scope = alloc.frame_scope();`, `const auto tag = alloc.tag(\"physics\");`."},
    diagnostic_code{"FA606", f::lifetime, "frame memory returned out of its frame",
                    "Static analysis (fa): a function returns frame memory whose frame it owns: it was allocated "
                    "while a frame_scope of the function is alive around the return, from an allocator that is a "
                    "local object of the function, or in a function that runs the frame itself (calls begin_frame() "
                    "or end_frame()). The caller receives memory that is released as the function returns, or that "
                    "belongs to a frame the caller does not own.",
                    "Return a copy of the value or pool memory; let the function that runs the frame use the memory "
                    "itself; close the frame_scope before the return only if nothing returned comes from it."},
    diagnostic_code{"FA607", f::lifetime, "frame allocation growing with a data-dependent loop",
                    "Static analysis (fa): scratch frame memory (not kept past the iteration) is allocated on every "
                    "iteration of a loop whose trip count depends on data (a parameter, a container's size, a "
                    "non-constant), with no frame_scope in the loop body and no budget set before it. Frame memory is "
                    "released only at end_frame(): the frame's footprint grows with the data (hot-loop growth).",
                    "Open a frame_scope at the top of the loop body (`auto scope = alloc.frame_scope();`) so each "
                    "iteration's scratch memory is released when it ends, or hoist the allocation out of the loop "
                    "and reuse it."},
    diagnostic_code{"FA701", f::async, "frame memory captured by a task that outlives the frame",
                    "Static analysis (fa): a lambda handed to std::thread, std::jthread, std::async, "
                    "tbb::task_group::run or tbb::task_arena::enqueue captures frame memory by reference or as a "
                    "pointer, and the task can outlive the frame: it is detached, never waited for, or end_frame() "
                    "runs before it is joined.",
                    "Join or wait for the task before end_frame(), run it as a frame_task_group task of the frame, or "
                    "hand the data over with frame_box_for_transfer."},
    diagnostic_code{"FA702", f::async, "frame memory alive across co_await",
                    "Static analysis (fa): in a coroutine, frame memory allocated before a co_await or co_yield is "
                    "used after it, or a frame_scope's block spans it. The coroutine may resume after end_frame(), in "
                    "another frame or on another thread: the memory is released and the scope would rewind an arena "
                    "of a later frame.",
                    "Allocate frame memory after the suspension (per resumption), keep what crosses it in pool "
                    "memory or the coroutine frame, and close frame_scope blocks before suspending."},
    diagnostic_code{"FA801", f::architecture, "tag not declared",
                    "Static analysis (fa): a tag literal (with_tag, tag, scoped_tag) names no tag of the [tags] table "
                    "of .fa.toml. An undeclared tag is usually a misspelling: its allocations escape the budgets and "
                    "statistics of the intended tag.",
                    "Use a declared tag, or declare the new one in .fa.toml [tags] (fa init lists the tags in use)."},
    diagnostic_code{"FA802", f::architecture, "tag used outside its paths",
                    "Static analysis (fa): a declared tag is used in a file outside the path globs .fa.toml gives it. "
                    "Allocations are attributed to a system that does not own the code.",
                    "Use the tag of the system the file belongs to, or add the path to the tag's entry in .fa.toml."},
    diagnostic_code{"FA803", f::architecture, "memory kind forbidden in this path",
                    "Static analysis (fa): code in a path whose .fa.toml [[rules]] forbid a memory kind uses it: "
                    "frame memory (frame_alloc, ...), pool memory (pool_alloc, a pool_resource) or heap memory "
                    "(heap_alloc, a heap_resource, a non-placement new).",
                    "Use the memory kind the module's rules allow (for example frame memory in per-frame render "
                    "code), or move the allocation to the module that owns that kind of data."},
};

}  // namespace

std::span<const diagnostic_code> diagnostic_codes() noexcept { return codes_table; }

const diagnostic_code* find_diagnostic_code(std::string_view code) noexcept {
    auto it = std::lower_bound(codes_table.begin(), codes_table.end(), code,
                               [](const diagnostic_code& d, std::string_view c) { return d.code < c; });
    return it != codes_table.end() && it->code == code ? &*it : nullptr;
}

std::string explain(std::string_view code) {
    const diagnostic_code* d = find_diagnostic_code(code);
    if (d == nullptr) return std::string(code) + ": unknown framealloc diagnostic code";
    return std::string(d->code) + " " + std::string(d->title) + "\n" + std::string(d->explanation) + "\nhint: " +
           std::string(d->hint);
}

}  // namespace framealloc
