// FA803: a memory kind that a path's [[rules]] forbid (`forbid = ["heap"]` for "src/render/**").
//   frame  frame_alloc, frame_array, ... (what api_model calls a frame source)
//   pool   smart_alloc::pool_alloc / try_pool_alloc, allocate on a pool_resource
//   heap   smart_alloc::heap_alloc / try_heap_alloc, allocate on a heap_resource, a non-placement new
#include "api_model.hpp"
#include "checks.hpp"

#include <clang/AST/ExprCXX.h>

#include <algorithm>

namespace fa {
namespace {

using namespace clang;

// The memory kind an expression allocates, or null.
const char* kind_of(const Stmt* s, std::string& what) {
    if (const auto* n = dyn_cast<CXXNewExpr>(s)) {
        if (n->getNumPlacementArgs() != 0) return nullptr;
        what = "new";
        return "heap";
    }
    if (!isa<CallExpr>(s)) return nullptr;
    if (is_frame_source(cast<Expr>(s), what)) return "frame";
    member_call mc;
    if (!as_member_call(cast<Expr>(s), mc)) return nullptr;
    what = mc.method;
    const bool allocate = mc.method == "allocate";
    if ((mc.owner == "framealloc::smart_alloc" && (mc.method == "pool_alloc" || mc.method == "try_pool_alloc")) ||
        (mc.owner == "framealloc::pool_resource" && allocate))
        return "pool";
    if ((mc.owner == "framealloc::smart_alloc" && (mc.method == "heap_alloc" || mc.method == "try_heap_alloc")) ||
        (mc.owner == "framealloc::heap_resource" && allocate))
        return "heap";
    return nullptr;
}

}  // namespace

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
        const char* kind = kind_of(s, what);
        if (kind == nullptr || std::find(forbidden.begin(), forbidden.end(), kind) == forbidden.end()) continue;
        report(cx, m, "FA803", s->getBeginLoc(),
               std::string(kind) + " memory (" + what + ") in " + relative + ", where " +
                   cx.cfg->file.filename().string() + " [[rules]] forbid it");
    }
}

}  // namespace fa
