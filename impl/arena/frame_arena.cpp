// Cold paths of frame_arena: chunk acquisition, own blocks, reset/trim, markers, sealing.
module;
#include <framealloc/poison.hpp>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <utility>
#include <cstdint>
#include <memory_resource>
#include <new>
module framealloc.arena;

import framealloc.core;
import framealloc.diagnostics;

namespace framealloc {

using detail::chunk;

namespace {
// No object can be larger than PTRDIFF_MAX bytes; refusing such a request here gives a clean
// std::bad_alloc instead of asking upstream for it (ASan's operator new aborts on such sizes).
constexpr std::size_t max_upstream_request = static_cast<std::size_t>(PTRDIFF_MAX);

// Throws std::bad_alloc when holding `size` more bytes would exceed `limit` or the largest request.
void check_growth(std::size_t size, std::size_t held, std::size_t limit) {
    if (size > max_upstream_request || size > limit || held > limit - size) throw_bad_alloc();
}
}  // namespace

frame_arena::frame_arena(frame_arena_options options, std::pmr::memory_resource* upstream)
    : next_chunk_size_(options.initial_chunk_size),
      upstream_(upstream != nullptr ? upstream : std::pmr::new_delete_resource()),
      options_(options) {
    if (options.initial_chunk_size < 2 * chunk::header_size)
        throw config_error("frame arena initial_chunk_size must be at least 128 bytes");
    if (options.growth_factor == 0) throw config_error("frame arena growth_factor must be at least 1");
    if (options.max_chunk_size < options.initial_chunk_size)
        throw config_error("frame arena max_chunk_size must be at least initial_chunk_size");
#if FRAMEALLOC_DEBUG_ENABLED
    sync_guards();
#endif
}

frame_arena::~frame_arena() {
    reset();
    while (chunk* c = chunks_.pop_front()) release_chunk(c);
}

// The fast path's limit: the end of the current chunk, lowered to where bytes_used() would pass the
// budget watch (never below the cursor), or 0 while sealed / without a chunk.
void frame_arena::refresh_limit() noexcept {
#if FRAMEALLOC_DEBUG_ENABLED
    if (guards_ != nullptr && guards_->active) {
        end_ = 0;  // guarded: every request takes allocate_slow -> allocate_guarded
        return;
    }
#endif
    if (sealed_ || current_ == nullptr) {
        end_ = 0;
        return;
    }
    std::uintptr_t end = reinterpret_cast<std::uintptr_t>(current_->payload_end());
    if (watch_ != no_watch) {
        const std::size_t before = used_in_previous_chunks_ + large_bytes_;
        const std::uintptr_t begin = reinterpret_cast<std::uintptr_t>(current_->payload());
        const std::uintptr_t at_watch = watch_ > before ? begin + std::min<std::size_t>(watch_ - before, end - begin) : begin;
        end = std::max(std::min(end, at_watch), cur_);
    }
    end_ = end;
}

void frame_arena::clear_cursor() noexcept {
    current_ = nullptr;
    cur_ = 1;
    end_ = 0;
}

void frame_arena::enter_chunk(chunk* c) noexcept {
    if (current_ != nullptr) used_in_previous_chunks_ += cur_ - reinterpret_cast<std::uintptr_t>(current_->payload());
    current_ = c;
    cur_ = reinterpret_cast<std::uintptr_t>(c->payload());
    refresh_limit();
}

// Moves to the first retained chunk after the current one whose payload can hold `needed` bytes.
// Chunks skipped on the way stay unused until the next reset (rare: only after growth).
bool frame_arena::advance_to_chunk(std::size_t needed) noexcept {
    chunk* c = current_ != nullptr ? current_->next : chunks_.front();
    for (; c != nullptr; c = c->next) {
        if (c->payload_size() >= needed) {
            enter_chunk(c);
            return true;
        }
    }
    return false;
}

void frame_arena::add_chunk(std::size_t needed) {
    std::size_t size = next_chunk_size_;
    std::size_t with_header = 0;
    if (!checked_add(needed, chunk::header_size, with_header)) throw_bad_alloc();
    size = std::max(size, with_header);
    check_growth(size, chunks_.bytes() + large_bytes_, options_.hard_limit);
    void* raw = upstream_->allocate(size, chunk::alignment);
    ++upstream_allocations_;
    detail::hook_chunk_acquired(raw, size, memory_kind::frame);
    chunk* c = ::new (raw) chunk{nullptr, size};
    FRAMEALLOC_POISON(c->payload(), c->payload_size());
    // Append after every retained chunk: advance_to_chunk() found none of them large enough, so the
    // ones after the current chunk are skipped for this frame either way.
    chunks_.push_back(c);
    enter_chunk(c);
    if (next_chunk_size_ < options_.max_chunk_size) {
        std::size_t grown = 0;
        if (!checked_mul(next_chunk_size_, options_.growth_factor, grown)) grown = options_.max_chunk_size;
        next_chunk_size_ = std::min(grown, options_.max_chunk_size);
    }
}

void* frame_arena::allocate_large(std::size_t bytes, std::size_t alignment) {
    const std::size_t block_alignment = std::max(alignment, alignof(detail::large_block));
    std::size_t offset = 0;
    std::size_t size = 0;
    if (!checked_align_up(sizeof(detail::large_block), block_alignment, offset) || !checked_add(offset, bytes, size))
        throw_bad_alloc();
    check_growth(size, chunks_.bytes() + large_bytes_, options_.hard_limit);
    void* raw = upstream_->allocate(size, block_alignment);
    ++upstream_allocations_;
    detail::hook_chunk_acquired(raw, size, memory_kind::frame);
    auto* block = ::new (raw) detail::large_block{large_, size, block_alignment, offset};
    large_ = block;
    ++large_count_;
    large_bytes_ += size;
    return static_cast<std::byte*>(raw) + offset;
}

void* frame_arena::allocate_slow(std::size_t bytes, std::size_t alignment) {
    return detail::charged_allocate(memory_kind::frame, bytes, [&] {
#if FRAMEALLOC_DEBUG_ENABLED
        if (guards_ != nullptr && guards_->active && !guards_->inside) return allocate_guarded(bytes, alignment);
#endif
        return allocate_region(bytes, alignment);
    });
}

void* frame_arena::allocate_region(std::size_t bytes, std::size_t alignment) {
    if (!is_power_of_two(alignment)) throw_invalid_alignment(alignment);
    if (sealed_)
        throw_frame_error(codes::allocation_outside_frame,
                          "frame allocation outside begin_frame()/end_frame() (the frame is closed)");
    // The request may fit the current chunk and only have met the budget watch: the check is exact here.
    if (current_ != nullptr && alignment <= max_fast_alignment) {
        const std::uintptr_t p = align_up(cur_, alignment);
        const auto chunk_end = reinterpret_cast<std::uintptr_t>(current_->payload_end());
        if (p <= chunk_end && bytes <= chunk_end - p) {
            const std::size_t used_after =
                used_in_previous_chunks_ + large_bytes_ + (p + bytes - reinterpret_cast<std::uintptr_t>(current_->payload()));
            if (used_after > watch_) watch_ = budget_->exceeded(used_after, bytes);  // may throw
            cur_ = p + bytes;
            refresh_limit();
            FRAMEALLOC_UNPOISON(reinterpret_cast<void*>(p), bytes);
            return reinterpret_cast<void*>(p);
        }
    }
    // Payload starts are 64-byte aligned, so a fresh chunk needs (alignment - 64) bytes of padding at most.
    std::size_t needed = bytes;
    if (alignment > chunk::alignment && !checked_add(bytes, alignment - chunk::alignment, needed)) throw_bad_alloc();
    if (watch_ != no_watch) {
        // A new chunk or an own block: counted without the padding the new place may need.
        std::size_t used_after = 0;
        if (!checked_add(bytes_used(), bytes, used_after)) throw_bad_alloc();
        if (used_after > watch_) watch_ = budget_->exceeded(used_after, bytes);
    }
    if (alignment > max_fast_alignment || needed > next_chunk_size_ - chunk::header_size) {
        void* p = allocate_large(bytes, alignment);
        refresh_limit();  // own blocks count towards the budget
        return p;
    }
    if (!advance_to_chunk(needed)) add_chunk(needed);
    const std::uintptr_t p = align_up(cur_, alignment);
    cur_ = p + bytes;
    refresh_limit();
    FRAMEALLOC_UNPOISON(reinterpret_cast<void*>(p), bytes);
    return reinterpret_cast<void*>(p);
}

void frame_arena::set_budget_watch(std::unique_ptr<budget_watch> watch) noexcept {
    budget_ = std::move(watch);
    watch_ = budget_ ? budget_->frame_start() : no_watch;
    refresh_limit();
}

void* frame_arena::try_allocate_slow(std::size_t bytes, std::size_t alignment) noexcept {
    try {
        return allocate_slow(bytes, alignment);
    } catch (...) {
        return nullptr;
    }
}

void frame_arena::free_large_blocks(std::size_t keep) noexcept {
    while (large_count_ > keep) {
        detail::large_block* block = large_;
        large_ = block->next;
        --large_count_;
        large_bytes_ -= block->size;
        const std::size_t size = block->size;
        const std::size_t alignment = block->alignment;
        detail::hook_chunk_released(block, size, memory_kind::frame);
        upstream_->deallocate(block, size, alignment);
        ++upstream_deallocations_;
    }
}

// Poisons [from, end of c) and every chunk after c up to the current one: the memory a rewind or a
// reset gives back. Chunks past the current one were poisoned when they were last released.
void frame_arena::poison_from([[maybe_unused]] chunk* c, [[maybe_unused]] std::uintptr_t from) noexcept {
#if FRAMEALLOC_DEBUG_ENABLED
    if (c == nullptr || current_ == nullptr) return;
    auto* start = reinterpret_cast<std::byte*>(from);
    for (;;) {
        const bool last = (c == current_);
        std::byte* stop = last ? reinterpret_cast<std::byte*>(cur_) : c->payload_end();
        if (stop > start) FRAMEALLOC_POISON(start, static_cast<std::size_t>(stop - start));
        if (last || c->next == nullptr) break;
        c = c->next;
        start = c->payload();
    }
#endif
}

void frame_arena::release_chunk(chunk* c) noexcept {
    FRAMEALLOC_RELEASE(c, c->size);
    detail::hook_chunk_released(c, c->size, memory_kind::frame);
    upstream_->deallocate(c, c->size, chunk::alignment);
    ++upstream_deallocations_;
}

void frame_arena::reset() noexcept {
    destructors_.unwind_to(0);
#if FRAMEALLOC_DEBUG_ENABLED
    if (guards_ != nullptr) guards_->check_and_forget(0, "end_frame()/reset()");
    sync_guards();  // takes effect through enter_chunk()/clear_cursor() below
#endif
    free_large_blocks(0);
    last_bytes_used_ = bytes_used();
    peak_bytes_used_ = std::max(peak_bytes_used_, last_bytes_used_);
    if (chunks_.front() != nullptr) poison_from(chunks_.front(), reinterpret_cast<std::uintptr_t>(chunks_.front()->payload()));
    // Trim: keep chunks, oldest first, while they fit in max_retained_bytes.
    if (chunks_.bytes() > options_.max_retained_bytes) {
        detail::chunk_list kept;
        while (chunk* c = chunks_.pop_front()) {
            if (kept.bytes() + c->size <= options_.max_retained_bytes) kept.push_back(c); else release_chunk(c);
        }
        chunks_.splice_back(kept);
    }
    current_ = nullptr;
    used_in_previous_chunks_ = 0;
    watch_ = budget_ ? budget_->frame_start() : no_watch;
    if (chunk* first = chunks_.front()) enter_chunk(first); else clear_cursor();
    ++epoch_;
    serial_ = 0;
    rewind_log_size_ = 0;
}

void frame_arena::release_chunks(detail::chunk_list& out) noexcept {
    reset();
    out.splice_back(chunks_);
    clear_cursor();
}

void frame_arena::adopt_chunks(detail::chunk_list& in) noexcept {
    detail::chunk_list skipped;
    while (chunk* c = in.pop_front()) {
        if (chunks_.bytes() + c->size <= options_.max_retained_bytes) chunks_.push_back(c); else skipped.push_back(c);
    }
    in.splice_back(skipped);
    if (current_ == nullptr && chunks_.front() != nullptr) enter_chunk(chunks_.front());
}

void frame_arena::seal() noexcept {
    sealed_ = true;
    refresh_limit();
}

void frame_arena::unseal() noexcept {
    sealed_ = false;
    refresh_limit();
}

std::size_t frame_arena::bytes_used() const noexcept {
    std::size_t used = used_in_previous_chunks_ + large_bytes_;
    if (current_ != nullptr) used += cur_ - reinterpret_cast<std::uintptr_t>(current_->payload());
    return used;
}

frame_arena_stats frame_arena::stats() const noexcept {
    frame_arena_stats s;
    s.bytes_used = bytes_used();
    s.peak_bytes_used = std::max(peak_bytes_used_, s.bytes_used);
    s.bytes_reserved = chunks_.bytes() + large_bytes_;
    s.chunk_count = chunks_.count();
    s.large_block_count = large_count_;
    s.upstream_allocations = upstream_allocations_;
    s.upstream_deallocations = upstream_deallocations_;
    s.last_frame_bytes_used = last_bytes_used_;
    if (budget_ != nullptr) s.budget = budget_->figures();
    return s;
}

frame_marker frame_arena::mark() noexcept {
    frame_marker m;
    m.owner = this;
    m.epoch = epoch_;
    m.serial = ++serial_;
    m.chunk = current_;
    m.cursor = cur_;
    m.used_before = used_in_previous_chunks_;
    m.destructors = destructors_.size();
    m.large_blocks = large_count_;
    return m;
}

bool frame_arena::marker_valid(const frame_marker& m) const noexcept {
    if (m.owner != this || m.epoch != epoch_ || m.serial == 0 || m.serial > serial_) return false;
    for (std::size_t i = rewind_log_size_; i > 0; --i) {
        const rewind_entry& e = rewind_log_[i - 1];
        if (e.time < m.serial) break;  // times grow upwards: older entries predate the marker
        if (e.target < m.serial) return false;
    }
    return true;
}

void frame_arena::note_rewind(std::uint64_t target) noexcept {
    while (rewind_log_size_ > 0 && rewind_log_[rewind_log_size_ - 1].target >= target) --rewind_log_size_;
    if (rewind_log_size_ == rewind_log_capacity) {
        // Merge the two oldest entries: invalidates (target0, time1], a superset of what they did.
        rewind_log_[1] = rewind_entry{rewind_log_[1].time, rewind_log_[0].target};
        for (std::size_t i = 1; i < rewind_log_size_; ++i) rewind_log_[i - 1] = rewind_log_[i];
        --rewind_log_size_;
    }
    rewind_log_[rewind_log_size_++] = rewind_entry{serial_, target};
}

bool frame_arena::try_rewind(const frame_marker& m) noexcept {
    if (!marker_valid(m)) return false;
    destructors_.unwind_to(m.destructors);
#if FRAMEALLOC_DEBUG_ENABLED
    if (guards_ != nullptr) guards_->check_and_forget(m.serial, "rewind()");
#endif
    free_large_blocks(m.large_blocks);
    if (m.chunk == nullptr) {
        // Marked before the first chunk existed: back to the start of the first chunk.
        if (chunks_.front() != nullptr) poison_from(chunks_.front(), reinterpret_cast<std::uintptr_t>(chunks_.front()->payload()));
        current_ = nullptr;
        used_in_previous_chunks_ = 0;
        if (chunks_.front() != nullptr) enter_chunk(chunks_.front()); else clear_cursor();
    } else {
        poison_from(m.chunk, m.cursor);
        current_ = m.chunk;
        used_in_previous_chunks_ = m.used_before;
        cur_ = m.cursor;
        refresh_limit();
    }
    note_rewind(m.serial);
    return true;
}

void frame_arena::rewind(const frame_marker& m) {
    if (!try_rewind(m))
        throw_frame_error(codes::invalid_marker,
                          "rewind to a marker of another arena, of an earlier frame, or one that an earlier "
                          "rewind already released");
}

}  // namespace framealloc
