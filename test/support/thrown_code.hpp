// The FA code of the framealloc::memory_error a call throws, for tests of reported misuse. Include it
// after `import framealloc;`.
#pragma once

#include <string>

namespace framealloc_test {

// The code of the memory_error thrown by f, or "" when it throws none.
template <class F>
std::string thrown_code(F&& f) {
    try {
        f();
    } catch (const framealloc::memory_error& e) {
        return std::string(e.code());
    }
    return "";
}

}  // namespace framealloc_test
