// FA605: a frame_scope built in place and dropped, through a frame_handle's arena.
import framealloc;

void scratch(framealloc::smart_alloc& alloc) {
    framealloc::frame_handle frame = alloc.thread_frame();
    static_cast<void>(framealloc::frame_scope(frame.arena()));  // expect: FA605
    (void)frame.alloc<int>(1);
}
