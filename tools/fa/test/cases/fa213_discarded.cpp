// FA213: the transfer_handle of frame_box_for_transfer thrown away: the value is destroyed at once.
#include <string>

import framealloc;

void publish(framealloc::smart_alloc& alloc, std::string path) {
    (void)alloc.frame_box_for_transfer(std::move(path));  // expect: FA213
    alloc.frame_box_for_transfer(42);  // expect: FA213
}
