// The TBB scheduler of the threading_tests process, finalised at the end so that its worker threads have
// exited and its per-thread state is gone before LeakSanitizer looks. Without it, libtbb keeps an
// observer's proxy alive while a worker still refers to it as the last observer it notified (released
// only when that worker notifies again), which LSan reports at exit as a leak of
// tbb::detail::r1::observe() although every tbb_worker_binder stopped observing in its destructor.
#include <boost/test/unit_test.hpp>

#include <oneapi/tbb/global_control.h>

#include <new>

namespace {

struct tbb_scheduler {
    tbb_scheduler() : handle(tbb::attach{}) {}
    ~tbb_scheduler() {
        if (!tbb::finalize(handle, std::nothrow))
            BOOST_TEST_MESSAGE("tbb::finalize: some TBB worker threads were still busy at the end");
    }
    tbb::task_scheduler_handle handle;
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(tbb_scheduler);
