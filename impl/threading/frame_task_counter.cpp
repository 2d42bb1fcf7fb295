// frame_task_counter: the refusals (cold).
module;
#include <atomic>
#include <cstdint>
#include <exception>
#include <string>
module framealloc.threading;

import framealloc.core;

namespace framealloc {

void frame_task_counter::refuse_enter() {
    // The exception exists before the count is given back, so that release covers it too: the thread
    // that sees it (through TBB's wait) after sync_with_finished_tasks() reads it race-free under TSan.
    std::exception_ptr refusal = std::make_exception_ptr(frame_error(
        codes::frame_tasks_in_flight, "a task of the frame started while no frame is open (after end_frame(), before begin_frame())"));
    state_.fetch_sub(1, std::memory_order_release);  // not counted after all
    std::rethrow_exception(refusal);
}

void frame_task_counter::refuse_close(std::uint64_t in_flight) {
    state_.fetch_and(~closed_bit, std::memory_order_acq_rel);  // the frame stays open: its tasks may finish
    throw frame_error(codes::frame_tasks_in_flight,
                      "end_frame() called while " + std::to_string(in_flight) + " task(s) of the frame still run; "
                      "nothing was released and the frame is still open: wait for the tasks, then end_frame() again");
}

}  // namespace framealloc
