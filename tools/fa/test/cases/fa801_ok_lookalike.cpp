// Near miss for FA801: another library's with_tag, and a suppressed experimental tag.
import framealloc;

namespace trace {
template <class F>
void with_tag(const char*, F&& f) { f(); }
}  // namespace trace

void step(framealloc::smart_alloc& alloc) {
    trace::with_tag("gpu-upload", [] {});
    const auto t = alloc.tag("experiment");  // fa: allow FA801 -- local profiling tag, not shipped
}
