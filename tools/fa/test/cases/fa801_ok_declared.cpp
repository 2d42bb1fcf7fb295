// Near miss for FA801: declared tags, in full and as the last segment of a nested one.
import framealloc;

void step(framealloc::smart_alloc& alloc) {
    alloc.with_tag("physics", [&] {
        const auto inner = alloc.tag("broadphase");  // physics::broadphase
        (void)alloc.frame_alloc<int>(1);
    });
}
