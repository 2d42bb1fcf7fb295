// Death tests for checking_resource's abort policies: each mode makes one mistake; ctest checks that
// the process dies with the FA code on stderr (leak_report: exits 0 with the report on stderr).
// Run as: checking_misuse double_free | foreign | size | alignment | bad_block | leak_abort | leak_report
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory_resource>
#include <string_view>

import framealloc;

namespace {
// Leaked blocks come from here, so that LeakSanitizer has nothing to say about the deliberate leaks.
alignas(64) std::byte arena[4096];

class misaligning_resource final : public std::pmr::memory_resource {
    void* do_allocate(std::size_t, std::size_t) override { return arena + 1; }
    void do_deallocate(void*, std::size_t, std::size_t) override {}
    bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }
};
}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    const std::string_view mode = argv[1];
    std::pmr::monotonic_buffer_resource mono(arena, sizeof arena, std::pmr::null_memory_resource());
    framealloc::checking_options options;  // abort_process, leak_policy::report
    if (mode == "leak_abort") options.on_leak = framealloc::leak_policy::abort_process;
    if (mode == "bad_block") {
        misaligning_resource bad;
        framealloc::checking_resource r(&bad, options);
        (void)r.allocate(16, 16);  // FA109
        std::puts("not caught");
        return 0;
    }
    framealloc::checking_resource r(&mono, options);
    void* p = r.allocate(64, 16);
    int local = 0;
    if (mode == "double_free") {
        r.deallocate(p, 64, 16);
        r.deallocate(p, 64, 16);  // FA102
    } else if (mode == "foreign") {
        r.deallocate(&local, sizeof local, alignof(int));  // FA103
    } else if (mode == "size") {
        r.deallocate(p, 32, 16);  // FA104
    } else if (mode == "alignment") {
        r.deallocate(p, 64, 8);  // FA108
    } else if (mode == "leak_abort" || mode == "leak_report") {
        (void)r.allocate(100, 8);
        return 0;  // r dies with two live blocks: FA107
    } else {
        return 2;
    }
    std::puts("not caught");
    return 0;
}
