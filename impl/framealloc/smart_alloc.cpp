// smart_alloc frame lifecycle (cold: once per frame).
module;
#include <cstdint>
#include <memory_resource>
module framealloc;

import framealloc.core;
import framealloc.arena;
import framealloc.pool;
import framealloc.threading;

namespace framealloc {

smart_alloc::smart_alloc(alloc_config config)
    : config_(config),
      frames_(config.frame_options(), config.upstream != nullptr ? config.upstream : std::pmr::new_delete_resource()),
      heap_(std::pmr::new_delete_resource()),
      pools_([&] {
          pool_options o = config.pool_settings();
          o.heap = &heap_;
          return o;
      }()) {
    frames_.close();  // no frame is open until begin_frame(): frame allocation now is FA001
}

smart_alloc::~smart_alloc() = default;

void smart_alloc::begin_frame() {
    if (in_frame_) throw_frame_error(codes::frame_lifecycle, "begin_frame() called while a frame is already open");
    ++frame_number_;
    in_frame_ = true;
    frames_.open();
    frame_tasks_.open();
}

frame_resource_stats smart_alloc::end_frame() {
    if (!in_frame_) throw_frame_error(codes::frame_lifecycle, "end_frame() called without a matching begin_frame()");
    frame_tasks_.close();  // FA005 while a task of the frame runs: nothing released, the frame stays open
    in_frame_ = false;
    frame_resource_stats ended = frames_.end_frame();
    frames_.close();
    return ended;
}

}  // namespace framealloc
