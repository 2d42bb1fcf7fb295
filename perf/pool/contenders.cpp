// The resource wrappers behind contenders.hpp (see there for what each baseline is and why).
#include "contenders.hpp"

#include <dlfcn.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

#if FRAMEALLOC_PERF_HAVE_TBBMALLOC
#include <tbb/scalable_allocator.h>
#include <tbb/version.h>
#endif
#if FRAMEALLOC_PERF_HAVE_BOOST_CONTAINER
#include <boost/container/pmr/global_resource.hpp>
#include <boost/container/pmr/memory_resource.hpp>
#include <boost/container/pmr/synchronized_pool_resource.hpp>
#include <boost/container/pmr/unsynchronized_pool_resource.hpp>
#include <boost/version.hpp>
#endif
#if FRAMEALLOC_PERF_HAVE_FOONATHAN
#include <foonathan/memory/memory_pool.hpp>
#endif

import framealloc;

#if FRAMEALLOC_PERF_HAVE_JEMALLOC
// The public names of the prefixed copy of libjemalloc_pic.a (perf/CMakeLists.txt).
extern "C" {
void* fa_je_malloc(std::size_t size);
void* fa_je_mallocx(std::size_t size, int flags);
void fa_je_sdallocx(void* p, std::size_t size, int flags);
int fa_je_mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp, std::size_t newlen);
}
#endif

namespace pool_perf {

namespace {

constexpr std::size_t malloc_alignment = 16;  // what glibc's and jemalloc's malloc guarantee on x86-64

// Live and peak bytes a pool holds from its upstream (cold path: atomics are fine).
class byte_counter {
public:
    void add(std::size_t bytes) noexcept {
        const std::size_t live = live_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
        std::size_t peak = peak_.load(std::memory_order_relaxed);
        while (live > peak && !peak_.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {}
    }
    void sub(std::size_t bytes) noexcept { live_.fetch_sub(bytes, std::memory_order_relaxed); }
    [[nodiscard]] double peak() const noexcept { return static_cast<double>(peak_.load(std::memory_order_relaxed)); }

private:
    std::atomic<std::size_t> live_{0};
    std::atomic<std::size_t> peak_{0};
};

// new/delete, counted: the upstream of the std pools.
class counting_upstream final : public std::pmr::memory_resource {
public:
    byte_counter counter;

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        void* p = std::pmr::new_delete_resource()->allocate(bytes, alignment);
        counter.add(bytes);
        return p;
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
        counter.sub(bytes);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
};

// ---- general-purpose allocators ---------------------------------------------------------------------

class glibc_resource final : public std::pmr::memory_resource {
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        void* p = alignment <= malloc_alignment ? std::malloc(bytes)
                                                : std::aligned_alloc(alignment, (bytes + alignment - 1) & ~(alignment - 1));
        if (p == nullptr) [[unlikely]] throw std::bad_alloc();
        return p;
    }
    void do_deallocate(void* p, std::size_t, std::size_t) override { std::free(p); }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
};

struct mimalloc_api {
    void* (*malloc)(std::size_t) = nullptr;
    void* (*malloc_aligned)(std::size_t, std::size_t) = nullptr;
    void (*free)(void*) = nullptr;
    int (*version)() = nullptr;
    std::string error = "not loaded";
};
mimalloc_api g_mimalloc;
double g_start_rss = -1.0;

class mimalloc_resource final : public std::pmr::memory_resource {
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        // mi_malloc guarantees 8 bytes only for sizes that are not a multiple of 16 (a 24 B block sits
        // at multiples of 24), so a 16-byte request goes through the aligned entry (a fast path too).
        void* p = alignment <= 8 ? g_mimalloc.malloc(bytes) : g_mimalloc.malloc_aligned(bytes, alignment);
        if (p == nullptr) [[unlikely]] throw std::bad_alloc();
        return p;
    }
    void do_deallocate(void* p, std::size_t, std::size_t) override { g_mimalloc.free(p); }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
};

#if FRAMEALLOC_PERF_HAVE_JEMALLOC
class jemalloc_resource final : public std::pmr::memory_resource {
    static int flags_for(std::size_t alignment) noexcept {
        return alignment <= malloc_alignment ? 0 : __builtin_ctzll(alignment);  // MALLOCX_LG_ALIGN(lg)
    }
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        void* p = alignment <= malloc_alignment ? fa_je_malloc(bytes) : fa_je_mallocx(bytes, flags_for(alignment));
        if (p == nullptr) [[unlikely]] throw std::bad_alloc();
        return p;
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        fa_je_sdallocx(p, bytes, flags_for(alignment));
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
};
#endif

// The floor (contenders.hpp): 64 slots of 256 B handed out in turn; frees are no-ops. The batches of
// workload.hpp allocate 64 and free them all before the next batch, so no slot is ever in use twice.
class floor_resource final : public std::pmr::memory_resource {
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        if (bytes > slot_bytes || alignment > slot_bytes) [[unlikely]] throw std::bad_alloc();
        void* p = &slots_[next_ * slot_bytes];
        next_ = (next_ + 1) % slot_count;
        return p;
    }
    void do_deallocate(void*, std::size_t, std::size_t) override {}
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    static constexpr std::size_t slot_bytes = 256;
    static constexpr std::size_t slot_count = 64;
    alignas(64) std::byte slots_[slot_bytes * slot_count];
    std::size_t next_ = 0;
};

// The ideal pools (contenders.hpp). ideal: what is left of a size-class pool once thread safety,
// checks, statistics and every fallback are taken away. ideal_checked: the same plus only what the pool
// issue and the diagnostics require of every pool_resource fast path, each written as cheaply as it
// can be: a thread-local lookup of the calling thread's lists (another thread binds on a cold path),
// bounded lists (a count per class; overflow moves a batch to a per-class depot, refill takes it back),
// 64 KiB single-class slabs with the pool's layout, every free checked as the release pool checks it
// (the slab map's bit, the header's magic and class, the block-start test), and a count and byte total
// per allocation and per free (framealloc's own single-writer counter pair). Valid only for one thread
// at a time and requests of at most 256 B.
template <bool Checked>
class ideal_resource final : public std::pmr::memory_resource {
public:
    ideal_resource() {
        for (std::size_t c = 0; c < class_count; ++c) lists_[c].limit = 2 * framealloc::detail::batch_blocks(c);
        if constexpr (Checked) {  // the buffer's slabs join the pools' slab map, which every free asks
            framealloc::detail::ensure_slab_map();
            for (std::size_t at = 0; at < buffer_bytes; at += slab_bytes)
                if (!framealloc::detail::slab_map_set(buffer_.get() + at)) throw std::bad_alloc();
        }
    }
    ~ideal_resource() override {
        if constexpr (Checked)
            for (std::size_t at = 0; at < buffer_bytes; at += slab_bytes) framealloc::detail::slab_map_clear(buffer_.get() + at);
    }

private:
    static constexpr std::size_t class_count = framealloc::detail::class_count;
    static constexpr std::size_t slab_bytes = 64 * 1024;
    static constexpr std::size_t header_offset = slab_bytes - 64;
    static_assert(slab_bytes == framealloc::detail::slab_size && header_offset == framealloc::detail::slab_header_offset,
                  "ideal_checked's slabs have the pool's layout, so the pool's block-start test applies");
    static constexpr std::size_t buffer_bytes = std::size_t(2) << 20;
    static constexpr std::uint64_t magic = 0x49444541'4c534c42ull;  // "IDEALSLB"

    struct list {
        void* head = nullptr;
        std::uint32_t count = 0;
        std::uint32_t limit = 0;
    };
    struct slab_header {
        std::uint64_t magic;
        std::uint64_t size_class;
    };
    struct thread_view {
        const ideal_resource* owner = nullptr;
        list* lists = nullptr;
        framealloc::detail::kind_counters* counters = nullptr;
    };
    static inline thread_local thread_view t_view;
    static inline thread_local framealloc::detail::kind_counters t_counters;

    [[gnu::always_inline]] static std::size_t class_of(std::size_t bytes, std::size_t alignment) noexcept {
        const std::size_t c = framealloc::detail::class_by_granule[(bytes + 7) / 8];
        return alignment == 16 ? framealloc::detail::aligned16_class[c] : c;
    }

    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        if (bytes > 256 || alignment > 16) [[unlikely]] throw std::bad_alloc();
        const std::size_t c = class_of(bytes, alignment);
        if constexpr (Checked) {
            const thread_view& view = t_view;
            if (view.owner == this) [[likely]] {
                list& l = view.lists[c];
                if (void* p = l.head) [[likely]] {
                    l.head = *static_cast<void**>(p);
                    --l.count;
                    view.counters->allocated.add(bytes);
                    return p;
                }
            }
            return refill(c, bytes);
        } else {
            if (void* p = lists_[c].head) [[likely]] {
                lists_[c].head = *static_cast<void**>(p);
                return p;
            }
            return carve(c);
        }
    }

    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        const std::size_t c = class_of(bytes, alignment);
        if constexpr (Checked) {
            const auto* h = reinterpret_cast<const slab_header*>(
                (reinterpret_cast<std::uintptr_t>(p) & ~std::uintptr_t(slab_bytes - 1)) + header_offset);
            // The release pool's free-time check, with the pool's own helpers: the slab map says p
            // lies in a slab (the buffer's slabs are registered in it), then the header's magic and
            // class, then that p starts a block of that class.
            if (!framealloc::detail::in_some_slab(p) || h->magic != magic || h->size_class != c ||
                !framealloc::detail::is_block_start(p, c)) [[unlikely]]
                reject();
            const thread_view& view = t_view;
            if (view.owner == this) [[likely]] {
                view.counters->freed.add(bytes);
                list& l = view.lists[c];
                if (l.count < l.limit) [[likely]] {
                    *static_cast<void**>(p) = l.head;
                    l.head = p;
                    ++l.count;
                    return;
                }
            }
            return free_slow(p, c, bytes);
        } else {
            *static_cast<void**>(p) = lists_[c].head;
            lists_[c].head = p;
        }
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    [[gnu::noinline]] void bind() { t_view = thread_view{this, lists_, &t_counters}; }
    [[gnu::noinline]] [[noreturn]] static void reject() { throw std::invalid_argument("not a block of this pool"); }

    // Checked cold paths: the depot first, else a new block of the class's slab.
    [[gnu::noinline]] void* refill(std::size_t c, std::size_t bytes) {
        if (t_view.owner != this) bind();
        list& l = lists_[c];
        if (l.head == nullptr) {
            std::swap(l.head, depot_[c].head);
            std::swap(l.count, depot_[c].count);
        }
        void* p = l.head;
        if (p != nullptr) {
            l.head = *static_cast<void**>(p);
            --l.count;
        } else {
            p = carve(c);
        }
        t_counters.allocated.add(bytes);
        return p;
    }
    [[gnu::noinline]] void free_slow(void* p, std::size_t c, std::size_t bytes) {
        if (t_view.owner != this) {
            bind();
            t_counters.freed.add(bytes);
        }
        list& l = lists_[c];
        if (l.count >= l.limit) {  // move the list to the depot (a stand-in for a batch flush)
            for (void* q = l.head; q != nullptr;) {
                void* next = *static_cast<void**>(q);
                *static_cast<void**>(q) = depot_[c].head;
                depot_[c].head = q;
                ++depot_[c].count;
                q = next;
            }
            l.head = nullptr;
            l.count = 0;
        }
        *static_cast<void**>(p) = l.head;
        l.head = p;
        ++l.count;
    }

    // Unchecked: bump through one buffer, classes mixed. Checked: each class carves its own 64 KiB
    // slab of that buffer, below a header at its end.
    [[gnu::noinline]] void* carve(std::size_t c) {
        const std::size_t size = framealloc::detail::class_sizes[c];
        if constexpr (Checked) {
            std::size_t& cursor = slab_cursor_[c];
            if (cursor == 0 || (cursor % slab_bytes) + size > header_offset) {
                if (used_ + slab_bytes > buffer_bytes) throw std::bad_alloc();
                cursor = used_;
                used_ += slab_bytes;
                *reinterpret_cast<slab_header*>(buffer_.get() + cursor + header_offset) = slab_header{magic, c};
            }
            void* p = buffer_.get() + cursor;
            cursor += size;
            return p;
        } else {
            if (used_ + size > buffer_bytes) throw std::bad_alloc();
            void* p = buffer_.get() + used_;
            used_ += size;
            return p;
        }
    }

    struct aligned_delete {
        void operator()(std::byte* p) const noexcept { ::operator delete[](p, std::align_val_t{slab_bytes}); }
    };
    std::unique_ptr<std::byte[], aligned_delete> buffer_{static_cast<std::byte*>(::operator new[](buffer_bytes, std::align_val_t{slab_bytes}))};
    std::size_t used_ = 0;
    list lists_[class_count];
    list depot_[class_count];                 // Checked only
    std::size_t slab_cursor_[class_count] = {};  // Checked only: next block of each class's slab
};

// A resource that needs no state of its own beyond the object (or a global one).
template <class Resource>
class plain_box final : public resource_box {
public:
    std::pmr::memory_resource* get() noexcept override { return &resource_; }

private:
    Resource resource_;
};

class global_box final : public resource_box {
public:
    explicit global_box(std::pmr::memory_resource* r) noexcept : resource_(r) {}
    std::pmr::memory_resource* get() noexcept override { return resource_; }

private:
    std::pmr::memory_resource* resource_;
};

// ---- pools ---------------------------------------------------------------------------------------------

class framealloc_box final : public resource_box {
public:
    std::pmr::memory_resource* get() noexcept override { return &pool_; }
    double peak_held_bytes() const override { return static_cast<double>(pool_.stats().peak_slab_bytes); }

private:
    framealloc::pool_resource pool_;  // default options
};

template <class Pool>
class std_pool_box final : public resource_box {
public:
    std::pmr::memory_resource* get() noexcept override { return &pool_; }
    double peak_held_bytes() const override { return upstream_.counter.peak(); }

private:
    counting_upstream upstream_;
    Pool pool_{&upstream_};
};

#if FRAMEALLOC_PERF_HAVE_BOOST_CONTAINER
namespace bpmr = boost::container::pmr;

class boost_counting_upstream final : public bpmr::memory_resource {
public:
    byte_counter counter;

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        void* p = bpmr::new_delete_resource()->allocate(bytes, alignment);
        counter.add(bytes);
        return p;
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        bpmr::new_delete_resource()->deallocate(p, bytes, alignment);
        counter.sub(bytes);
    }
    bool do_is_equal(const bpmr::memory_resource& other) const noexcept override { return this == &other; }
};

// A Boost pool as a std::pmr::memory_resource. The pool is a member of known type, so its allocate()
// is a direct call into libboost_container (no second virtual dispatch).
template <class Pool>
class boost_pool_box final : public resource_box, private std::pmr::memory_resource {
public:
    std::pmr::memory_resource* get() noexcept override { return this; }
    double peak_held_bytes() const override { return upstream_.counter.peak(); }

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override { return pool_.allocate(bytes, alignment); }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        pool_.deallocate(p, bytes, alignment);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    boost_counting_upstream upstream_;
    Pool pool_{&upstream_};
};
#endif

#if FRAMEALLOC_PERF_HAVE_FOONATHAN
// foonathan RawAllocator: new/delete, counted.
class counting_raw_allocator {
public:
    explicit counting_raw_allocator(byte_counter* counter) noexcept : counter_(counter) {}
    void* allocate_node(std::size_t size, std::size_t alignment) {
        void* p = ::operator new(size, std::align_val_t{alignment});
        counter_->add(size);
        return p;
    }
    void deallocate_node(void* p, std::size_t size, std::size_t alignment) noexcept {
        ::operator delete(p, size, std::align_val_t{alignment});
        counter_->sub(size);
    }

private:
    byte_counter* counter_;
};

struct no_lock {
    void lock() noexcept {}
    void unlock() noexcept {}
};

template <class Lock>
class foonathan_box final : public resource_box, private std::pmr::memory_resource {
public:
    explicit foonathan_box(std::size_t node_size)
        : node_size_(node_size), pool_(node_size, std::size_t{64} << 10, counting_raw_allocator{&counter_}) {}
    std::pmr::memory_resource* get() noexcept override { return this; }
    double peak_held_bytes() const override { return counter_.peak(); }

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        if (bytes > node_size_ || alignment > alignof(std::max_align_t)) [[unlikely]] throw std::bad_alloc();
        std::lock_guard guard(lock_);
        return pool_.allocate_node();
    }
    void do_deallocate(void* p, std::size_t, std::size_t) override {
        std::lock_guard guard(lock_);
        pool_.deallocate_node(p);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    byte_counter counter_;
    std::size_t node_size_;
    Lock lock_;
    foonathan::memory::memory_pool<foonathan::memory::node_pool, counting_raw_allocator> pool_;
};
#endif

std::string read_file(const char* path) {
    std::ifstream f(path);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

double status_bytes(const char* key) {
    const std::string status = read_file("/proc/self/status");
    const std::size_t at = status.find(key);
    if (at == std::string::npos) return -1.0;
    return std::strtod(status.c_str() + at + std::strlen(key), nullptr) * 1024.0;  // "VmRSS:   1234 kB"
}

}  // namespace

std::string_view name_of(contender c) noexcept {
    constexpr std::array<std::string_view, contender_count> names{
        "framealloc", "glibc", "mimalloc", "jemalloc", "tbbmalloc", "std_unsync",
        "std_sync", "boost_unsync", "boost_sync", "foonathan", "floor", "ideal", "ideal_checked"};
    return names[static_cast<std::size_t>(c)];
}

std::unique_ptr<resource_box> make_resource(contender c, const box_options& options, std::string& why) {
    switch (c) {
        case contender::framealloc:
            return std::make_unique<framealloc_box>();
        case contender::glibc:
            return std::make_unique<plain_box<glibc_resource>>();
        case contender::mimalloc:
            if (g_mimalloc.malloc == nullptr) {
                why = "mimalloc unavailable: " + g_mimalloc.error;
                return nullptr;
            }
            return std::make_unique<plain_box<mimalloc_resource>>();
        case contender::jemalloc:
#if FRAMEALLOC_PERF_HAVE_JEMALLOC
            return std::make_unique<plain_box<jemalloc_resource>>();
#else
            why = "jemalloc unavailable: libjemalloc_pic.a, nm or objcopy not found at configure time";
            return nullptr;
#endif
        case contender::tbbmalloc:
#if FRAMEALLOC_PERF_HAVE_TBBMALLOC
            return std::make_unique<global_box>(tbb::scalable_memory_resource());
#else
            why = "tbbmalloc unavailable: TBB::tbbmalloc not found at configure time";
            return nullptr;
#endif
        case contender::std_unsync:
            if (options.shared) break;
            return std::make_unique<std_pool_box<std::pmr::unsynchronized_pool_resource>>();
        case contender::std_sync:
            return std::make_unique<std_pool_box<std::pmr::synchronized_pool_resource>>();
        case contender::boost_unsync:
            if (options.shared) break;
            [[fallthrough]];
        case contender::boost_sync:
#if FRAMEALLOC_PERF_HAVE_BOOST_CONTAINER
            if (c == contender::boost_unsync) return std::make_unique<boost_pool_box<bpmr::unsynchronized_pool_resource>>();
            return std::make_unique<boost_pool_box<bpmr::synchronized_pool_resource>>();
#else
            why = "Boost.Container pools unavailable: Boost::container not found at configure time";
            return nullptr;
#endif
        case contender::foonathan:
#if FRAMEALLOC_PERF_HAVE_FOONATHAN
            if (options.shared) return std::make_unique<foonathan_box<std::mutex>>(options.largest_request);
            return std::make_unique<foonathan_box<no_lock>>(options.largest_request);
#else
            why = "foonathan::memory unavailable: foonathan_memory not found at configure time";
            return nullptr;
#endif
        case contender::floor:
            if (options.shared) break;
            return std::make_unique<plain_box<floor_resource>>();
        case contender::ideal:
            if (options.shared) break;
            return std::make_unique<plain_box<ideal_resource<false>>>();
        case contender::ideal_checked:
            if (options.shared) break;
            return std::make_unique<plain_box<ideal_resource<true>>>();
    }
    why = std::string(name_of(c)) + " is not thread-safe";
    return nullptr;
}

void load_baselines() {
    g_start_rss = rss_bytes();
#ifdef FRAMEALLOC_PERF_MIMALLOC_SO
    // RTLD_LOCAL: mimalloc's malloc/free stay out of the global scope (see contenders.hpp).
    void* lib = dlopen(FRAMEALLOC_PERF_MIMALLOC_SO, RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
        g_mimalloc.error = dlerror();
        return;
    }
    mimalloc_api api;
    api.malloc = reinterpret_cast<void* (*)(std::size_t)>(dlsym(lib, "mi_malloc"));
    api.malloc_aligned = reinterpret_cast<void* (*)(std::size_t, std::size_t)>(dlsym(lib, "mi_malloc_aligned"));
    api.free = reinterpret_cast<void (*)(void*)>(dlsym(lib, "mi_free"));
    api.version = reinterpret_cast<int (*)()>(dlsym(lib, "mi_version"));
    if (api.malloc == nullptr || api.malloc_aligned == nullptr || api.free == nullptr) {
        g_mimalloc.error = "mi_malloc, mi_malloc_aligned or mi_free missing from " FRAMEALLOC_PERF_MIMALLOC_SO;
        return;
    }
    api.error.clear();
    g_mimalloc = api;
#else
    g_mimalloc.error = "mimalloc not found at configure time";
#endif
}

std::string process_allocator_check() {
    // The definitions the whole process uses (RTLD_DEFAULT) against glibc's and libstdc++'s own.
    void* libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    void* libstdcxx = dlopen("libstdc++.so.6", RTLD_NOW | RTLD_NOLOAD);
    const bool malloc_ok = libc != nullptr && dlsym(RTLD_DEFAULT, "malloc") == dlsym(libc, "malloc") &&
                           dlsym(RTLD_DEFAULT, "free") == dlsym(libc, "free");
    const bool new_ok = libstdcxx == nullptr || dlsym(RTLD_DEFAULT, "_Znwm") == dlsym(libstdcxx, "_Znwm");
    if (malloc_ok && new_ok) return "glibc malloc, libstdc++ operator new";
    std::string what = "REPLACED:";
    if (!malloc_ok) what += " malloc/free are not glibc's";
    if (!new_ok) what += " operator new is not libstdc++'s";
    return what;
}

std::string baseline_versions() {
    std::string text;
    if (g_mimalloc.version != nullptr) text += "mimalloc " + std::to_string(g_mimalloc.version());
    else text += "mimalloc -";
#if FRAMEALLOC_PERF_HAVE_JEMALLOC
    const char* version = nullptr;
    std::size_t length = sizeof version;
    if (fa_je_mallctl("version", &version, &length, nullptr, 0) == 0 && version != nullptr) {
        text += ", jemalloc ";
        text.append(version, std::strcspn(version, "-"));
    }
#endif
#if FRAMEALLOC_PERF_HAVE_TBBMALLOC
    text += ", tbbmalloc (oneTBB " + std::to_string(TBB_VERSION_MAJOR) + "." + std::to_string(TBB_VERSION_MINOR) + ")";
#endif
#if FRAMEALLOC_PERF_HAVE_BOOST_CONTAINER
    text += ", Boost " + std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000);
#endif
#if FRAMEALLOC_PERF_HAVE_FOONATHAN
    text += ", foonathan::memory " + std::to_string(FOONATHAN_MEMORY_VERSION_MAJOR) + "." +
            std::to_string(FOONATHAN_MEMORY_VERSION_MINOR) + "." + std::to_string(FOONATHAN_MEMORY_VERSION_PATCH);
#endif
    return text;
}

double rss_bytes() { return status_bytes("VmRSS:"); }
double rss_high_water_bytes() { return status_bytes("VmHWM:"); }
double start_rss_bytes() { return g_start_rss; }

}  // namespace pool_perf
