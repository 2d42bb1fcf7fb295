// tagged_resource: attributes everything allocated through it to one tag, whatever the calling
// thread's current tag is.
//
//   framealloc::tagged_resource audio_heap(std::pmr::new_delete_resource(), "audio");
//   std::pmr::vector<float> samples(&audio_heap);   // counted as heap memory of "audio"
//
// Each allocate/deallocate runs with the tag current on the calling thread, so a framealloc resource
// underneath (frame_resource, frame_arena, pool_resource, heap_resource) counts the request under the
// tag and applies the tag's budgets. Any other upstream (new_delete, a monotonic buffer, a third-party
// allocator) is counted by the tagged_resource itself, as heap memory of the tag, with the tag's budgets
// applied before the upstream is asked. Thread-safe when the upstream is.
module;
#include <cstddef>
#include <memory_resource>
#include <string_view>
export module framealloc.pmr:tagged_resource;

import framealloc.core;
import framealloc.diagnostics;

export namespace framealloc {

class tagged_resource final : public accounted_resource {
public:
    tagged_resource(std::pmr::memory_resource* upstream, tag_id tag)
        : upstream_(upstream != nullptr ? upstream : std::pmr::new_delete_resource()),
          tag_(((void)tag_path(tag), tag)),
          counts_itself_(!duties_of(upstream_).counts) {}
    tagged_resource(std::pmr::memory_resource* upstream, std::string_view tag)
        : tagged_resource(upstream, intern_tag(tag)) {}

    [[nodiscard]] tag_id tag() const noexcept { return tag_; }
    [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return upstream_; }
    // True when the upstream does not count what it serves (it is not an accounted_resource), so this
    // resource counts it as heap itself.
    [[nodiscard]] bool counts_itself() const noexcept { return counts_itself_; }
    // Counted here or by the upstream; checked when the upstream checks.
    resource_duties duties() const noexcept override { return {.counts = true, .checks = duties_of(upstream_).checks}; }

private:

    // A bad alignment is FA101 here, whatever the upstream would make of it (a foreign one may not check).
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        if (!is_power_of_two(alignment)) [[unlikely]] throw_invalid_alignment(alignment);
        if (bytes > max_request_bytes) [[unlikely]] throw_bad_alloc();
        scoped_tag scope(tag_);
        if (!counts_itself_) return upstream_->allocate(bytes, alignment);
        return detail::charged_allocate(memory_kind::heap, bytes, [&] { return upstream_->allocate(bytes, alignment); });
    }
    // A bad alignment goes on to the upstream unchanged: a framealloc upstream reports it (FA101), and
    // this resource has no error policy of its own to report it with.
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        scoped_tag scope(tag_);
        if (counts_itself_) detail::diag_on_free(memory_kind::heap, bytes, p);
        upstream_->deallocate(p, bytes, alignment);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    std::pmr::memory_resource* upstream_;
    tag_id tag_;
    bool counts_itself_;
};

}  // namespace framealloc
