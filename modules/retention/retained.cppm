// retained<T>: the ticket frame_retained<T>() returns.
//
// During the frame it points to the value, which lives in the calling thread's frame memory (use it
// like any frame object, from any thread the frame's work hands it to). After end_frame_with_promotions()
// the frame value is gone (moved out and destroyed); the ticket then names the value in the
// promotion_result, where its owner claims a typed handle with it. A ticket is a small copyable value;
// retained_id is its untyped form, for keeping tickets of several types in one container (a claim by
// id checks the type at run time: FA105).
module;
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <typeinfo>
#include <utility>
export module framealloc.retention:retained;

import framealloc.arena;

export namespace framealloc {

// Never repeats within a set: (thread, sequence) is unique for the set's whole life, so a ticket of
// an earlier frame, or of a value a rewind released (whose memory a later value reuses), matches nothing.
struct retained_id {
    std::uint64_t set = 0;       // the retention_set (smart_alloc) it came from; 0: none
    std::uint64_t thread = 0;    // the retaining thread's list in that set (1, 2, ...)
    std::uint64_t sequence = 0;  // per list, counting from 1

    friend bool operator==(const retained_id&, const retained_id&) = default;
};

template <class T>
class retained {
public:
    retained() noexcept = default;
    retained(T* value, retained_id id) noexcept : value_(value), id_(id) {}

    // The frame value: valid until the frame ends (or a frame_scope around frame_retained() ends).
    [[nodiscard]] T* get() const noexcept { return value_; }
    [[nodiscard]] T& operator*() const noexcept { return *value_; }
    [[nodiscard]] T* operator->() const noexcept { return value_; }
    explicit operator bool() const noexcept { return value_ != nullptr; }

    [[nodiscard]] const retained_id& id() const noexcept { return id_; }
    operator retained_id() const noexcept { return id_; }  // NOLINT: a ticket is usable wherever an id is

private:
    T* value_ = nullptr;
    retained_id id_{};
};

namespace detail {

// How a retained value of an erased type is moved and destroyed.
struct retention_ops {
    const std::type_info* type;
    std::size_t size;
    std::size_t alignment;
    bool trivially_destructible;
    void (*move_construct)(void* to, void* from);                // may throw
    void (*destroy)(void* first, std::size_t count) noexcept;    // the destructor_node signature
};

template <class T>
void move_construct_value(void* to, void* from) {
    ::new (to) T(std::move(*static_cast<T*>(from)));
}
inline void destroy_trivial(void*, std::size_t) noexcept {}

template <class T>
inline constexpr retention_ops retention_ops_for{
    &typeid(T), sizeof(T), alignof(T), std::is_trivially_destructible_v<T>, &move_construct_value<T>,
    std::is_trivially_destructible_v<T> ? &destroy_trivial : &destroy_array<T>};

}  // namespace detail

}  // namespace framealloc
