// FA606 (--dirtymem): frame memory returned to a caller when the frame it lives in belongs to the
// returning function, so the caller gets it released or about to be released:
//   - it was allocated while a frame_scope of this function is alive around the return (the scope
//     rewinds the arena as the function returns);
//   - it comes from an allocator (smart_alloc, frame_resource, frame_arena) that is a local object of
//     the function (destroyed as the function returns);
//   - the function runs the frame (calls begin_frame() or end_frame()) and returns the memory with no
//     end_frame() before the return (after one, FA603 reports the use).
// A helper that allocates from an allocator it was given and returns the memory, inside the caller's
// frame, is the intended pattern and is not reported. Returns inside lambdas belong to the lambda.
#include "api_model.hpp"
#include "checks.hpp"

#include <clang/AST/ExprCXX.h>

namespace fa {
namespace {

using namespace clang;

bool in_lambda(const function_model& m, const Stmt* s) {
    for (const Stmt* p = m.parent(s); p != nullptr; p = m.parent(p))
        if (isa<LambdaExpr>(p)) return true;
    return false;
}

// The frame source call at `where`.
const Expr* allocation_at(const function_model& m, SourceLocation where) {
    for (const Stmt* s : m.nodes()) {
        std::string what;
        if (isa<CallExpr>(s) && cast<Expr>(s)->getExprLoc() == where && is_frame_source(cast<Expr>(s), what))
            return cast<Expr>(s);
    }
    return nullptr;
}

// The allocator object of a frame source call when it is a local object (not a reference) of the function.
const VarDecl* local_allocator(const Expr* alloc) {
    member_call mc;
    if (alloc == nullptr || !as_member_call(alloc, mc) || mc.object == nullptr) return nullptr;
    const auto* v = dyn_cast_or_null<VarDecl>(function_model::named(mc.object));
    if (v == nullptr || !v->hasLocalStorage() || isa<ParmVarDecl>(v) || v->getType()->isReferenceType() ||
        v->getType()->isPointerType())
        return nullptr;
    return v;
}

// A frame_scope variable declared after `alloc`'s block opened and before it, alive at `ret`.
const VarDecl* scope_around(const function_model& m, const Stmt* alloc, const Stmt* ret) {
    for (const Stmt* s : m.nodes()) {
        const auto* ds = dyn_cast<DeclStmt>(s);
        if (ds == nullptr || in_lambda(m, ds) || !m.before(ds->getEndLoc(), alloc->getBeginLoc())) continue;
        for (const Decl* d : ds->decls()) {
            const auto* v = dyn_cast<VarDecl>(d);
            if (v == nullptr || record_name(v->getType()) != "framealloc::frame_scope") continue;
            const CompoundStmt* block = nullptr;
            (void)m.statement_of(ds, &block);
            if (block != nullptr && m.is_inside(alloc, block) && m.is_inside(ret, block)) return v;
        }
    }
    return nullptr;
}

// Whether the function calls begin_frame() / end_frame(), and whether an end_frame() precedes `ret`.
void frame_calls(const function_model& m, const Stmt* ret, bool& runs_frame, bool& ended_before) {
    runs_frame = ended_before = false;
    for (const Stmt* s : m.nodes()) {
        if (!isa<CallExpr>(s) || in_lambda(m, s)) continue;
        const bool end = is_end_frame(cast<Expr>(s));
        if (!end && !is_begin_frame(cast<Expr>(s))) continue;
        runs_frame = true;
        if (end && m.before(s->getBeginLoc(), ret->getBeginLoc())) ended_before = true;
    }
}

}  // namespace

void check_returned(const function_model& m, const check_context& cx) {
    if ((cx.families & family_lifetime) == 0) return;
    for (const Stmt* s : m.nodes()) {
        const auto* ret = dyn_cast<ReturnStmt>(s);
        if (ret == nullptr || ret->getRetValue() == nullptr || in_lambda(m, ret)) continue;
        frame_origin o;
        if (!m.frame_expr(ret->getRetValue(), &o)) continue;
        const Expr* alloc = allocation_at(m, o.where);
        std::string why;
        if (const VarDecl* v = local_allocator(alloc)) {
            why = "its allocator '" + v->getNameAsString() + "' is a local object destroyed as the function returns";
        } else if (const VarDecl* scope = alloc ? scope_around(m, alloc, ret) : nullptr) {
            why = "frame_scope '" + scope->getNameAsString() + "' releases it as the function returns";
        } else {
            bool runs_frame = false;
            bool ended_before = false;
            frame_calls(m, ret, runs_frame, ended_before);
            if (!runs_frame || ended_before) continue;
            why = "this function runs the frame (begin_frame / end_frame), so the caller holds memory of a frame "
                  "it does not own";
        }
        report(cx, m, "FA606", ret->getReturnLoc(), "frame memory returned to the caller: " + why, &o,
               "frame memory allocated here (" + o.what + ")");
    }
}

}  // namespace fa
