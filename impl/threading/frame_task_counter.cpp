// frame_task_counter: the refusals (cold).
module;
#include <atomic>
#include <cstdint>
#include <string>
module framealloc.threading;

import framealloc.core;

namespace framealloc {

void frame_task_counter::refuse_enter() {
    state_.fetch_sub(1, std::memory_order_release);  // not counted after all
    throw frame_error(codes::frame_tasks_in_flight,
                      "a task of the frame started while no frame is open (after end_frame(), before begin_frame())");
}

void frame_task_counter::refuse_close(std::uint64_t in_flight) {
    state_.fetch_and(~closed_bit, std::memory_order_acq_rel);  // the frame stays open: its tasks may finish
    throw frame_error(codes::frame_tasks_in_flight,
                      "end_frame() called while " + std::to_string(in_flight) + " task(s) of the frame still run; "
                      "nothing was released and the frame is still open: wait for the tasks, then end_frame() again");
}

}  // namespace framealloc
