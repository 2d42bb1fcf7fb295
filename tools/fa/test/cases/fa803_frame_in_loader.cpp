// FA803: frame memory in a loader whose rules forbid it (its data outlives frames).
import framealloc;

int* load(framealloc::smart_alloc& alloc) {
    int* header = alloc.frame_alloc<int>(0);  // expect: FA803
    return header;
}
