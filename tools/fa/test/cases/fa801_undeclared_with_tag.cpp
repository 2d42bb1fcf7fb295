// FA801: a misspelt tag is a new tag nobody budgets or reads.
import framealloc;

void step(framealloc::smart_alloc& alloc) {
    alloc.with_tag("phyiscs", [&] {  // expect: FA801
        (void)alloc.frame_alloc<int>(1);
    });
}
