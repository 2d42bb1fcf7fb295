// Size literals: 64_KiB, 16_MiB, 1_GiB. Overflow is a compile error in constant evaluation.
module;
#include <cstddef>
export module framealloc.core:literals;

export namespace framealloc {

inline constexpr std::size_t kibibytes(std::size_t n) noexcept { return n * 1024u; }
inline constexpr std::size_t mebibytes(std::size_t n) noexcept { return n * 1024u * 1024u; }
inline constexpr std::size_t gibibytes(std::size_t n) noexcept { return n * 1024u * 1024u * 1024u; }

inline namespace literals {
consteval std::size_t operator""_KiB(unsigned long long n) { return kibibytes(static_cast<std::size_t>(n)); }
consteval std::size_t operator""_MiB(unsigned long long n) { return mebibytes(static_cast<std::size_t>(n)); }
consteval std::size_t operator""_GiB(unsigned long long n) { return gibibytes(static_cast<std::size_t>(n)); }
}  // namespace literals

}  // namespace framealloc
