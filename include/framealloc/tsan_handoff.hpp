// Happens-before edges that the TBB scheduler provides but ThreadSanitizer cannot see. Internal to
// framealloc; include it in a global module fragment only.
//
// libtbb.so is not instrumented (and the tsan preset leaves TBB's headers uninstrumented too, see
// cmake/tsan_ignorelist.txt), so when TBB hands an object of ours from one thread to another (a task it
// spawned, an observer it registered), TSan sees our writes on one thread and our reads on the other
// with nothing in between. These annotations state that edge at the object's address: release after
// the last write of one phase, acquire before the first read of the next. They compile to nothing
// outside TSan builds. They only ever describe an ordering TBB guarantees; our own orderings are
// ordinary atomics (frame_task_counter).
#pragma once

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FRAMEALLOC_TSAN_HANDOFF 1
#endif
#endif
#if !defined(FRAMEALLOC_TSAN_HANDOFF) && defined(__SANITIZE_THREAD__)
#define FRAMEALLOC_TSAN_HANDOFF 1
#endif

#if defined(FRAMEALLOC_TSAN_HANDOFF)
#include <sanitizer/tsan_interface.h>
#endif

namespace framealloc::detail {

inline void handoff_release([[maybe_unused]] const void* at) noexcept {
#if defined(FRAMEALLOC_TSAN_HANDOFF)
    __tsan_release(const_cast<void*>(at));
#endif
}

inline void handoff_acquire([[maybe_unused]] const void* at) noexcept {
#if defined(FRAMEALLOC_TSAN_HANDOFF)
    __tsan_acquire(const_cast<void*>(at));
#endif
}

}  // namespace framealloc::detail
