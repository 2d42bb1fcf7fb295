// FA603: frame memory used after end_frame() released it.
import framealloc;

int late_read(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    int* counter = alloc.frame_alloc<int>(1);
    alloc.end_frame();
    return *counter;  // expect: FA603
}

void late_write(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    auto* alias = alloc.frame_alloc<double>(2.0);
    double* same = alias;
    (void)alloc.end_frame_with_promotions();
    *same = 3.0;  // expect: FA603
}
