// Near miss for FA211: signal then wait, arrive_and_wait, wait on the returned generation.
import framealloc;

void worker(framealloc::frame_barrier& barrier) {
    (void)barrier.signal_frame_complete();
    barrier.wait_all();
    barrier.arrive_and_wait();
    const auto g = barrier.signal_frame_complete();
    barrier.wait_all(g);
}
