// Near miss for FA603: the pointer is given new frame memory before its next use; an end_frame() on a
// path that returns before the use.
import framealloc;

int renewed(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    int* value = alloc.frame_alloc<int>(1);
    alloc.end_frame();
    alloc.begin_frame();
    value = alloc.frame_alloc<int>(2);
    const int result = *value;
    alloc.end_frame();
    return result;
}

int early_exit(framealloc::smart_alloc& alloc, bool quit) {
    alloc.begin_frame();
    int* value = alloc.frame_alloc<int>(3);
    if (quit) {
        alloc.end_frame();
        return 0;
    }
    const int result = *value;
    alloc.end_frame();
    return result;
}
