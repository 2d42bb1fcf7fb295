// FA604: a `continue` in the frame loop skips end_frame(); the next begin_frame() finds a frame open.
import framealloc;

bool skip_frame(int frame);

void run(framealloc::smart_alloc& alloc, int frames) {
    for (int frame = 0; frame < frames; ++frame) {
        alloc.begin_frame();
        if (skip_frame(frame)) continue;  // expect: FA604
        (void)alloc.frame_alloc<int>(frame);
        alloc.end_frame();
    }
}
