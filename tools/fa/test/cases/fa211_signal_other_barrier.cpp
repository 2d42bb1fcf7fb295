// FA211: the signal went to another barrier.
import framealloc;

void step(framealloc::frame_barrier& physics, framealloc::frame_barrier& render) {
    (void)physics.signal_frame_complete();
    render.wait_all();  // expect: FA211
}
