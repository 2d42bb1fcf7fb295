// Convenience macros for framealloc users (modules cannot export macros, so they live here).
//
//   #include <framealloc/macros.hpp>
//   import framealloc;
//   FRAMEALLOC_FRAME_SCOPE(alloc);   // frame memory allocated by this thread after this line is
//                                    // released (and its destructors run) at the end of the scope
#pragma once

#define FRAMEALLOC_CONCAT_INNER(a, b) a##b
#define FRAMEALLOC_CONCAT(a, b) FRAMEALLOC_CONCAT_INNER(a, b)
#define FRAMEALLOC_FRAME_SCOPE(alloc) \
    [[maybe_unused]] auto FRAMEALLOC_CONCAT(framealloc_scope_, __LINE__) = (alloc).frame_scope()
