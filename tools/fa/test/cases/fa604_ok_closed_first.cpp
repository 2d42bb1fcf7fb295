// Near miss for FA604: the early paths end the frame first; an inner loop's own continue / break.
import framealloc;

bool skip_frame(int frame);

void run(framealloc::smart_alloc& alloc, int frames) {
    for (int frame = 0; frame < frames; ++frame) {
        alloc.begin_frame();
        if (skip_frame(frame)) {
            alloc.end_frame();
            continue;
        }
        for (int i = 0; i < 4; ++i) {
            if (i == frame) continue;
            if (i > frame) break;
        }
        auto check = [&] { return frame > 2; };  // a return inside a lambda leaves only the lambda
        (void)check();
        alloc.end_frame();
    }
}
