/* A stand-in for Tracy's public C header (tracy/TracyC.h), for testing framealloc's Tracy adapter where
 * Tracy is not installed (it is not a Debian package). It declares the memory and plot entry points the
 * adapter reaches through Tracy's macros, with Tracy's signatures, and defines those macros as Tracy
 * does when TRACY_ENABLE is set (the stub's target sets it, as Tracy::TracyClient does). The functions are implemented by tracy_stub.cpp, which records calls. */
#ifndef FRAMEALLOC_TRACY_STUB_TRACYC_H
#define FRAMEALLOC_TRACY_STUB_TRACYC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

void ___tracy_emit_memory_alloc_named(const void* ptr, size_t size, int secure, const char* name);
void ___tracy_emit_memory_free_named(const void* ptr, int secure, const char* name);
void ___tracy_emit_plot(const char* name, double val);

#ifdef __cplusplus
}
#endif

#define TracyCAllocN(ptr, size, name) ___tracy_emit_memory_alloc_named(ptr, size, 0, name);
#define TracyCFreeN(ptr, name) ___tracy_emit_memory_free_named(ptr, 0, name);
#define TracyCPlot(name, val) ___tracy_emit_plot(name, val);

#endif
