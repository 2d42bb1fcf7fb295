// FA605: a scoped_tag temporary: the tag is closed before anything is allocated under it.
import framealloc;

void physics(framealloc::smart_alloc& alloc) {
    (void)alloc.tag("physics");  // expect: FA605
    framealloc::scoped_tag("physics::broadphase");  // expect: FA605
    (void)alloc.frame_alloc<int>(1);
}
