// Allocation in loops whose trip count depends on data.
//   FA607 (--dirtymem) scratch frame memory allocated per iteration of a data-dependent loop with no
//         frame_scope in the loop body and no budget set before it: the frame grows with the data
//   FA301 (--budgets)  frame or pool allocation in a loop bounded from outside the function (a parameter,
//         a member, a global) with no budget set before it and, for frame memory, no frame_scope
#include "api_model.hpp"
#include "checks.hpp"
#include "loop_bounds.hpp"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <set>

namespace fa {
namespace {

using namespace clang;

// The variable at the root of an assignment target or container (`out`, `out[i]`, `s.items`), or null.
const ValueDecl* root_of(const Expr* e) {
    e = strip(e);
    while (true) {
        if (const auto* m = dyn_cast<MemberExpr>(e)) {
            if (isa<CXXThisExpr>(strip(m->getBase()))) return m->getMemberDecl();
            e = strip(m->getBase());
        } else if (const auto* a = dyn_cast<ArraySubscriptExpr>(e)) {
            e = strip(a->getBase());
        } else if (const auto* op = dyn_cast<CXXOperatorCallExpr>(e);
                   op && op->getNumArgs() >= 1 && (op->getOperator() == OO_Subscript || op->getOperator() == OO_Star)) {
            e = strip(op->getArg(0));
        } else if (const auto* u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_Deref) {
            e = strip(u->getSubExpr());
        } else {
            break;
        }
    }
    return function_model::named(e);
}

bool declared_in(const ValueDecl* v, const Stmt* loop) {
    if (v == nullptr || isa<FieldDecl>(v)) return false;
    const SourceRange r = loop->getSourceRange();
    return r.getBegin() <= v->getLocation() && v->getLocation() <= r.getEnd();
}

// Whether the frame memory allocated at `where` is kept past the iteration: stored into (or inserted in)
// something declared outside the loop, or returned.
bool kept_past_iteration(const function_model& m, const Stmt* loop, SourceLocation where) {
    const auto from_here = [&](const Expr* value) {
        frame_origin o;
        return value != nullptr && m.frame_expr(value, &o) && o.where == where;
    };
    for (const Stmt* s : m.nodes()) {
        if (!m.is_inside(s, loop)) continue;
        const Expr* target = nullptr;
        const Expr* value = nullptr;
        if (const auto* b = dyn_cast<BinaryOperator>(s); b && b->isAssignmentOp()) {
            target = b->getLHS(), value = b->getRHS();
        } else if (const auto* op = dyn_cast<CXXOperatorCallExpr>(s); op && op->getOperator() == OO_Equal && op->getNumArgs() == 2) {
            target = op->getArg(0), value = op->getArg(1);
        } else if (const auto* r = dyn_cast<ReturnStmt>(s)) {
            if (from_here(r->getRetValue())) return true;
            continue;
        } else if (!insertion(s, target, value)) {
            continue;
        }
        if (from_here(value) && !declared_in(root_of(target), loop)) return true;
    }
    return false;
}

// `(void)alloc.frame_alloc_bytes(n)`: an allocation made only to take memory (a test or a scenario that
// fills the frame on purpose), not scratch memory of the iteration.
bool discarded_on_purpose(const function_model& m, const Stmt* alloc) {
    for (const Stmt* p = m.parent(alloc); p != nullptr; p = m.parent(p)) {
        const auto* cast = dyn_cast<ExplicitCastExpr>(p);
        if (cast != nullptr && cast->getCastKind() == CK_ToVoid) return true;
        if (!isa<ImplicitCastExpr>(p) && !isa<ParenExpr>(p) && !isa<ExprWithCleanups>(p) && !isa<MaterializeTemporaryExpr>(p) &&
            !isa<CXXBindTemporaryExpr>(p))
            return false;
    }
    return false;
}

// A tag in force around `alloc`: a scoped_tag declared before it in an enclosing block, or a with_tag
// callable it is written in. Tag budgets are set where the tags are declared (at start-up): the
// analysis counts the tag as the budget in force.
bool tagged(const function_model& m, const Stmt* alloc) {
    for (const Stmt* p = m.parent(alloc); p != nullptr; p = m.parent(p)) {
        if (const auto* c = dyn_cast<CompoundStmt>(p)) {
            for (const Stmt* child : c->body()) {
                if (!m.before(child->getEndLoc(), alloc->getBeginLoc())) break;
                if (const auto* ds = dyn_cast<DeclStmt>(child))
                    for (const Decl* d : ds->decls())
                        if (const auto* v = dyn_cast<VarDecl>(d); v && record_name(v->getType()) == "framealloc::scoped_tag")
                            return true;
            }
        }
        if (const auto* call = dyn_cast<CallExpr>(p)) {
            member_call mc;
            if ((as_member_call(call, mc) && mc.owner == "framealloc::smart_alloc" && mc.method == "with_tag") ||
                callee_name(call) == "framealloc::with_tag")
                return true;
        }
    }
    return false;
}

bool sets_budget(const Stmt* s) {
    if (!isa<CallExpr>(s)) return false;
    static const std::set<std::string> setters{"set_thread_frame_budget", "set_thread_pool_budget", "set_global_budget",
                                               "set_tag_budget"};
    member_call mc;
    if (as_member_call(cast<Expr>(s), mc)) return mc.owner == "framealloc::smart_alloc" && setters.count(mc.method) != 0;
    const std::string callee = callee_name(cast<CallExpr>(s));
    return callee.rfind("framealloc::", 0) == 0 && setters.count(callee.substr(12)) != 0;
}

bool budget_before(const function_model& m, SourceLocation at) {
    for (const Stmt* s : m.nodes())
        if (sets_budget(s) && m.before(s->getBeginLoc(), at)) return true;
    return false;
}

void hot_loop(const function_model& m, const check_context& cx, const Stmt* alloc, const std::string& what,
              const std::vector<const Stmt*>& loops) {
    for (const Stmt* loop : loops) {
        if (frame_loop(m, loop) || scoped_in_loop(m, loop, alloc)) return;
        const loop_bound bound = bound_of(m, loop);
        if (bound.kind == trip_count::constant) continue;
        if (discarded_on_purpose(m, alloc) || kept_past_iteration(m, loop, cast<Expr>(alloc)->getExprLoc()) ||
            budget_before(m, alloc->getBeginLoc()))
            return;
        frame_origin o{loop->getBeginLoc(), "loop"};
        report(cx, m, "FA607", cast<Expr>(alloc)->getExprLoc(),
               "frame memory (" + what + ") allocated on every iteration of a loop whose trip count depends on " +
                   (bound.source.empty() ? std::string("data") : bound.source) +
                   ", with no frame_scope in the loop body: the frame grows with the data",
               &o, "the loop starts here");
        return;
    }
}

void unbounded_loop(const function_model& m, const check_context& cx, const Stmt* alloc, const char* kind,
                    const std::string& what, const std::vector<const Stmt*>& loops) {
    const bool frame = std::string(kind) == "frame";
    for (const Stmt* loop : loops) {
        if (frame && (frame_loop(m, loop) || scoped_in_loop(m, loop, alloc))) return;
        const loop_bound bound = bound_of(m, loop);
        if (bound.kind != trip_count::external) continue;
        if (budget_before(m, alloc->getBeginLoc()) || tagged(m, alloc)) return;
        frame_origin o{loop->getBeginLoc(), "loop"};
        report(cx, m, "FA301", cast<Expr>(alloc)->getExprLoc(),
               std::string(kind) + " allocation (" + what + ") in a loop bounded by " + bound.source +
                   ", with no budget set before it" + (frame ? " and no frame_scope in the loop" : "") +
                   ": the input decides how much memory the loop takes",
               &o, "the loop starts here");
        return;
    }
}

}  // namespace

void check_loops(const function_model& m, const check_context& cx) {
    const bool lifetime = (cx.families & family_lifetime) != 0;
    const bool budgets = (cx.families & family_budgets) != 0;
    if (!lifetime && !budgets) return;
    for (const Stmt* s : m.nodes()) {
        std::string what;
        const char* kind = isa<CallExpr>(s) ? memory_kind(s, what) : nullptr;
        if (kind == nullptr || std::string(kind) == "heap") continue;
        const std::vector<const Stmt*> loops = enclosing_loops(m, s);
        if (loops.empty()) continue;
        if (lifetime && std::string(kind) == "frame") hot_loop(m, cx, s, what, loops);
        if (budgets) unbounded_loop(m, cx, s, kind, what, loops);
    }
}

}  // namespace fa
