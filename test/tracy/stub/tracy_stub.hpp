// What the Tracy stub recorded (see tracy/TracyC.h beside this file).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tracy_stub {

struct event {
    char op;            // 'a' alloc, 'f' free, 'p' plot
    const void* p;      // alloc, free
    std::size_t size;   // alloc
    const char* name;   // the pool or plot name pointer as passed
    double value;       // plot
};

// Every event since the last call, in order; clears the record.
std::vector<event> take_events();

}  // namespace tracy_stub
