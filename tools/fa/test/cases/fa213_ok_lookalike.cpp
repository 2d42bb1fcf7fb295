// Near miss for FA213: another library's frame_box_for_transfer, and a reviewed drop.
import framealloc;

namespace engine {
struct handle {};
struct smart_alloc {
    handle frame_box_for_transfer(int) { return {}; }
};
}  // namespace engine

void other(engine::smart_alloc& alloc) {
    (void)alloc.frame_box_for_transfer(1);
    auto h = alloc.frame_box_for_transfer(2);
    (void)h;
}

void reviewed(framealloc::smart_alloc& alloc) {
    (void)alloc.frame_box_for_transfer(3);  // fa: allow FA213 -- measures the drop counter on purpose
}
