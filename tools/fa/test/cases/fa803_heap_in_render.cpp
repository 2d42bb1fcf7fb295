// FA803: heap memory in a path whose rules forbid it (a render module: frame memory only).
import framealloc;

struct draw_list {
    int count = 0;
};

void build(framealloc::smart_alloc& alloc) {
    auto list = alloc.heap_alloc<draw_list>();  // expect: FA803
    draw_list* scratch = new draw_list{};  // expect: FA803
    delete scratch;
    (void)alloc.frame_alloc<draw_list>();
}
