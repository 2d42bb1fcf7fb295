// Records the Tracy C API calls of the adapter under test (thread-safe: hooks fire on any thread).
#include "tracy_stub.hpp"

#include <tracy/TracyC.h>

#include <mutex>

namespace tracy_stub {
namespace {
std::mutex g_mutex;
std::vector<event>& recorded() {
    static std::vector<event> events;
    return events;
}
void record(const event& e) {
    const std::lock_guard lock(g_mutex);
    recorded().push_back(e);
}
}  // namespace

std::vector<event> take_events() {
    const std::lock_guard lock(g_mutex);
    std::vector<event> out;
    out.swap(recorded());
    return out;
}

}  // namespace tracy_stub

extern "C" {
void ___tracy_emit_memory_alloc_named(const void* ptr, size_t size, int, const char* name) {
    tracy_stub::record({'a', ptr, size, name, 0.0});
}
void ___tracy_emit_memory_free_named(const void* ptr, int, const char* name) {
    tracy_stub::record({'f', ptr, 0, name, 0.0});
}
void ___tracy_emit_plot(const char* name, double val) { tracy_stub::record({'p', nullptr, 0, name, val}); }
}
