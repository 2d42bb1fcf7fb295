// FA213: a transfer_handle that is only inspected: never received, never handed on.
#include <string>

import framealloc;

bool queue_result(framealloc::smart_alloc& alloc, int value) {
    auto handle = alloc.frame_box_for_transfer(std::to_string(value));  // expect: FA213
    return handle.pending();
}
