// FA801: framealloc::with_tag and smart_alloc::tag with undeclared tags.
import framealloc;

void net(framealloc::smart_alloc& alloc) {
    framealloc::with_tag("network", [] {});  // expect: FA801
    const auto ui = alloc.tag("ui");  // expect: FA801
}
