// Death tests for the default error policy (abort): each mode makes one bad deallocate; ctest checks
// the FA code in the report. Run as: pool_misuse double_free | foreign | mismatch
#include <cstdio>
#include <cstring>

import framealloc;

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    framealloc::pool_resource pool;
    void* p = pool.allocate(64, 8);
    if (std::strcmp(argv[1], "double_free") == 0) {
        pool.deallocate(p, 64, 8);
        pool.deallocate(p, 64, 8);  // FA102 (FRAMEALLOC_DEBUG builds)
    } else if (std::strcmp(argv[1], "foreign") == 0) {
        framealloc::pool_resource other;
        other.deallocate(p, 64, 8);  // FA103
    } else if (std::strcmp(argv[1], "mismatch") == 0) {
        pool.deallocate(p, 256, 8);  // FA104
    } else {
        return 2;
    }
    std::puts("not caught");
    return 0;
}
