// FA603: frame memory used after a call of a function of this file that ends the frame.
import framealloc;

void finish(framealloc::smart_alloc& alloc) { alloc.end_frame(); }
void step(framealloc::smart_alloc& alloc) {
    finish(alloc);
    alloc.begin_frame();
}

int frame(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    int* counter = alloc.frame_alloc<int>(1);
    step(alloc);
    return *counter;  // expect: FA603
}
