// FA606: a function that runs the frame (begin_frame / end_frame) hands its frame memory to the caller,
// which does not own that frame.
import framealloc;

bool failed(int v);

int* first_result(framealloc::smart_alloc& alloc, int v) {
    alloc.begin_frame();
    auto* result = alloc.frame_alloc<int>(v);
    if (failed(*result)) return result;  // expect: FA606
    alloc.end_frame();
    return nullptr;
}

float* open_frame_row(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    auto row = alloc.frame_array<float>(4);
    return row.data();  // expect: FA606
}
