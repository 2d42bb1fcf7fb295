// checking_resource: the bookkeeping behind every check, the reports and the policies.
module;
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory_resource>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>
module framealloc.pmr;

import framealloc.core;

namespace framealloc {

namespace {

// The upstream's block and its address. libstdc++ declares memory_resource::allocate() with
// __attribute__((alloc_align)): the optimiser may assume, and UBSan checks, the very alignment that
// do_allocate() verifies. So the call is out of line with UBSan's alignment check off (ours reports it
// as FA109 instead), and the address goes through an empty asm that the assumption cannot cross.
[[gnu::noinline, clang::no_sanitize("alignment")]] void* upstream_allocate(std::pmr::memory_resource* r,
                                                                           std::size_t bytes, std::size_t alignment,
                                                                           std::uintptr_t& address) {
    void* p = r->allocate(bytes, alignment);
    address = reinterpret_cast<std::uintptr_t>(p);
    asm volatile("" : "+r"(address));
    return p;
}

std::string call_text(const char* what, const void* p, std::size_t bytes, std::size_t alignment) {
    char text[128];
    std::snprintf(text, sizeof text, "%s(%p, %zu, %zu)", what, p, bytes, alignment);
    return text;
}

std::string block_text(const checked_block& b) {
    std::ostringstream out;
    out << "block #" << b.serial << " (" << b.pointer << ", " << b.bytes << " bytes, alignment " << b.alignment
        << ", thread " << b.thread << ")";
    return out.str();
}

}  // namespace

std::string leak_report::to_string(std::string_view name, std::size_t max_blocks) const {
    std::ostringstream out;
    out << codes::leak << ": " << name << ": " << blocks.size() << (blocks.size() == 1 ? " block (" : " blocks (")
        << bytes << " bytes) still allocated:";
    const std::size_t shown = std::min(max_blocks, blocks.size());
    for (std::size_t i = 0; i < shown; ++i) out << "\n  " << block_text(blocks[i]);
    if (shown < blocks.size()) out << "\n  ... and " << (blocks.size() - shown) << " more";
    return out.str();
}

checking_resource::checking_resource(std::pmr::memory_resource* upstream, checking_options options)
    : upstream_(upstream != nullptr ? upstream : std::pmr::new_delete_resource()), options_(std::move(options)) {}

checking_resource::~checking_resource() {
    if (options_.on_leak == leak_policy::ignore) return;
    const leak_report report = leaks();
    if (report.empty()) return;
    std::fprintf(stderr, "framealloc %s\n", report.to_string(options_.name).c_str());
    if (options_.on_leak == leak_policy::abort_process) std::abort();
}

void checking_resource::fail_locked(std::string_view code, std::string message, const void* p, std::size_t bytes,
                                    std::size_t alignment) {
    ++stats_.errors;
    message = options_.name + ": " + message;
    switch (options_.on_error) {
        case checking_error_policy::abort_process:
            std::fprintf(stderr, "framealloc %.*s: %s\n", static_cast<int>(code.size()), code.data(), message.c_str());
            std::abort();
        case checking_error_policy::throw_exception:
            throw memory_error(code, message);
        case checking_error_policy::record:
            errors_.push_back(checking_error{code, std::move(message), p, bytes, alignment});
            return;
    }
}

void checking_resource::remember_freed_locked(const checked_block& b) {
    if (options_.freed_history == 0) return;
    const auto addr = reinterpret_cast<std::uintptr_t>(b.pointer);
    freed_[addr] = b;
    freed_order_.emplace_back(addr, b.serial);
    while (freed_order_.size() > options_.freed_history) {
        const auto [old, serial] = freed_order_.front();
        freed_order_.pop_front();
        // The address may have been freed again since: only the entry of this free goes.
        if (auto it = freed_.find(old); it != freed_.end() && it->second.serial == serial) freed_.erase(it);
    }
}

void* checking_resource::do_allocate(std::size_t bytes, std::size_t alignment) {
    if (!is_power_of_two(alignment)) throw_invalid_alignment(alignment);
    if (bytes > max_request_bytes) throw_bad_alloc();
    std::lock_guard lock(mutex_);
    std::uintptr_t addr = 0;
    void* p = upstream_allocate(upstream_, bytes, alignment, addr);  // bad_alloc: nothing recorded
    const checked_block block{p, bytes, alignment, ++serial_, std::this_thread::get_id()};

    if (addr % alignment != 0) {
        fail_locked(codes::bad_block,
                    "the upstream returned a misaligned block for " + call_text("allocate", p, bytes, alignment), p,
                    bytes, alignment);
        // Recorded: the block cannot be handed on (the caller may rely on its alignment), and giving
        // it back to a broken upstream is no safer: it is dropped and the request fails.
        throw_bad_alloc();
    }
    if (bytes > 0) {
        const checked_block* overlapped = nullptr;
        auto next = live_.lower_bound(addr);
        if (next != live_.end() && next->first - addr < bytes) overlapped = &next->second;
        if (next != live_.begin()) {
            const auto& prev = *std::prev(next);
            if (addr - prev.first < prev.second.bytes) overlapped = &prev.second;
        }
        if (overlapped != nullptr) {
            // Recorded (record policy): the caller gets the block, untracked, so the live map stays a
            // set of disjoint blocks; its deallocate() will read as foreign.
            fail_locked(codes::bad_block,
                        "the upstream returned a block for " + call_text("allocate", p, bytes, alignment) +
                            " that overlaps live " + block_text(*overlapped),
                        p, bytes, alignment);
            return p;
        }
        live_.emplace(addr, block);
    } else {
        live_empty_.emplace(addr, block);
    }
    freed_.erase(addr);  // handed out again: a later free of it is no double free
    ++stats_.allocations;
    stats_.bytes_allocated += bytes;
    ++stats_.live_blocks;
    stats_.live_bytes += bytes;
    stats_.peak_blocks = std::max(stats_.peak_blocks, stats_.live_blocks);
    stats_.peak_bytes = std::max(stats_.peak_bytes, stats_.live_bytes);
    return p;
}

void checking_resource::do_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
    std::lock_guard lock(mutex_);
    const auto addr = reinterpret_cast<std::uintptr_t>(p);
    const auto call = [&] { return call_text("deallocate", p, bytes, alignment); };
    const auto full = live_.find(addr);
    const auto [empty_first, empty_last] = live_empty_.equal_range(addr);

    checked_block found;
    if (bytes == 0) {
        auto match = std::find_if(empty_first, empty_last, [&](const auto& e) { return e.second.alignment == alignment; });
        if (match != empty_last) {
            found = match->second;
            live_empty_.erase(match);
        } else if (empty_first != empty_last) {
            return fail_locked(codes::alignment_mismatch, call() + ": " + block_text(empty_first->second) +
                                                              " was allocated with another alignment",
                               p, bytes, alignment);
        } else if (full != live_.end()) {
            return fail_locked(codes::size_mismatch, call() + ": " + block_text(full->second) +
                                                         " was allocated with another size",
                               p, bytes, alignment);
        }
    } else if (full != live_.end()) {
        if (full->second.bytes != bytes)
            return fail_locked(codes::size_mismatch,
                               call() + ": " + block_text(full->second) + " was allocated with another size", p,
                               bytes, alignment);
        if (full->second.alignment != alignment)
            return fail_locked(codes::alignment_mismatch,
                               call() + ": " + block_text(full->second) + " was allocated with another alignment",
                               p, bytes, alignment);
        found = full->second;
        live_.erase(full);
    } else if (empty_first != empty_last) {
        return fail_locked(codes::size_mismatch,
                           call() + ": " + block_text(empty_first->second) + " was allocated with another size", p,
                           bytes, alignment);
    }

    if (found.serial == 0) {  // no live block matched
        if (const auto freed = freed_.find(addr); freed != freed_.end())
            return fail_locked(codes::double_free, call() + ": " + block_text(freed->second) + " was freed already",
                               p, bytes, alignment);
        std::string why = call() + ": not a block allocated by this resource";
        if (auto next = live_.upper_bound(addr); next != live_.begin()) {
            const auto& prev = *std::prev(next);
            if (addr - prev.first < prev.second.bytes)
                why += " (it points inside live " + block_text(prev.second) + ")";
        }
        return fail_locked(codes::foreign_pointer, why, p, bytes, alignment);
    }

    ++stats_.deallocations;
    --stats_.live_blocks;
    stats_.live_bytes -= found.bytes;
    remember_freed_locked(found);
    upstream_->deallocate(p, bytes, alignment);
}

checking_stats checking_resource::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

leak_report checking_resource::leaks() const {
    leak_report report;
    {
        std::lock_guard lock(mutex_);
        report.blocks.reserve(live_.size() + live_empty_.size());
        for (const auto& [addr, b] : live_) report.blocks.push_back(b);
        for (const auto& [addr, b] : live_empty_) report.blocks.push_back(b);
    }
    std::sort(report.blocks.begin(), report.blocks.end(),
              [](const checked_block& a, const checked_block& b) { return a.serial < b.serial; });
    for (const checked_block& b : report.blocks) report.bytes += b.bytes;
    return report;
}

void checking_resource::check_no_leaks() const {
    const leak_report report = leaks();
    if (report.empty()) return;
    // memory_error prefixes the code itself: drop the report's own "FA107: ".
    std::string text = report.to_string(options_.name);
    text.erase(0, codes::leak.size() + 2);
    throw memory_error(codes::leak, text);
}

std::vector<checking_error> checking_resource::errors() const {
    std::lock_guard lock(mutex_);
    return errors_;
}

void checking_resource::clear_errors() {
    std::lock_guard lock(mutex_);
    errors_.clear();
}

}  // namespace framealloc
