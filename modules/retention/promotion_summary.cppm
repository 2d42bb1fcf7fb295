// What end_frame_with_promotions() did with the frame's retained values, and the lifetime totals of a
// smart_alloc's retention. Bytes are the values' own sizes (sizeof(T)), not the frame memory they took.
module;
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
export module framealloc.retention:promotion_summary;

export namespace framealloc {

struct promotion_totals {
    std::size_t count = 0;
    std::size_t bytes = 0;

    void add(std::size_t value_bytes) noexcept {
        ++count;
        bytes += value_bytes;
    }
    void add(const promotion_totals& other) noexcept {
        count += other.count;
        bytes += other.bytes;
    }
    friend bool operator==(const promotion_totals&, const promotion_totals&) = default;
};

// Why a promotion failed. Either way the frame value is destroyed and nothing leaks.
enum class promotion_failure : std::uint8_t {
    allocation_failed,  // the destination could not provide memory (std::bad_alloc, a budget, a hard limit)
    move_threw,         // the move (or copy) constructor threw; the destination memory went back
};
inline constexpr std::size_t promotion_failure_count = 2;

// The fate of one retained value, as promotion_result::status() reports it.
enum class promotion_status : std::uint8_t {
    promoted,           // in its destination, claimable
    discarded,          // retention::discard: destroyed at the end of the frame
    allocation_failed,  // see promotion_failure
    move_threw,
};

struct tag_promotion_summary {
    std::string tag;  // "untagged" for values retained outside every tag
    promotion_totals promoted;
    promotion_totals discarded;
    promotion_totals failed;
};

struct promotion_summary {
    promotion_totals promoted;    // every destination
    promotion_totals to_pool;
    promotion_totals to_heap;
    promotion_totals to_scratch;
    promotion_totals discarded;   // retention::discard
    promotion_totals dropped;     // released before the frame ended, unpromoted: a frame_scope or a
                                  // rewind of the arena they were made in
    std::array<promotion_totals, promotion_failure_count> failed{};  // by reason
    std::vector<tag_promotion_summary> by_tag;                       // sorted by tag

    [[nodiscard]] const promotion_totals& failed_by(promotion_failure reason) const noexcept {
        return failed[static_cast<std::size_t>(reason)];
    }
    [[nodiscard]] promotion_totals failures() const noexcept {
        promotion_totals all;
        for (const promotion_totals& f : failed) all.add(f);
        return all;
    }
    // The entry of `tag`, or null when nothing was retained under it this frame.
    [[nodiscard]] const tag_promotion_summary* find_tag(std::string_view tag) const noexcept {
        auto it = std::lower_bound(by_tag.begin(), by_tag.end(), tag,
                                   [](const tag_promotion_summary& t, std::string_view name) { return t.tag < name; });
        return it != by_tag.end() && it->tag == tag ? &*it : nullptr;
    }
};

// Lifetime totals of one smart_alloc (one retention_set), updated at each end of frame.
struct retention_stats {
    promotion_totals retained;   // frame_retained() calls that succeeded
    promotion_totals promoted;
    promotion_totals discarded;  // retention::discard
    promotion_totals failed;     // promotions that failed, any reason
    promotion_totals dropped;    // destroyed unpromoted because their frame memory went away first: a
                                 // frame_scope / rewind, or a plain end_frame() (which promotes nothing)
};

}  // namespace framealloc
