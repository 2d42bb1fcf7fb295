// FA601: frame memory inserted into a global container; followed through a string view, a structured
// binding and a frame_handle.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

import framealloc;

std::vector<std::string_view> g_names;
std::vector<void*> g_blocks;

void remember_name(framealloc::smart_alloc& alloc) {
    std::pmr::string name = alloc.frame_string("player-1");
    std::string_view view = name;
    g_names.push_back(view);  // expect: FA601
}

void remember_block(framealloc::smart_alloc& alloc) {
    framealloc::frame_handle frame = alloc.thread_frame();
    auto [block, size] = std::pair{frame.bytes(256), 256};
    g_blocks.push_back(block);  // expect: FA601
    (void)size;
}
