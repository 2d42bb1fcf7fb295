// Near miss for FA802: a suppressed use of "render" and a look-alike tag API.
import framealloc;

namespace ui {
struct smart_alloc {
    void with_tag(const char*, void (*)()) {}
};
}  // namespace ui

void draw(framealloc::smart_alloc& alloc, ui::smart_alloc& other) {
    other.with_tag("render", [] {});
    alloc.with_tag("render", [] {});  // fa: allow FA802 -- debug overlay drawn from the tools layer
}
