// FA211: wait_all() on a barrier this thread never signalled (the runtime reports FA201).
import framealloc;

void coordinator(framealloc::frame_barrier& barrier) {
    barrier.wait_all();  // expect: FA211
}
