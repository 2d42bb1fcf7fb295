// FA803: a memory kind that a path's [[rules]] forbid (`forbid = ["heap"]` for "src/render/**").
//   frame  frame_alloc, frame_array, ... (what api_model calls a frame source)
//   pool   smart_alloc::pool_alloc / try_pool_alloc, allocate on a pool_resource
//   heap   smart_alloc::heap_alloc / try_heap_alloc, allocate on a heap_resource, a non-placement new
#include "api_model.hpp"
#include "checks.hpp"

#include <clang/AST/ExprCXX.h>

#include <algorithm>

namespace fa {

using namespace clang;

void check_memory_kinds(const function_model& m, const check_context& cx) {
    if ((cx.families & family_architecture) == 0 || cx.cfg == nullptr || cx.cfg->rules.empty()) return;
    const std::string relative =
        std::filesystem::path(m.position(m.function().getLocation()).file).lexically_relative(cx.root).generic_string();
    std::vector<std::string> forbidden;
    for (const path_rule& rule : cx.cfg->rules)
        for (const std::string& glob : rule.paths)
            if (glob_match(glob, relative)) forbidden.insert(forbidden.end(), rule.forbid.begin(), rule.forbid.end());
    if (forbidden.empty()) return;
    for (const Stmt* s : m.nodes()) {
        std::string what;
        const char* kind = memory_kind(s, what);
        if (kind == nullptr || std::find(forbidden.begin(), forbidden.end(), kind) == forbidden.end()) continue;
        report(cx, m, "FA803", s->getBeginLoc(),
               std::string(kind) + " memory (" + what + ") in " + relative + ", where " +
                   cx.cfg->file.filename().string() + " [[rules]] forbid it");
    }
}

}  // namespace fa
