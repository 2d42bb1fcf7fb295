// Named scratch arenas: bump memory that lives across frames until its owner says otherwise.
//
// What:        a scratch_arena is a frame_arena with a name that end_frame() never touches: what is
//              made in it (directly, or by promote_to_scratch) stays until the owner calls reset(),
//              which runs the destructors owed (newest first) and rewinds. Typical owners: a system
//              that builds a result over several frames (a path, a streamed level chunk) and drops it
//              all at once. smart_alloc::scratch(name) creates the arena on first use; it lives until the
//              smart_alloc dies.
// Complexity:  as frame_arena: O(1) allocation, reset() O(chunks + destructors); chunks are kept.
// Threads:     scratch_registry::get / find are thread-safe (one mutex; a lookup is a map search). A
//              scratch_arena itself has one user at a time: its owner, and during
//              end_frame_with_promotions() the frame owner, which moves this frame's promote_to_scratch
//              values into it. Hand the arena over at the frame boundary like frame memory.
// Errors:      as frame_arena (std::bad_alloc, invalid_alignment FA101). Chunk requests to the upstream
//              are serialised, so any upstream works, thread-safe or not.
// Handles:     scratch_ptr<T> points to a value in a scratch arena. It does not own it (the arena does)
//              and is dangling after the arena's reset(); valid() tells (read it on the owner's thread).
module;
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
export module framealloc.arena:scratch_arena;

import framealloc.core;
import :frame_arena;
import :frame_objects;

export namespace framealloc {

class scratch_arena final : public std::pmr::memory_resource {
public:
    scratch_arena(std::string name, const frame_arena_options& options, std::pmr::memory_resource* upstream);
    scratch_arena(const scratch_arena&) = delete;
    scratch_arena& operator=(const scratch_arena&) = delete;

    [[nodiscard]] std::string_view name() const noexcept { return name_; }

    // A T constructed in the arena; ~T runs at reset() when T is not trivially destructible.
    template <class T, class... Args>
    [[nodiscard]] T* make(Args&&... args) {
        return construct_in<T>(arena_, std::forward<Args>(args)...);
    }
    // n value-initialised Ts.
    template <class T>
    [[nodiscard]] std::span<T> make_array(std::size_t n) {
        return construct_array_in<T>(arena_, n);
    }
    [[nodiscard]] void* bytes(std::size_t size, std::size_t alignment = alignof(std::max_align_t)) {
        return arena_.allocate_checked(size, alignment);
    }

    // Destroys everything made or promoted into the arena (newest first) and rewinds it. Every
    // scratch_ptr into it becomes invalid. Only the owner calls this.
    void reset() noexcept { arena_.reset(); }
    // Counts resets: a scratch_ptr remembers the epoch it was made in.
    [[nodiscard]] std::uint64_t epoch() const noexcept { return arena_.epoch(); }
    [[nodiscard]] frame_arena_stats stats() const noexcept { return arena_.stats(); }
    // The arena underneath, for markers, frame_scope and frame_allocator. A rewind releases what was
    // made after the marker, promoted values included.
    [[nodiscard]] frame_arena& arena() noexcept { return arena_; }

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override { return arena_.allocate_checked(bytes, alignment); }
    void do_deallocate(void*, std::size_t, std::size_t) override {}
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    std::string name_;
    frame_arena arena_;
};

// A value in a scratch arena (see the header comment): not owning, invalid after the arena's reset().
template <class T>
class scratch_ptr {
public:
    scratch_ptr() noexcept = default;
    scratch_ptr(T* object, const scratch_arena& arena) noexcept : object_(object), arena_(&arena), epoch_(arena.epoch()) {}

    [[nodiscard]] T* get() const noexcept { return object_; }
    [[nodiscard]] T& operator*() const noexcept { return *object_; }
    [[nodiscard]] T* operator->() const noexcept { return object_; }
    explicit operator bool() const noexcept { return object_ != nullptr; }
    // True while the arena has not been reset since the value was put there.
    [[nodiscard]] bool valid() const noexcept { return object_ != nullptr && arena_->epoch() == epoch_; }
    [[nodiscard]] const scratch_arena* arena() const noexcept { return arena_; }

private:
    T* object_ = nullptr;
    const scratch_arena* arena_ = nullptr;
    std::uint64_t epoch_ = 0;
};

namespace detail {
// Serialises the chunk requests of every scratch arena of a registry onto one upstream.
class serialised_upstream final : public std::pmr::memory_resource {
public:
    explicit serialised_upstream(std::pmr::memory_resource* upstream) noexcept : upstream_(upstream) {}

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override;
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    std::mutex mutex_;
    std::pmr::memory_resource* upstream_;
};
}  // namespace detail

// The scratch arenas of one smart_alloc, by name. Arenas are created on first use with the registry's
// options and never move or die before the registry (references stay valid).
class scratch_registry {
public:
    explicit scratch_registry(const frame_arena_options& options,
                              std::pmr::memory_resource* upstream = std::pmr::new_delete_resource());
    scratch_registry(const scratch_registry&) = delete;
    scratch_registry& operator=(const scratch_registry&) = delete;
    ~scratch_registry();

    // The arena called `name`, created now if there is none. Thread-safe.
    [[nodiscard]] scratch_arena& get(std::string_view name);
    // The arena called `name`, or null. Thread-safe.
    [[nodiscard]] scratch_arena* find(std::string_view name) const;
    [[nodiscard]] std::vector<std::string> names() const;

private:
    frame_arena_options options_;
    detail::serialised_upstream upstream_;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<scratch_arena>, std::less<>> arenas_;
};

}  // namespace framealloc
