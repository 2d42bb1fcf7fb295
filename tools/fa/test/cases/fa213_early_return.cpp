// FA213: a return (and a throw) leave before the handle is handed on: that path drops the transfer.
#include <stdexcept>
#include <utility>

import framealloc;

bool cancelled();
void send(framealloc::transfer_handle<int> handle);

void produce(framealloc::smart_alloc& alloc, int value) {
    auto handle = alloc.frame_box_for_transfer(value);
    if (cancelled()) return;  // expect: FA213
    if (value < 0) throw std::invalid_argument("negative");  // expect: FA213
    send(std::move(handle));
}
