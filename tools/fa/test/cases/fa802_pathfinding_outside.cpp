// FA802: the nested "ai::pathfinding" used (as "pathfinding") outside the paths given to it.
import framealloc;

void search(framealloc::smart_alloc& alloc) {
    alloc.with_tag("ai", [&] {
        alloc.with_tag("pathfinding", [] {});  // expect: FA802
    });
}
