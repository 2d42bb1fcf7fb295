// The free-time checks of every checked resource (modules/core/debug.cppm): double free, foreign
// pointer, size or alignment mismatch, overwritten guard bytes — each worded once.
module;
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
module framealloc.core;

namespace framealloc::detail {

std::string describe_call(const free_site& at) {
    char text[160];
    std::snprintf(text, sizeof text, "%.*sdeallocate(%p, %zu, %zu)", static_cast<int>(at.resource.size()),
                  at.resource.data(), at.p, at.bytes, at.alignment);
    return text;
}

std::string known_as(const void* p, const block_table* own) {
    block_record r;
    if (own != nullptr && own->find_live(p, r)) return "\n" + describe_block(r);
    if (std::string other = describe_anywhere(p, own); !other.empty()) return "\n" + other;
    return {};
}

void fail_double_free(const free_site& at, const block_table& blocks) {
    std::string text = describe_call(at) + ": the " + std::string(at.block_kind) + " is already free";
    if (block_record r; blocks.find_freed(at.p, r))
        text += "\n" + describe_block(r) + "\n  and freed at:\n" + format_trace(r.freed);
    report(codes::double_free, std::move(text), at.action);
}

void fail_foreign(const free_site& at, const block_table& blocks, std::string_view why) {
    report(codes::foreign_pointer, describe_call(at) + ": " + std::string(why) + known_as(at.p, &blocks), at.action);
}

void check_recorded_size(const free_site& at, const block_record& r) {
    if (r.bytes == at.bytes && r.alignment == at.alignment) return;
    report(codes::mismatch(r.bytes, at.bytes),
           describe_call(at) + ": the " + std::string(at.block_kind) + " was allocated with size " +
               std::to_string(r.bytes) + " and alignment " + std::to_string(r.alignment) + "\n" + describe_block(r),
           at.action);
}

void check_guards(const free_site& at, const block_record& r, std::byte* user_begin, std::size_t user_bytes,
                  std::size_t after, std::size_t before) {
    std::size_t first_after = 0;
    std::size_t first_before = 0;
    const std::size_t damaged_after = check_guard(user_begin + user_bytes, after, first_after);
    const std::size_t damaged_before = before == 0 ? 0 : check_guard(user_begin - before, before, first_before);
    if (damaged_after == 0 && damaged_before == 0) return;
    std::string what;
    if (damaged_after != 0)
        what = "written past its end: " + std::to_string(damaged_after) + " of the " + std::to_string(after) +
               " guard bytes after it are overwritten, the first at offset " + std::to_string(user_bytes + first_after);
    if (damaged_before != 0)
        what += std::string(what.empty() ? "" : "; and ") + "written before its start: " +
                std::to_string(damaged_before) + " of the " + std::to_string(before) +
                " canary bytes before it are overwritten";
    report(codes::guard_overrun,
           describe_call(at) + ": the " + std::string(at.block_kind) + " was " + what + "\n" + describe_block(r),
           at.action);
}

block_record check_table_free(const free_site& at, const block_table& blocks) {
    block_record r;
    if (!blocks.find_live(at.p, r)) {
        if (block_record freed; blocks.find_freed(at.p, freed)) fail_double_free(at, blocks);
        if (blocks.lost_count() != 0) {
            r.address = at.p;
            r.bytes = at.bytes;
            r.alignment = at.alignment;
            return r;
        }
        fail_foreign(at, blocks, "the pointer was not allocated by " + std::string(at.owner));
    }
    check_recorded_size(at, r);
    return r;
}

}  // namespace framealloc::detail
