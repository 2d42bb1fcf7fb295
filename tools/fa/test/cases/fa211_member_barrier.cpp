// FA211: a member barrier waited on without a signal, and a timed wait.
#include <chrono>

import framealloc;

class frame_sync {
public:
    frame_sync() : barrier_(2) {}
    void finish() { barrier_.wait_all(); }  // expect: FA211
    bool finish_for() { return barrier_.wait_all_for(std::chrono::milliseconds(5)); }  // expect: FA211

private:
    framealloc::frame_barrier barrier_;
};
