// Tags: names that allocations are attributed to ("physics", "physics::broadphase").
//
// A tag is interned once into a process-wide table and named by a small dense tag_id afterwards, so
// attributing an allocation costs no hashing: the calling thread's current tag is a pointer to that
// tag's counters (framealloc.diagnostics:counters). Tags nest: a scoped_tag("broadphase") opened while
// "physics" is current makes "physics::broadphase", whose parent is "physics". Opening a tag hashes
// its name once per scope (a lookup of (parent, name) under a shared lock), never per allocation.
//
// Capacity: max_tags distinct tags per process (interning one more throws tag_error FA010; the
// table never shrinks). Thread safety: interning and name lookup from any thread; the current tag is
// per thread.
module;
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
export module framealloc.diagnostics:tags;

import framealloc.core;

export namespace framealloc {

using tag_id = std::uint32_t;
inline constexpr tag_id untagged = 0;  // the root: allocations made outside every tag scope
inline constexpr std::size_t max_tags = 4096;

namespace codes {
inline constexpr std::string_view tag_table_full = "FA010";
}

class tag_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The id of `path` ("a::b::c" is the child "c" of "a::b"; parents are interned too). An empty path or
// an empty component is rejected with tag_error. The same path always gives the same id.
[[nodiscard]] tag_id intern_tag(std::string_view path);
// The id of the child `name` of `parent` (name may itself contain "::").
[[nodiscard]] tag_id child_tag(tag_id parent, std::string_view name);
// The full path of a tag ("" for untagged); the parent (untagged for top-level tags and for untagged).
[[nodiscard]] std::string_view tag_path(tag_id id);
[[nodiscard]] tag_id tag_parent(tag_id id);
// Number of tags interned so far, untagged included (ids are 0 .. tag_count()-1).
[[nodiscard]] std::size_t tag_count() noexcept;
// True when `ancestor` is `id` or one of its ancestors (untagged is everyone's ancestor).
[[nodiscard]] bool tag_within(tag_id id, tag_id ancestor);

// The calling thread's current tag.
[[nodiscard]] tag_id current_tag() noexcept;

// While alive, the calling thread's allocations are attributed to the child `name` of the tag that was
// current when it opened (or to the absolute tag `id`). Scopes nest and must end in reverse order on
// the thread that opened them (they are neither copyable nor movable).
class scoped_tag {
public:
    explicit scoped_tag(std::string_view name);
    explicit scoped_tag(tag_id id);
    scoped_tag(const scoped_tag&) = delete;
    scoped_tag& operator=(const scoped_tag&) = delete;
    ~scoped_tag();

    [[nodiscard]] tag_id id() const noexcept { return id_; }

private:
    tag_id id_;
    tag_id previous_;
};

// Runs f() with the child tag `name` current on the calling thread; returns what f returns.
template <class F>
decltype(auto) with_tag(std::string_view name, F&& f) {
    scoped_tag scope(name);
    return static_cast<F&&>(f)();
}

}  // namespace framealloc
