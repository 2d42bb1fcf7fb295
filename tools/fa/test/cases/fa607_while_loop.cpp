// FA607: scratch frame memory in a while loop driven by data, through an alias of the allocator.
import framealloc;

bool has_work();
void run(int* job);

void drain(framealloc::smart_alloc& allocator) {
    auto& alloc = allocator;
    while (has_work()) {
        auto* job = alloc.frame_alloc<int>(0);  // expect: FA607
        run(job);
    }
    do {
        alloc.frame_alloc<int>(1);  // expect: FA607
    } while (has_work());
}
