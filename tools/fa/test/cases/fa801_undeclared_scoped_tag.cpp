// FA801: a scoped_tag with a tag the architecture does not declare.
import framealloc;

void mix(framealloc::smart_alloc& alloc) {
    const framealloc::scoped_tag audio{"audio"};  // expect: FA801
    (void)alloc.frame_alloc<float>(0.5f);
}
