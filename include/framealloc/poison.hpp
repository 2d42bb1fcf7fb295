// Memory poisoning used by the arenas when the library is built with FRAMEALLOC_DEBUG.
// Include it in a global module fragment only (modules cannot export macros).
//
// FRAMEALLOC_POISON(p, n)    fills [p, p+n) with the poison byte and marks it unaddressable for ASan
//                            (and Valgrind memcheck when its headers exist).
// FRAMEALLOC_UNPOISON(p, n)  marks [p, p+n) addressable again (contents stay poison: "fresh" memory).
// FRAMEALLOC_RELEASE(p, n)   makes [p, p+n) addressable before it goes back upstream, so the upstream
//                            allocator never sees our poison.
// Without FRAMEALLOC_DEBUG all three compile to nothing.
#pragma once

#include <cstring>

#define FRAMEALLOC_POISON_BYTE 0xDD

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FRAMEALLOC_HAS_ASAN 1
#endif
#endif
#if !defined(FRAMEALLOC_HAS_ASAN) && defined(__SANITIZE_ADDRESS__)
#define FRAMEALLOC_HAS_ASAN 1
#endif

#if defined(FRAMEALLOC_DEBUG) && FRAMEALLOC_DEBUG
#if defined(FRAMEALLOC_HAS_ASAN)
#include <sanitizer/asan_interface.h>
#define FRAMEALLOC_ASAN_POISON(p, n) __asan_poison_memory_region((p), (n))
#define FRAMEALLOC_ASAN_UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define FRAMEALLOC_ASAN_POISON(p, n) ((void)(p), (void)(n))
#define FRAMEALLOC_ASAN_UNPOISON(p, n) ((void)(p), (void)(n))
#endif
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define FRAMEALLOC_VG_NOACCESS(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#define FRAMEALLOC_VG_UNDEFINED(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#else
#define FRAMEALLOC_VG_NOACCESS(p, n) ((void)(p), (void)(n))
#define FRAMEALLOC_VG_UNDEFINED(p, n) ((void)(p), (void)(n))
#endif
// The range may hold already-poisoned gaps (alignment padding), so it is made addressable first.
#define FRAMEALLOC_POISON(p, n)                                   \
    do {                                                          \
        FRAMEALLOC_ASAN_UNPOISON((p), (n));                       \
        FRAMEALLOC_VG_UNDEFINED((p), (n));                        \
        std::memset((p), FRAMEALLOC_POISON_BYTE, (n));            \
        FRAMEALLOC_ASAN_POISON((p), (n));                         \
        FRAMEALLOC_VG_NOACCESS((p), (n));                         \
    } while (0)
#define FRAMEALLOC_UNPOISON(p, n)                                 \
    do {                                                          \
        FRAMEALLOC_ASAN_UNPOISON((p), (n));                       \
        FRAMEALLOC_VG_UNDEFINED((p), (n));                        \
    } while (0)
#define FRAMEALLOC_RELEASE(p, n) FRAMEALLOC_UNPOISON((p), (n))
#define FRAMEALLOC_DEBUG_ENABLED 1
#else
#define FRAMEALLOC_POISON(p, n) ((void)0)
#define FRAMEALLOC_UNPOISON(p, n) ((void)0)
#define FRAMEALLOC_RELEASE(p, n) ((void)0)
#define FRAMEALLOC_DEBUG_ENABLED 0
#endif
