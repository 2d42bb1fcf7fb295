// FA605: a frame_scope that is a temporary releases its marker at the end of the statement.
import framealloc;

void per_agent(framealloc::smart_alloc& alloc, int agents) {
    for (int agent = 0; agent < agents; ++agent) {
        (void)alloc.frame_scope();  // expect: FA605
        (void)alloc.frame_alloc<int>(agent);  // expect: FA301
    }
}
