// FA604: a `break` out of the frame loop leaves the frame open.
import framealloc;

bool quit_requested();

void run(framealloc::smart_alloc& alloc) {
    while (true) {
        alloc.begin_frame();
        if (quit_requested()) {
            break;  // expect: FA604
        }
        alloc.end_frame();
    }
}
