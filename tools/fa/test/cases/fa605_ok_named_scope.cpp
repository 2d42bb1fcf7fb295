// Near miss for FA605: scopes and tags held in named variables, as intended.
import framealloc;

void per_agent(framealloc::smart_alloc& alloc, int agents) {
    const framealloc::scoped_tag tag = alloc.tag("ai");
    for (int agent = 0; agent < agents; ++agent) {
        auto scope = alloc.frame_scope();
        (void)alloc.frame_alloc<int>(agent);
    }
}
