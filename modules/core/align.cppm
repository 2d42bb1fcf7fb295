// Alignment and overflow-safe size arithmetic. Every size computation on a user-supplied value goes
// through these, so an overflow becomes std::bad_alloc instead of a short allocation.
module;
#include <cstddef>
#include <cstdint>
#include <cstddef>
export module framealloc.core:align;

export namespace framealloc {

// The largest request any resource can meet: no object is larger than PTRDIFF_MAX bytes. Larger
// sizes (SIZE_MAX and its neighbours) are refused with std::bad_alloc before an upstream sees them:
// libstdc++'s aligned operator new rounds a size within `alignment` of SIZE_MAX up past zero and
// returns a tiny block.
inline constexpr std::size_t max_request_bytes = static_cast<std::size_t>(PTRDIFF_MAX);

[[nodiscard]] inline constexpr bool is_power_of_two(std::size_t value) noexcept {
    return value != 0 && (value & (value - 1)) == 0;
}

// Rounds `value` up to a multiple of `alignment` (a power of two). The caller guarantees that the
// result does not wrap; use checked_align_up when `value` comes from a user.
[[nodiscard]] inline constexpr std::uintptr_t align_up(std::uintptr_t value, std::size_t alignment) noexcept {
    return (value + (alignment - 1)) & ~static_cast<std::uintptr_t>(alignment - 1);
}

[[nodiscard]] inline constexpr bool checked_add(std::size_t a, std::size_t b, std::size_t& out) noexcept {
    return !__builtin_add_overflow(a, b, &out);
}

[[nodiscard]] inline constexpr bool checked_mul(std::size_t a, std::size_t b, std::size_t& out) noexcept {
    return !__builtin_mul_overflow(a, b, &out);
}

[[nodiscard]] inline constexpr bool checked_align_up(std::size_t value, std::size_t alignment,
                                                     std::size_t& out) noexcept {
    std::size_t bumped = 0;
    if (!checked_add(value, alignment - 1, bumped)) return false;
    out = bumped & ~(alignment - 1);
    return true;
}

}  // namespace framealloc
