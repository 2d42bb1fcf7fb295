// alloc_fuzz: a libFuzzer harness for framealloc::frame_resource and framealloc::pool_resource (with a
// framealloc::heap_resource as the pool's heap fallback and a framealloc::tagged_resource over the pool).
//
// The input is a little program. Byte 0 picks the resources' options; the bytes after it are a
// sequence of operations on BOTH resources (an operand byte selects which one), run against a
// reference model of the live blocks (address, size, alignment, owner resource, fill byte):
//
//   op % 16   operands                  what it does
//   0,1,2,15  flags, size lo, size hi   allocate through std::pmr::memory_resource::allocate
//   3         flags, size lo, size hi   allocate through allocate_inline (the resources' fast paths)
//   4         flags, size lo, size hi   allocate through std::pmr::polymorphic_allocator::allocate_bytes
//                                       (pool requests: through the tagged_resource over the pool)
//   5         flags, size lo/hi, count  a burst of (count & 31) + 1 equal requests; count & 0x80: on the
//                                       helper thread, which hands the blocks to the main thread
//   6         index                     deallocate a live block (memory_resource::deallocate). Pool: the
//                                       block dies. Frame: a no-op by contract, so the block stays in
//                                       the model (and is still checked) until end_frame()
//   7         index                     the same through pool_resource::deallocate_inline
//   8         count                     deallocate the (count & 63) + 1 newest pool blocks
//   9         -                         frame_resource::end_frame(): every frame block dies
//   10        param                     hand pool blocks to the helper thread, which frees them: one
//                                       (param % live pool blocks), or with param & 0x80 the
//                                       (param & 63) + 1 newest
//   11        flags, size lo, size hi   the helper thread allocates a block and hands it to the main thread
//   12        -                         the helper thread exits (a later hand-off starts a new one)
//   13        index                     rewrite a live block with a new fill byte
//   14        param                     param & 0x80 clear: pool maintenance, flush_thread_cache() or
//                                       release_empty_slabs(), on the helper thread when param & 4.
//                                       param & 0x80 set: a hostile free (see hostile_free) that the pool
//                                       must refuse with its FA code, changing nothing: an interior
//                                       pointer, an oversize size, alignment 0 or 3, a foreign pointer
//                                       (stack, global), nullptr; block (param & 15) % live pool blocks
//
//   flags: bit 7 = resource (1 pool, 0 frame), bits 0-3 = log2(alignment) % 14 (1..8192),
//          bits 4-6 = size mode (see decode_size: tiny, small, 4 KiB, pooled range, around 8 KiB,
//          around a pool class size, up to 20 KiB, around the frame chunk payload size).
//
// Every hand-off is synchronous (the main thread waits for the helper to finish), so a run is fully
// determined by its input. Each input runs on a fresh driver thread, so no per-thread binding of one
// input's resources survives into the next.
//
// After every operation: each returned pointer is non-null and aligned, a new block is disjoint from
// every live block, every live block still holds its fill byte, and the pool's heap statistics match
// the model. After end_frame(): the frame reports no bytes in use. At the end of the input every
// remaining pool block is freed, the resources are destroyed, and the upstream resources (which check
// each deallocate against what they handed out, and scribble over what comes back as a real
// allocator would) must have got every byte back.
//
// A failed check prints what failed and aborts: libFuzzer saves the input as a crash artifact.
// FRAMEALLOC_FUZZ_TRACE=1 in the environment prints every operation (for reading a reproducer).
// FRAMEALLOC_FUZZ_UPSTREAM_SCRIBBLE=0 stops the upstreams from writing over returned memory (to fuzz
// past a known report of memory handed back upstream still poisoned).
// FRAMEALLOC_FUZZ_INJECT=<n> (harness-only, set by the CMake cache variable of the same name) makes
// the harness itself misbehave in one way, to show that the checks fire; see inject below.
#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <memory_resource>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

import framealloc;

#ifndef FRAMEALLOC_FUZZ_INJECT
#define FRAMEALLOC_FUZZ_INJECT 0
#endif

namespace {

// Fault injection (harness-only): 0 none; 1 alias (a pool allocation is answered with the address of a
// live block, as a corrupted free list would: the disjointness check must fire); 2 misalign (a frame
// allocation with alignment >= 2 is answered one byte off: the alignment check must fire); 3 double_free
// (a pool deallocate is done twice: the library's FA102 check must abort); 4 scribble (a pool
// deallocate also overwrites the first byte of another live block: the contents check must fire);
// 5 use_after_end_frame (a frame block is read after end_frame(): ASan must report the poisoned read).
enum inject_mode : int { inject_none, inject_alias, inject_misalign, inject_double_free, inject_scribble, inject_use_after_end_frame };
constexpr int inject = FRAMEALLOC_FUZZ_INJECT;
constexpr const char* inject_names[] = {"none", "alias", "misalign", "double_free", "scribble", "use_after_end_frame"};
static_assert(inject >= 0 && inject <= inject_use_after_end_frame, "unknown FRAMEALLOC_FUZZ_INJECT");

constexpr std::size_t max_live_blocks = 512;
constexpr std::size_t max_live_bytes = std::size_t(8) << 20;
constexpr std::size_t max_request = 20 * 1024;
constexpr std::size_t max_alignment_log2 = 13;  // 8192

bool g_trace = false;
bool g_upstream_scribble = true;  // FRAMEALLOC_FUZZ_UPSTREAM_SCRIBBLE=0 turns it off

// A global the pool never handed out, for the foreign-pointer hostile free.
alignas(64) std::byte g_foreign_bytes[256];
const char* g_op = "setup";    // the operation being run, for failure reports
std::size_t g_op_index = 0;

[[noreturn]] __attribute__((format(printf, 1, 2))) void fail(const char* format, ...) {
    std::fprintf(stderr, "\nalloc_fuzz: CHECK FAILED in operation #%zu (%s): ", g_op_index, g_op);
    va_list args;
    va_start(args, format);
    std::vfprintf(stderr, format, args);
    va_end(args);
    std::fputc('\n', stderr);
    std::fflush(stderr);
    std::abort();
}

void trace(const char* format, ...) __attribute__((format(printf, 1, 2)));
void trace(const char* format, ...) {
    if (!g_trace) return;
    std::fprintf(stderr, "#%zu ", g_op_index);
    va_list args;
    va_start(args, format);
    std::vfprintf(stderr, format, args);
    va_end(args);
    std::fputc('\n', stderr);
}

// An upstream that knows what it handed out: a deallocate must name a block it allocated, with the
// same size and alignment. Returned memory is scribbled over before it goes to operator delete, as a
// real allocator writes its bookkeeping into freed blocks: memory handed back still poisoned (see
// FRAMEALLOC_RELEASE in framealloc/poison.hpp) is reported by ASan here.
class checked_upstream final : public std::pmr::memory_resource {
public:
    explicit checked_upstream(const char* name) : name_(name) {}

    [[nodiscard]] std::size_t outstanding_blocks() const {
        std::lock_guard lock(mutex_);
        return blocks_.size();
    }
    [[nodiscard]] std::size_t outstanding_bytes() const {
        std::lock_guard lock(mutex_);
        std::size_t bytes = 0;
        for (const auto& [p, r] : blocks_) bytes += r.size;
        return bytes;
    }

private:
    struct record {
        std::size_t size;
        std::size_t alignment;
    };

    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        void* p = std::pmr::new_delete_resource()->allocate(bytes, alignment);
        std::lock_guard lock(mutex_);
        if (!blocks_.emplace(p, record{bytes, alignment}).second)
            fail("upstream '%s' handed out %p twice", name_, p);
        return p;
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        {
            std::lock_guard lock(mutex_);
            auto it = blocks_.find(p);
            if (it == blocks_.end())
                fail("upstream '%s': deallocate(%p, %zu, %zu) of a block it never handed out (or twice)", name_, p,
                     bytes, alignment);
            if (it->second.size != bytes || it->second.alignment != alignment)
                fail("upstream '%s': deallocate(%p, %zu, %zu) of a block allocated as (%zu, %zu)", name_, p, bytes,
                     alignment, it->second.size, it->second.alignment);
            blocks_.erase(it);
        }
        if (g_upstream_scribble) std::memset(p, 0xA5, bytes);
        std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    const char* name_;
    mutable std::mutex mutex_;
    std::map<void*, record> blocks_;
};

// One helper thread that runs closures synchronously for the driver: run() returns when the closure
// has finished (an exception it throws is rethrown in the caller). stop() lets the thread exit.
class helper_thread {
public:
    helper_thread() = default;
    helper_thread(const helper_thread&) = delete;
    helper_thread& operator=(const helper_thread&) = delete;
    ~helper_thread() { stop(); }

    void run(const std::function<void()>& task) {
        if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
        std::unique_lock lock(mutex_);
        task_ = &task;
        cv_.notify_all();
        cv_.wait(lock, [&] { return task_ == nullptr; });
        if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    }

    void stop() {
        if (!thread_.joinable()) return;
        {
            std::lock_guard lock(mutex_);
            quit_ = true;
        }
        cv_.notify_all();
        thread_.join();
        quit_ = false;
    }

    [[nodiscard]] bool running() const { return thread_.joinable(); }

private:
    void loop() {
        std::unique_lock lock(mutex_);
        for (;;) {
            cv_.wait(lock, [&] { return task_ != nullptr || quit_; });
            if (task_ != nullptr) {
                try {
                    (*task_)();
                } catch (...) {
                    error_ = std::current_exception();
                }
                task_ = nullptr;
                cv_.notify_all();
            } else {
                return;
            }
        }
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    const std::function<void()>* task_ = nullptr;
    std::exception_ptr error_;
    bool quit_ = false;
    std::thread thread_;
};

// A forward reader: every operand is read in order; running out ends the program.
struct reader {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t pos = 0;

    [[nodiscard]] bool has(std::size_t n) const { return size - pos >= n; }
    std::uint8_t u8() { return data[pos++]; }
    std::uint16_t u16() {
        const std::uint16_t v = static_cast<std::uint16_t>(data[pos] | (data[pos + 1] << 8));
        pos += 2;
        return v;
    }
};

enum class which : std::uint8_t { frame, pool };
const char* name_of(which w) { return w == which::frame ? "frame" : "pool"; }

struct config {
    framealloc::frame_arena_options frame;
    framealloc::pool_options pool;
};

config decode_config(std::uint8_t b) {
    constexpr std::size_t chunk_sizes[4] = {256, 4096, 16384, 65536};
    constexpr std::size_t retained[4] = {std::numeric_limits<std::size_t>::max(), 0, 64 * 1024, 256 * 1024};
    constexpr std::size_t high_water[4] = {std::size_t(32) << 20, 0, 64 * 1024, 256 * 1024};
    config c;
    c.frame.initial_chunk_size = chunk_sizes[b & 3];
    c.frame.max_retained_bytes = retained[(b >> 2) & 3];
    c.frame.growth_factor = (b & 0x10) != 0 ? 1 : 2;
    c.pool.slab_high_water_bytes = high_water[(b >> 5) & 3];
    c.pool.depot_bytes_per_class = (b & 0x80) != 0 ? 0 : (std::size_t(1) << 20);  // 0: the minimum depot (16 batches)
    // Misuse throws memory_error: op 14's hostile frees catch it; anywhere else it is an uncaught
    // exception, which fails the run.
    c.pool.on_error = framealloc::pool_error_policy::throw_exception;
    return c;
}

struct block {
    std::byte* p;
    std::size_t size;
    std::size_t align;
    which owner;
    std::uint8_t fill;
    bool released;  // frame: deallocate() was called (a no-op); the block stays valid until end_frame()
    bool heap;      // pool: served by the heap fallback
    bool by_helper; // allocated on the helper thread
    std::uint64_t serial;
};

struct request {
    which owner;
    std::size_t size;
    std::size_t align;
};

class session {
public:
    explicit session(const config& c) : config_(c) {
        framealloc::pool_options po = c.pool;
        po.upstream = &slabs_;
        fallback_.emplace(&heap_, c.pool.on_error);
        po.heap = &*fallback_;
        frame_.emplace(c.frame, &chunks_);
        pool_.emplace(po);
        tagged_.emplace(&*pool_, "fuzz");
    }

    void run(reader& in) {
        while (in.has(1)) {
            ++g_op_index;
            const std::uint8_t op = in.u8();
            switch (op % 16) {
            case 0: case 1: case 2: case 15: case 3: case 4: {
                if (!in.has(3)) return;
                const request r = decode_request(in.u8(), in.u16());
                const int api = (op % 16 == 3) ? 1 : (op % 16 == 4) ? 2 : 0;
                g_op = api == 0 ? "allocate" : api == 1 ? "allocate_inline" : "allocate_bytes";
                allocate_one(r, api, false);
                break;
            }
            case 5: {
                if (!in.has(4)) return;
                const request r = decode_request(in.u8(), in.u16());
                const std::uint8_t count = in.u8();
                const bool on_helper = (count & 0x80) != 0;
                g_op = on_helper ? "allocate burst on the helper" : "allocate burst";
                allocate_burst(r, (count & 31) + 1, on_helper);
                break;
            }
            case 6: case 7: {
                if (!in.has(1)) return;
                g_op = op % 16 == 6 ? "deallocate" : "deallocate_inline";
                deallocate_one(in.u8(), op % 16 == 7);
                break;
            }
            case 8: {
                if (!in.has(1)) return;
                g_op = "deallocate newest pool blocks";
                deallocate_newest((in.u8() & 63) + 1);
                break;
            }
            case 9:
                g_op = "end_frame";
                end_frame();
                break;
            case 10: {
                if (!in.has(1)) return;
                g_op = "hand pool blocks to the helper to free";
                helper_free(in.u8());
                break;
            }
            case 11: {
                if (!in.has(3)) return;
                const request r = decode_request(in.u8(), in.u16());
                g_op = "allocate on the helper";
                allocate_one(r, 0, true);
                break;
            }
            case 12:
                g_op = "helper exits";
                trace("helper exits (running: %d)", helper_.running());
                helper_.stop();
                break;
            case 13: {
                if (!in.has(1)) return;
                g_op = "rewrite";
                rewrite(in.u8());
                break;
            }
            case 14: {
                if (!in.has(1)) return;
                const std::uint8_t param = in.u8();
                g_op = (param & 0x80) != 0 ? "hostile free" : "pool maintenance";
                if ((param & 0x80) != 0) hostile_free(param);
                else pool_maintenance(param);
                break;
            }
            }
            check_all();
        }
    }

    // Frees what is left, lets the helper exit, ends the frame, destroys both resources and checks
    // that every upstream got everything back.
    void finish() {
        ++g_op_index;
        g_op = "teardown";
        while (!pool_blocks_empty()) deallocate_newest(max_live_blocks);
        check_all();
        helper_.stop();
        end_frame();
        check_all();
        tagged_.reset();
        pool_.reset();
        fallback_.reset();
        frame_.reset();
        check_upstream(chunks_);
        check_upstream(slabs_);
        check_upstream(heap_);
    }

private:
    // ----- decoding -----

    [[nodiscard]] std::size_t decode_size(unsigned mode, std::uint16_t v) const {
        std::size_t size = 0;
        switch (mode) {
        case 0: size = v % 17; break;                    // tiny, 0 included
        case 1: size = v % 257; break;                   // small
        case 2: size = v % 4097; break;                  // up to 4 KiB
        case 3: size = v % 8193; break;                  // the whole pooled range
        case 4: size = 8192 - 16 + v % 33; break;        // around the largest pooled size
        case 5: {                                        // around a pool size class
            const auto& classes = framealloc::detail::class_sizes;
            const std::size_t base = classes[v % classes.size()];
            size = base + ((v >> 8) % 3) - 1;
            break;
        }
        case 6: size = v % (max_request + 1); break;     // anything, oversize included
        case 7: {                                        // around the frame chunk payload size
            const std::size_t payload = config_.frame.initial_chunk_size - 64;
            size = payload + (v % 9) - 4;
            break;
        }
        }
        return std::min(size, max_request);
    }

    [[nodiscard]] request decode_request(std::uint8_t flags, std::uint16_t v) const {
        request r;
        r.owner = (flags & 0x80) != 0 ? which::pool : which::frame;
        r.align = std::size_t(1) << ((flags & 15) % (max_alignment_log2 + 1));
        r.size = decode_size((flags >> 4) & 7, v);
        return r;
    }

    // ----- fill bytes: each live block has its own, chosen among the least used -----

    std::uint8_t take_fill() {
        for (int tries = 0; tries < 2; ++tries) {
            for (int i = 0; i < 255; ++i) {
                const std::uint8_t b = next_fill_;
                next_fill_ = static_cast<std::uint8_t>(next_fill_ == 255 ? 1 : next_fill_ + 1);
                // Not the library's poison bytes (0xDD frame, 0xDF pool) nor the upstream scribble.
                if (b == 0xDD || b == 0xDF || b == 0xA5) continue;
                if (fill_use_[b] == 0 || tries == 1) {
                    ++fill_use_[b];
                    return b;
                }
            }
        }
        ++fill_use_[1];
        return 1;
    }
    void drop_fill(std::uint8_t b) { --fill_use_[b]; }

    // ----- allocation -----

    void* raw_allocate(const request& r, int api) {
        if (r.owner == which::frame) {
            framealloc::frame_resource& f = *frame_;
            if (api == 1 && r.align <= framealloc::max_fast_alignment) return f.allocate_inline(r.size, r.align);
            if (api == 2) return std::pmr::polymorphic_allocator<>(&f).allocate_bytes(r.size, r.align);
            return f.allocate(r.size, r.align);
        }
        framealloc::pool_resource& p = *pool_;
        if (api == 1) return p.allocate_inline(r.size, r.align);
        if (api == 2) return std::pmr::polymorphic_allocator<>(&*tagged_).allocate_bytes(r.size, r.align);
        return p.allocate(r.size, r.align);
    }

    [[nodiscard]] bool room_for(std::size_t size) const {
        return live_.size() < max_live_blocks && live_bytes_ + size <= max_live_bytes;
    }

    void allocate_one(const request& r, int api, bool on_helper) {
        if (!room_for(r.size)) return;
        void* p = nullptr;
        if (on_helper) helper_.run([&] { p = raw_allocate(r, api); });
        else p = raw_allocate(r, api);
        admit(p, r, on_helper);
    }

    void allocate_burst(const request& r, unsigned count, bool on_helper) {
        std::size_t n = 0;
        while (n < count && live_.size() + n < max_live_blocks && live_bytes_ + (n + 1) * r.size <= max_live_bytes) ++n;
        std::vector<void*> got;
        got.reserve(n);
        auto body = [&] {
            for (std::size_t i = 0; i < n; ++i) got.push_back(raw_allocate(r, 0));
        };
        if (on_helper) helper_.run(body);
        else body();
        for (void* p : got) admit(p, r, on_helper);
    }

    // Checks a fresh block (non-null, aligned, disjoint from every live block), fills it, records it.
    void admit(void* raw, const request& r, bool by_helper) {
        if constexpr (inject == inject_alias) {
            // A corrupted free list: answer with a live pooled block of the same request.
            if (r.owner == which::pool && framealloc::pool_resource::block_size(r.size, r.align) != 0) {
                for (const block& b : live_) {
                    if (b.owner == which::pool && b.size == r.size && b.align == r.align) {
                        pool_->deallocate(raw, r.size, r.align);
                        raw = b.p;
                        break;
                    }
                }
            }
        }
        if constexpr (inject == inject_misalign) {
            if (r.owner == which::frame && r.align >= 2) raw = static_cast<std::byte*>(raw) + 1;
        }
        auto* p = static_cast<std::byte*>(raw);
        const std::uint64_t serial = ++serial_;
        trace("%s%s allocate(%zu, %zu) = %p [block %llu]", name_of(r.owner), by_helper ? " (helper)" : "", r.size,
              r.align, raw, static_cast<unsigned long long>(serial));
        if (p == nullptr) fail("%s allocate(%zu, %zu) returned null", name_of(r.owner), r.size, r.align);
        if ((reinterpret_cast<std::uintptr_t>(p) & (r.align - 1)) != 0)
            fail("%s allocate(%zu, %zu) returned %p, not %zu-aligned", name_of(r.owner), r.size, r.align, raw, r.align);
        if (r.size != 0) {
            for (const block& b : live_) {
                if (b.size == 0) continue;
                if (p < b.p + b.size && b.p < p + r.size)
                    fail("%s allocate(%zu, %zu) returned [%p, %p) which overlaps live %s block %llu [%p, %p) "
                         "(size %zu, alignment %zu%s)",
                         name_of(r.owner), r.size, r.align, raw, static_cast<void*>(p + r.size), name_of(b.owner),
                         static_cast<unsigned long long>(b.serial), static_cast<void*>(b.p),
                         static_cast<void*>(b.p + b.size), b.size, b.align,
                         b.released ? ", deallocated but valid until end_frame" : "");
            }
        }
        const std::uint8_t fill = take_fill();
        std::memset(p, fill, r.size);
        const bool heap = r.owner == which::pool && framealloc::pool_resource::block_size(r.size, r.align) == 0;
        live_.push_back(block{p, r.size, r.align, r.owner, fill, false, heap, by_helper, serial});
        live_bytes_ += r.size;
        if (heap) {
            ++heap_blocks_;
            heap_bytes_ += r.size;
        }
    }

    // ----- deallocation -----

    void forget(std::size_t i) {
        const block b = live_[i];
        drop_fill(b.fill);
        live_bytes_ -= b.size;
        if (b.heap) {
            --heap_blocks_;
            heap_bytes_ -= b.size;
        }
        live_.erase(live_.begin() + static_cast<std::ptrdiff_t>(i));
    }

    void scribble_other(const block& freed) {
        if constexpr (inject == inject_scribble) {
            for (block& b : live_) {
                if (b.p != freed.p && b.size != 0 && !b.released) {
                    b.p[0] = static_cast<std::byte>(b.fill ^ 0x5A);
                    return;
                }
            }
        } else {
            (void)freed;
        }
    }

    void pool_deallocate(const block& b, bool inline_api) {
        trace("pool deallocate%s(%p, %zu, %zu) [block %llu]", inline_api ? "_inline" : "", static_cast<void*>(b.p),
              b.size, b.align, static_cast<unsigned long long>(b.serial));
        if (inline_api) pool_->deallocate_inline(b.p, b.size, b.align);
        else pool_->deallocate(b.p, b.size, b.align);
        if constexpr (inject == inject_double_free) pool_->deallocate(b.p, b.size, b.align);
        scribble_other(b);
    }

    void deallocate_one(std::uint8_t index, bool inline_api) {
        if (live_.empty()) return;
        const std::size_t i = index % live_.size();
        block& b = live_[i];
        if (b.owner == which::frame) {
            if (b.released) return;  // deallocating it again would be a double free
            trace("frame deallocate(%p, %zu, %zu) [block %llu]: a no-op, valid until end_frame", static_cast<void*>(b.p),
                  b.size, b.align, static_cast<unsigned long long>(b.serial));
            frame_->deallocate(b.p, b.size, b.align);
            b.released = true;
            return;
        }
        pool_deallocate(b, inline_api);
        forget(i);
    }

    [[nodiscard]] bool pool_blocks_empty() const {
        return std::none_of(live_.begin(), live_.end(), [](const block& b) { return b.owner == which::pool; });
    }

    // Indices of the `count` newest pool blocks, newest first.
    [[nodiscard]] std::vector<std::size_t> newest_pool_blocks(std::size_t count) const {
        std::vector<std::size_t> out;
        for (std::size_t i = live_.size(); i > 0 && out.size() < count; --i)
            if (live_[i - 1].owner == which::pool) out.push_back(i - 1);
        return out;
    }

    void deallocate_newest(std::size_t count) {
        for (std::size_t i : newest_pool_blocks(count)) {  // descending indices: erasing keeps the rest valid
            pool_deallocate(live_[i], false);
            forget(i);
        }
    }

    void helper_free(std::uint8_t param) {
        std::vector<std::size_t> chosen;
        if ((param & 0x80) != 0) {
            chosen = newest_pool_blocks((param & 63) + 1);
        } else {
            std::vector<std::size_t> pool_blocks = newest_pool_blocks(max_live_blocks);
            if (!pool_blocks.empty()) chosen.push_back(pool_blocks[param % pool_blocks.size()]);
        }
        if (chosen.empty()) return;
        helper_.run([&] {
            for (std::size_t i : chosen) {
                trace("helper frees block %llu", static_cast<unsigned long long>(live_[i].serial));
                pool_deallocate(live_[i], false);
            }
        });
        std::sort(chosen.begin(), chosen.end(), std::greater<>());
        for (std::size_t i : chosen) forget(i);
    }

    void end_frame() {
        trace("end_frame");
        std::byte* dead = nullptr;
        for (const block& b : live_)
            if (b.owner == which::frame && b.size != 0 && dead == nullptr) dead = b.p;
        frame_->end_frame();
        for (std::size_t i = live_.size(); i > 0; --i)
            if (live_[i - 1].owner == which::frame) forget(i - 1);
        const framealloc::frame_resource_stats s = frame_->stats();
        if (s.bytes_used != 0 || s.large_block_count != 0)
            fail("after end_frame() the frame resource reports %zu bytes used and %zu large blocks", s.bytes_used,
                 s.large_block_count);
        if constexpr (inject == inject_use_after_end_frame) {
            if (dead != nullptr) {
                volatile std::byte* v = dead;
                trace("reading %p after end_frame: %d", static_cast<void*>(dead), static_cast<int>(v[0]));
            }
        } else {
            (void)dead;
        }
    }

    void rewrite(std::uint8_t index) {
        if (live_.empty()) return;
        block& b = live_[index % live_.size()];
        if (b.released) return;
        drop_fill(b.fill);
        b.fill = take_fill();
        trace("rewrite block %llu with 0x%02x", static_cast<unsigned long long>(b.serial), b.fill);
        std::memset(b.p, b.fill, b.size);
    }

    void pool_maintenance(std::uint8_t param) {
        auto body = [&] {
            if ((param & 1) != 0) {
                trace("pool flush_thread_cache%s", (param & 4) != 0 ? " (helper)" : "");
                pool_->flush_thread_cache();
            } else {
                const std::size_t keep = (param & 2) != 0 ? 0 : config_.pool.slab_high_water_bytes;
                const std::size_t released = pool_->release_empty_slabs(keep);
                trace("pool release_empty_slabs(%zu) released %zu bytes%s", keep, released,
                      (param & 4) != 0 ? " (helper)" : "");
            }
        };
        if ((param & 4) != 0) helper_.run(body);
        else body();
    }

    // ----- hostile frees: each refused with its FA code, nothing changed (check_all() follows) -----

    template <class F>
    static void expect_refused(const char* what, std::string_view code, F&& call) {
        try {
            call();
        } catch (const framealloc::memory_error& e) {
            if (e.code() != code)
                fail("hostile free (%s) was refused with %.*s, expected %.*s", what, static_cast<int>(e.code().size()),
                     e.code().data(), static_cast<int>(code.size()), code.data());
            return;
        }
        fail("hostile free (%s) was accepted, expected %.*s", what, static_cast<int>(code.size()), code.data());
    }

    void hostile_free(std::uint8_t param) {
        const unsigned kind = ((param >> 4) & 7) % 5;
        std::vector<std::size_t> pooled;  // live pool blocks served from slabs (not the heap fallback)
        std::vector<std::size_t> pool_blocks;
        for (std::size_t i = 0; i < live_.size(); ++i) {
            if (live_[i].owner != which::pool) continue;
            pool_blocks.push_back(i);
            if (!live_[i].heap) pooled.push_back(i);
        }
        framealloc::pool_resource& pool = *pool_;
        switch (kind) {
        case 0: {  // a pointer inside a pooled block: not a block start of its slab
            if (pooled.empty()) return;
            const block& b = live_[pooled[(param & 15) % pooled.size()]];
            const std::size_t bs = framealloc::pool_resource::block_size(b.size, b.align);
            const std::size_t offset = 1 + (param & 15) % (bs - 1);
            trace("hostile: deallocate(%p + %zu, %zu, %zu) [inside block %llu]", static_cast<void*>(b.p), offset, b.size,
                  b.align, static_cast<unsigned long long>(b.serial));
            expect_refused("interior pointer", "FA103", [&] { pool.deallocate(b.p + offset, b.size, b.align); });
            return;
        }
        case 1: {  // a pooled block freed with a size no pool class serves (routed to the heap by size)
            if (pooled.empty()) return;
            const block& b = live_[pooled[(param & 15) % pooled.size()]];
            const std::size_t size = 9000 + (param & 15) * 1000;
            trace("hostile: deallocate(%p, %zu, %zu) [block %llu of size %zu]", static_cast<void*>(b.p), size, b.align,
                  static_cast<unsigned long long>(b.serial), b.size);
            expect_refused("oversize size", "FA104", [&] { pool.deallocate(b.p, size, b.align); });
            return;
        }
        case 2: {  // an alignment that is not a power of two, on a pooled or heap-fallback block
            if (pool_blocks.empty()) return;
            const block& b = live_[pool_blocks[(param & 15) % pool_blocks.size()]];
            const std::size_t align = (param & 1) != 0 ? 3 : 0;
            trace("hostile: deallocate(%p, %zu, %zu) [block %llu]", static_cast<void*>(b.p), b.size, align,
                  static_cast<unsigned long long>(b.serial));
            expect_refused("bad alignment", "FA101", [&] { pool.deallocate(b.p, b.size, align); });
            return;
        }
        case 3: {  // memory the pool never handed out: the stack, a global
            alignas(64) std::byte on_stack[256];
            std::byte* foreign = (param & 1) != 0 ? on_stack + 64 : g_foreign_bytes + 64;
            const std::size_t size = std::size_t(16) << ((param >> 1) & 7);  // 16 .. 2048: pooled classes
            trace("hostile: deallocate(%p, %zu, 16) [%s]", static_cast<void*>(foreign), size,
                  (param & 1) != 0 ? "stack" : "global");
            expect_refused("foreign pointer", "FA103", [&] { pool.deallocate(foreign, size, 16); });
            return;
        }
        default:  // nullptr through the inline path (memory_resource::deallocate takes no null)
            trace("hostile: deallocate_inline(nullptr, 64, 8)");
            expect_refused("nullptr", "FA103", [&] { pool.deallocate_inline(nullptr, 64, 8); });
            return;
        }
    }

    // ----- checks -----

    void check_all() {
        for (const block& b : live_) {
            if (b.size == 0) continue;
            const auto* p = reinterpret_cast<const unsigned char*>(b.p);
            if (p[0] == b.fill && (b.size == 1 || std::memcmp(p, p + 1, b.size - 1) == 0)) continue;
            std::size_t at = 0;
            while (at < b.size && p[at] == b.fill) ++at;
            fail("live %s block %llu [%p, +%zu) (alignment %zu, %s%s) was overwritten: byte %zu is 0x%02x, "
                 "expected 0x%02x",
                 name_of(b.owner), static_cast<unsigned long long>(b.serial), static_cast<void*>(b.p), b.size, b.align,
                 b.by_helper ? "allocated on the helper" : "allocated on the driver",
                 b.released ? ", deallocated but valid until end_frame" : "", at, p[at], b.fill);
        }
        if (pool_) {
            const framealloc::pool_stats s = pool_->stats();
            if (s.heap_bytes != heap_bytes_ || s.heap_allocations - s.heap_deallocations != heap_blocks_)
                fail("pool heap statistics: %zu bytes in %llu blocks, the model has %zu bytes in %zu blocks",
                     s.heap_bytes, static_cast<unsigned long long>(s.heap_allocations - s.heap_deallocations),
                     heap_bytes_, heap_blocks_);
            if (heap_.outstanding_blocks() != heap_blocks_)
                fail("the pool's heap upstream holds %zu blocks, the model has %zu", heap_.outstanding_blocks(),
                     heap_blocks_);
        }
    }

    static void check_upstream(const checked_upstream& u) {
        if (u.outstanding_blocks() != 0)
            fail("after the resources were destroyed an upstream still holds %zu blocks (%zu bytes)",
                 u.outstanding_blocks(), u.outstanding_bytes());
    }

    config config_;
    // Declared first: the upstreams outlive the resources, which outlive the helper thread.
    checked_upstream chunks_{"frame chunks"};
    checked_upstream slabs_{"pool slabs"};
    checked_upstream heap_{"pool heap"};
    std::optional<framealloc::frame_resource> frame_;
    std::optional<framealloc::heap_resource> fallback_;  // the pool's heap: framealloc's tracked heap
    std::optional<framealloc::pool_resource> pool_;
    std::optional<framealloc::tagged_resource> tagged_;  // over the pool: op 4's pool requests
    helper_thread helper_;

    std::vector<block> live_;
    std::size_t live_bytes_ = 0;
    std::size_t heap_blocks_ = 0;
    std::size_t heap_bytes_ = 0;
    std::array<std::uint32_t, 256> fill_use_{};
    std::uint8_t next_fill_ = 1;
    std::uint64_t serial_ = 0;
};

void run_input(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return;
    g_op_index = 0;
    g_op = "setup";
    reader in{data, size};
    const config c = decode_config(in.u8());
    trace("config: frame initial_chunk_size %zu, growth %zu, max_retained %zu; pool high water %zu, depot %zu",
          c.frame.initial_chunk_size, c.frame.growth_factor, c.frame.max_retained_bytes, c.pool.slab_high_water_bytes,
          c.pool.depot_bytes_per_class);
    session s(c);
    s.run(in);
    s.finish();
}

}  // namespace

extern "C" const char* __ubsan_default_options() { return "halt_on_error=1:print_stacktrace=1"; }

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const char* t = std::getenv("FRAMEALLOC_FUZZ_TRACE");
    g_trace = t != nullptr && *t != '\0' && *t != '0';
    const char* u = std::getenv("FRAMEALLOC_FUZZ_UPSTREAM_SCRIBBLE");
    g_upstream_scribble = u == nullptr || *u != '0';
    if (!g_upstream_scribble) std::fprintf(stderr, "alloc_fuzz: upstream scribble off (FRAMEALLOC_FUZZ_UPSTREAM_SCRIBBLE=0)\n");
    if (inject != inject_none)
        std::fprintf(stderr, "alloc_fuzz: FAULT INJECTION '%s' IS COMPILED IN: this build must report a crash\n",
                     inject_names[inject]);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A fresh driver thread per input: the per-thread bindings of this input's resources die with it.
    std::exception_ptr error;
    std::thread driver([&] {
        try {
            run_input(data, size);
        } catch (...) {
            error = std::current_exception();
        }
    });
    driver.join();
    if (error) {
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            fail("uncaught exception: %s", e.what());
        } catch (...) {
            fail("uncaught exception of an unknown type");
        }
    }
    return 0;
}
