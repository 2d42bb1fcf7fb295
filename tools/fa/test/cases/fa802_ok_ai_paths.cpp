// Near miss for FA802: this file matches the paths of "ai::pathfinding"; "physics" may be used anywhere.
import framealloc;

void search(framealloc::smart_alloc& alloc) {
    alloc.with_tag("ai", [&] {
        alloc.with_tag("pathfinding", [] {});
    });
    alloc.with_tag("physics", [] {});
}
