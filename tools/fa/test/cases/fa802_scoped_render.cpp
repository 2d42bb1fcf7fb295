// FA802: a scoped_tag of "render" outside its paths.
import framealloc;

void prepare(framealloc::smart_alloc& alloc) {
    const framealloc::scoped_tag tag("render");  // expect: FA802
    (void)alloc.frame_alloc<int>(0);
}
