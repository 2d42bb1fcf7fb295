// Near miss for FA605: another library's frame_scope temporary, and a suppressed one.
import framealloc;

namespace gfx {
struct frame_scope {
    ~frame_scope() {}
};
struct device {
    frame_scope frame_scope_now() { return {}; }
};
}  // namespace gfx

void submit(gfx::device& device, framealloc::smart_alloc& alloc) {
    (void)device.frame_scope_now();
    (void)alloc.frame_scope();  // fa: allow FA605 -- measures the cost of opening and closing a scope
}
