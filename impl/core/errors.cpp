// Out-of-line throw helpers of framealloc.core: callers on hot paths stay a compare and a jump.
module;
#include <cstddef>
#include <new>
#include <string>
#include <string_view>
module framealloc.core;

namespace framealloc {

void throw_bad_alloc() { throw std::bad_alloc(); }

void throw_invalid_alignment(std::size_t alignment) { throw invalid_alignment(alignment); }

void throw_frame_error(std::string_view code, const char* message) { throw frame_error(code, message); }

}  // namespace framealloc
