// accounted_resource: a memory resource that says what it does for the memory it serves, so that a
// resource stacked on it neither counts that memory twice nor checks it twice. framealloc's resources
// derive from it; any other std::pmr::memory_resource does none of this (duties_of gives {}).
//
//   tagged_resource over pool_resource  -> the pool counts (under the tag); the wrapper only sets the tag
//   tagged_resource over new_delete     -> the wrapper counts the memory as heap itself
//   pool_resource with a heap_resource fallback -> the heap counts and (debug) checks its blocks
module;
#include <memory_resource>
export module framealloc.diagnostics:accounted_resource;

export namespace framealloc {

struct resource_duties {
    bool counts = false;  // charges budgets and counts per-tag statistics for what it serves
    bool checks = false;  // FRAMEALLOC_DEBUG: records, guards and checks at free time what it serves
};

class accounted_resource : public std::pmr::memory_resource {
public:
    [[nodiscard]] virtual resource_duties duties() const noexcept = 0;
};

// The duties `r` declares; none for a resource that is not an accounted_resource (or null).
[[nodiscard]] inline resource_duties duties_of(const std::pmr::memory_resource* r) noexcept {
    const auto* accounted = dynamic_cast<const accounted_resource*>(r);
    return accounted != nullptr ? accounted->duties() : resource_duties{};
}

}  // namespace framealloc
