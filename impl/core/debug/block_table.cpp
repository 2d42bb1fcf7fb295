// Block tables: the live blocks of a checked resource by address, with their allocation backtraces,
// and a bounded ring of recently freed ones; every table is listed so that a foreign pointer can be
// traced to the resource that did allocate it.
module;
#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>
module framealloc.core;

namespace framealloc::detail {

// ----- block tables -----

namespace {
constexpr std::size_t shard_count = 16;
constexpr std::size_t freed_ring_capacity = 256;

std::size_t shard_of(const void* p) noexcept {
    // Blocks are at least 8-aligned and often 64 KiB-slab relative: mix before taking bits.
    auto x = reinterpret_cast<std::uintptr_t>(p) >> 3;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(x >> 60) % shard_count;
}
}  // namespace

struct block_table::state {
    struct shard {
        mutable std::mutex mutex;
        std::unordered_map<const void*, block_record> live;
    };
    std::string owner;
    std::array<shard, shard_count> shards;
    mutable std::mutex freed_mutex;
    std::vector<block_record> freed;  // ring, freed_next is the oldest once full
    std::size_t freed_next = 0;
    std::atomic<std::size_t> lost{0};  // records dropped for want of memory
};

namespace {
// Every table, for describe_anywhere(). Never destroyed: tables may die in static destructors.
struct table_list {
    std::mutex mutex;
    std::vector<const block_table*> tables;
};
table_list& all_tables() {
    static table_list* list = new table_list;
    return *list;
}
}  // namespace

block_table::block_table(std::string owner) : state_(std::make_unique<state>()) {
    state_->owner = std::move(owner);
    table_list& list = all_tables();
    std::lock_guard lock(list.mutex);
    list.tables.push_back(this);
}

block_table::~block_table() {
    table_list& list = all_tables();
    std::lock_guard lock(list.mutex);
    std::erase(list.tables, this);
}

void block_table::insert(const void* p, std::size_t bytes, std::size_t alignment) noexcept {
    block_record r;
    r.address = p;
    r.bytes = bytes;
    r.alignment = alignment;
    capture_trace(r.allocated);
    state::shard& s = state_->shards[shard_of(p)];
    try {
        std::lock_guard lock(s.mutex);
        s.live.insert_or_assign(p, r);
    } catch (...) {
        state_->lost.fetch_add(1, std::memory_order_relaxed);
        // An earlier block at the same address may still be in the freed ring: the free of this one
        // would then look like a double free. Forget it (no allocation needed).
        std::lock_guard lock(state_->freed_mutex);
        for (block_record& old : state_->freed)
            if (old.address == p) old.address = nullptr;
    }
}

bool block_table::find_live(const void* p, block_record& out) const noexcept {
    const state::shard& s = state_->shards[shard_of(p)];
    std::lock_guard lock(s.mutex);
    auto it = s.live.find(p);
    if (it == s.live.end()) return false;
    out = it->second;
    return true;
}

bool block_table::remove(const void* p) noexcept {
    block_record r;
    {
        state::shard& s = state_->shards[shard_of(p)];
        std::lock_guard lock(s.mutex);
        auto it = s.live.find(p);
        if (it == s.live.end()) return false;
        r = it->second;
        s.live.erase(it);
    }
    capture_trace(r.freed);
    std::lock_guard lock(state_->freed_mutex);
    try {
        if (state_->freed.size() < freed_ring_capacity) {
            state_->freed.push_back(r);
        } else {
            state_->freed[state_->freed_next] = r;
            state_->freed_next = (state_->freed_next + 1) % freed_ring_capacity;
        }
    } catch (...) {
        // The ring only serves double-free reports: losing an entry loses a detail.
    }
    return true;
}

bool block_table::find_freed(const void* p, block_record& out) const noexcept {
    std::lock_guard lock(state_->freed_mutex);
    // Newest first: a block freed, reused and freed again reports its latest life.
    const std::size_t n = state_->freed.size();
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (state_->freed_next + n - 1 - k) % n;
        if (state_->freed[i].address == p) {
            out = state_->freed[i];
            return true;
        }
    }
    return false;
}

std::size_t block_table::live_count() const noexcept {
    std::size_t n = 0;
    for (const state::shard& s : state_->shards) {
        std::lock_guard lock(s.mutex);
        n += s.live.size();
    }
    return n;
}

std::size_t block_table::lost_count() const noexcept { return state_->lost.load(std::memory_order_relaxed); }

const std::string& block_table::owner() const noexcept { return state_->owner; }

void block_table::clear() noexcept {
    for (state::shard& s : state_->shards) {
        std::lock_guard lock(s.mutex);
        s.live.clear();
    }
    std::lock_guard lock(state_->freed_mutex);
    state_->freed.clear();
    state_->freed_next = 0;
}

std::string describe_block(const block_record& r) {
    char head[160];
    if (r.alignment != 0)
        std::snprintf(head, sizeof head, "  block %p (%zu bytes, alignment %zu) allocated at:\n", r.address, r.bytes,
                      r.alignment);
    else
        std::snprintf(head, sizeof head, "  block %p (%zu bytes) allocated at:\n", r.address, r.bytes);
    return head + format_trace(r.allocated);
}

std::size_t block_table::report_leaks() const {
    std::vector<block_record> leaked;
    for (const state::shard& s : state_->shards) {
        std::lock_guard lock(s.mutex);
        for (const auto& [p, r] : s.live) leaked.push_back(r);
    }
    if (leaked.empty()) return 0;
    // Oldest allocation first is not known; address order makes the report stable.
    std::sort(leaked.begin(), leaked.end(), [](const block_record& a, const block_record& b) {
        return std::less<const void*>()(a.address, b.address);
    });
    std::size_t bytes = 0;
    for (const block_record& r : leaked) bytes += r.bytes;
    std::string text = state_->owner + " destroyed with " + std::to_string(leaked.size()) + " live block" +
                       (leaked.size() == 1 ? "" : "s") + " (" + std::to_string(bytes) + " bytes) never deallocated:";
    const std::size_t limit = debug::report_limit();
    for (std::size_t i = 0; i < leaked.size() && i < limit; ++i) text += "\n" + describe_block(leaked[i]);
    if (leaked.size() > limit) text += "\n  ... and " + std::to_string(leaked.size() - limit) + " more";
    if (const std::size_t lost = state_->lost.load(std::memory_order_relaxed); lost != 0)
        text += "\n  (" + std::to_string(lost) + " blocks were not recorded: out of memory)";
    report(codes::leaked_blocks, std::move(text), report_action::resume, false);
    return leaked.size();
}

std::string describe_anywhere(const void* p, const block_table* except) {
    table_list& list = all_tables();
    std::lock_guard lock(list.mutex);
    block_record r;
    for (const block_table* t : list.tables) {
        if (t == except) continue;
        if (t->find_live(p, r)) return "  it is a live block of " + t->owner() + ":\n" + describe_block(r);
    }
    for (const block_table* t : list.tables) {
        if (t == except) continue;
        if (t->find_freed(p, r))
            return "  it is a block of " + t->owner() + ", already freed:\n" + describe_block(r) + "\n  freed at:\n" +
                   format_trace(r.freed);
    }
    // Inside a block (an interior pointer)?
    for (const block_table* t : list.tables) {
        for (const block_table::state::shard& s : t->state_->shards) {
            std::lock_guard shard_lock(s.mutex);
            for (const auto& [q, rec] : s.live) {
                const auto* begin = static_cast<const std::byte*>(q);
                const auto* at = static_cast<const std::byte*>(p);
                if (std::less_equal<const std::byte*>()(begin, at) && std::less<const std::byte*>()(at, begin + rec.bytes))
                    return "  it points " + std::to_string(at - begin) + " bytes into a live block of " + t->owner() +
                           ":\n" + describe_block(rec);
            }
        }
    }
    return {};
}
}  // namespace framealloc::detail
