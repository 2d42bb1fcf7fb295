// FA802: "render" belongs to src/render/**.
import framealloc;

void draw(framealloc::smart_alloc& alloc) {
    alloc.with_tag("render", [] {});  // expect: FA802
}
