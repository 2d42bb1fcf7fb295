// FA6xx: frame memory that outlives its frame.
//   FA601 stored in a global or static variable (also by a function of this file it is passed to)
//   FA602 stored in a member of `this`
//   FA603 used after end_frame() (or a call of a function of this file that ends the frame)
//   FA604 a frame-loop path skips end_frame()
//   FA605 a frame_scope / scoped_tag temporary destroyed at once
#include "api_model.hpp"
#include "checks.hpp"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <set>

namespace fa {
namespace {

using namespace clang;

// The member of `this` an assignment target names (`member_`, `this->a.b`), or null.
const FieldDecl* this_member(const Expr* e) {
    e = strip(e);
    const FieldDecl* field = nullptr;
    while (const auto* m = dyn_cast<MemberExpr>(e)) {
        if (const auto* f = dyn_cast<FieldDecl>(m->getMemberDecl())) field = f;
        const Expr* base = strip(m->getBase());
        if (isa<CXXThisExpr>(base)) return field;
        if (m->isArrow()) return nullptr;
        e = base;
    }
    return nullptr;
}

void store(const function_model& m, const check_context& cx, const Expr* target, const Expr* value, SourceLocation at) {
    frame_origin o;
    if (!function_model::reference_like(value->getType()) || !m.frame_expr(value, &o)) return;
    if (const VarDecl* g = global_target(target)) {
        report(cx, m, "FA601", at,
               "frame memory stored in '" + g->getNameAsString() + "', which has static storage and outlives the frame", &o,
               "frame memory allocated here (" + o.what + ")");
    } else if (const FieldDecl* f = this_member(target)) {
        report(cx, m, "FA602", at,
               "frame memory stored in member '" + f->getNameAsString() + "' of an object that outlives the frame", &o,
               "frame memory allocated here (" + o.what + ")");
    }
}

// A call that passes frame memory to a function of this translation unit that stores that parameter in a
// global or static.
void stored_by_callee(const function_model& m, const check_context& cx, const CallExpr* call) {
    if (cx.summary == nullptr || isa<CXXOperatorCallExpr>(call)) return;
    auto it = cx.summary->stores_param.find(tu_summary::callee_of(call));
    if (it == cx.summary->stores_param.end()) return;
    for (const auto& [index, global] : it->second) {
        frame_origin o;
        if (index >= call->getNumArgs() || !function_model::reference_like(call->getArg(index)->getType()) ||
            !m.frame_expr(call->getArg(index), &o))
            continue;
        report(cx, m, "FA601", call->getArg(index)->getExprLoc(),
               "frame memory passed to '" + call->getDirectCallee()->getNameAsString() + "', which stores it in '" + global +
                   "' (static storage, outlives the frame)",
               &o, "frame memory allocated here (" + o.what + ")");
    }
}

void escapes(const function_model& m, const check_context& cx) {
    for (const Stmt* s : m.nodes()) {
        if (const auto* call = dyn_cast<CallExpr>(s)) stored_by_callee(m, cx, call);
        if (const auto* b = dyn_cast<BinaryOperator>(s); b && b->getOpcode() == BO_Assign) {
            store(m, cx, b->getLHS(), b->getRHS(), b->getOperatorLoc());
        } else if (const auto* op = dyn_cast<CXXOperatorCallExpr>(s); op && op->getOperator() == OO_Equal && op->getNumArgs() == 2) {
            store(m, cx, op->getArg(0), op->getArg(1), op->getOperatorLoc());
        } else if (const auto* ds = dyn_cast<DeclStmt>(s)) {
            for (const Decl* d : ds->decls())
                if (const auto* v = dyn_cast<VarDecl>(d); v && v->isStaticLocal() && v->getInit() &&
                                                           function_model::reference_like(v->getType())) {
                    frame_origin o;
                    if (m.frame_expr(v->getInit(), &o))
                        report(cx, m, "FA601", v->getLocation(),
                               "frame memory stored in static '" + v->getNameAsString() + "', which outlives the frame", &o,
                               "frame memory allocated here (" + o.what + ")");
                }
        } else {
            const Expr* object = nullptr;
            const Expr* value = nullptr;
            if (insertion(s, object, value)) store(m, cx, object, value, cast<CXXMemberCallExpr>(s)->getExprLoc());
        }
    }
    if (const auto* ctor = dyn_cast<CXXConstructorDecl>(&m.function()))
        for (const CXXCtorInitializer* init : ctor->inits()) {
            frame_origin o;
            if (init->isWritten() && init->isMemberInitializer() &&
                function_model::reference_like(init->getMember()->getType()) && m.frame_expr(init->getInit(), &o))
                report(cx, m, "FA602", init->getSourceLocation(),
                       "frame memory stored in member '" + init->getMember()->getNameAsString() +
                           "' of an object that outlives the frame",
                       &o, "frame memory allocated here (" + o.what + ")");
        }
}

bool assigns(const Stmt* s, const ValueDecl* v) {
    if (const auto* b = dyn_cast<BinaryOperator>(s); b && b->isAssignmentOp()) return function_model::named(b->getLHS()) == v;
    if (const auto* op = dyn_cast<CXXOperatorCallExpr>(s); op && op->getOperator() == OO_Equal)
        return function_model::named(op->getArg(0)) == v;
    return false;
}

// end_frame() itself, or a call of a function of this translation unit that ends the frame.
bool ends_frame(const check_context& cx, const Stmt* s) {
    const auto* call = dyn_cast<CallExpr>(s);
    if (call == nullptr) return false;
    if (is_end_frame(call)) return true;
    return cx.summary != nullptr && cx.summary->ends_frame.count(tu_summary::callee_of(call)) != 0;
}

void use_after_end(const function_model& m, const check_context& cx) {
    for (const Stmt* end : m.nodes()) {
        if (!ends_frame(cx, end)) continue;
        const CompoundStmt* block = nullptr;
        const Stmt* statement = m.statement_of(end, &block);
        if (statement == nullptr) continue;
        std::set<const ValueDecl*> reported;
        for (const Stmt* s : m.nodes()) {
            const auto* ref = dyn_cast<DeclRefExpr>(s);
            if (ref == nullptr || !m.is_inside(ref, block) || m.is_inside(ref, statement)) continue;
            if (!m.before(statement->getEndLoc(), ref->getBeginLoc())) continue;
            const ValueDecl* v = ref->getDecl();
            const frame_origin* o = m.frame_variable(v);
            if (o == nullptr || reported.count(v) || !m.before(o->where, end->getBeginLoc())) continue;
            if (!m.before(v->getLocation(), end->getBeginLoc())) continue;
            // Not the target of an assignment, and not given new memory between end_frame() and the use.
            const Stmt* p = m.parent(ref);
            if (p != nullptr && assigns(p, v)) continue;
            bool renewed = false;
            for (const Stmt* a : m.nodes())
                if (assigns(a, v) && m.before(end->getBeginLoc(), a->getBeginLoc()) && m.before(a->getBeginLoc(), ref->getBeginLoc()))
                    renewed = true;
            if (renewed) continue;
            reported.insert(v);
            report(cx, m, "FA603", ref->getLocation(),
                   "'" + v->getNameAsString() + "' is frame memory used after " +
                       (is_end_frame(cast<Expr>(end)) ? std::string("end_frame()")
                                                      : "'" + cast<CallExpr>(end)->getDirectCallee()->getNameAsString() +
                                                            "' (which ends the frame)") +
                       " at line " +
                       std::to_string(m.position(end->getBeginLoc()).line) + " released it",
                   o, "frame memory allocated here (" + o->what + ")");
        }
    }
}

// The loop or switch a break/continue leaves, or the function for return and throw.
const Stmt* jump_scope(const function_model& m, const Stmt* jump) {
    const bool is_break = isa<BreakStmt>(jump);
    for (const Stmt* p = m.parent(jump); p != nullptr; p = m.parent(p)) {
        if (isa<LambdaExpr>(p)) return p;
        if (isa<ReturnStmt>(jump) || isa<CXXThrowExpr>(jump)) {
            if (isa<CXXTryStmt>(p) && isa<CXXThrowExpr>(jump)) return p;
            continue;
        }
        if (isa<ForStmt>(p) || isa<WhileStmt>(p) || isa<DoStmt>(p) || isa<CXXForRangeStmt>(p)) return p;
        if (is_break && isa<SwitchStmt>(p)) return p;
    }
    return nullptr;
}

void loop_skips_end(const function_model& m, const check_context& cx) {
    for (const Stmt* loop : m.nodes()) {
        const Stmt* body = nullptr;
        if (const auto* f = dyn_cast<ForStmt>(loop)) body = f->getBody();
        else if (const auto* w = dyn_cast<WhileStmt>(loop)) body = w->getBody();
        else if (const auto* d = dyn_cast<DoStmt>(loop)) body = d->getBody();
        else if (const auto* r = dyn_cast<CXXForRangeStmt>(loop)) body = r->getBody();
        const auto* block = dyn_cast_or_null<CompoundStmt>(body);
        if (block == nullptr) continue;
        const Stmt* begin = nullptr;
        const Stmt* end = nullptr;
        for (const Stmt* child : block->body()) {
            const Expr* e = dyn_cast<Expr>(child);
            if (e == nullptr) continue;
            if (begin == nullptr && is_begin_frame(e)) begin = child;
            else if (begin != nullptr && is_end_frame(e)) end = child;
        }
        if (begin == nullptr || end == nullptr) continue;
        for (const Stmt* jump : m.nodes()) {
            if (!(isa<ContinueStmt>(jump) || isa<BreakStmt>(jump) || isa<ReturnStmt>(jump) || isa<CXXThrowExpr>(jump))) continue;
            if (!m.is_inside(jump, block) || !m.before(begin->getEndLoc(), jump->getBeginLoc()) ||
                !m.before(jump->getEndLoc(), end->getBeginLoc()))
                continue;
            const Stmt* scope = jump_scope(m, jump);
            const bool leaves = (isa<ContinueStmt>(jump) || isa<BreakStmt>(jump)) ? scope == loop : scope == nullptr;
            if (!leaves) continue;
            // An end_frame() earlier on the jump's own path (in a block that encloses it) closes the frame.
            bool closed = false;
            for (const Stmt* e : m.nodes()) {
                if (!isa<CallExpr>(e) || !is_end_frame(cast<Expr>(e)) || !m.before(begin->getEndLoc(), e->getBeginLoc()) ||
                    !m.before(e->getEndLoc(), jump->getBeginLoc()))
                    continue;
                const CompoundStmt* holder = nullptr;
                m.statement_of(e, &holder);
                if (holder != nullptr && m.is_inside(jump, holder) && m.is_inside(holder, block)) closed = true;
            }
            if (closed) continue;
            const char* word = isa<ContinueStmt>(jump) ? "continue" : isa<BreakStmt>(jump) ? "break"
                               : isa<ReturnStmt>(jump) ? "return" : "throw";
            frame_origin o{begin->getBeginLoc(), "begin_frame"};
            report(cx, m, "FA604", jump->getBeginLoc(),
                   std::string("'") + word + "' skips end_frame() at line " + std::to_string(m.position(end->getBeginLoc()).line) +
                       ": the frame stays open",
                   &o, "frame begun here");
        }
    }
}

void scope_temporaries(const function_model& m, const check_context& cx) {
    for (const Stmt* s : m.nodes()) {
        if (!isa<CompoundStmt>(s)) continue;
        for (const Stmt* child : cast<CompoundStmt>(s)->body()) {
            const auto* e = dyn_cast<Expr>(child);
            if (e == nullptr) continue;
            e = strip(e);
            if (const auto* v = dyn_cast<CStyleCastExpr>(e); v && v->getCastKind() == CK_ToVoid) e = strip(v->getSubExpr());
            if (const auto* v = dyn_cast<CXXStaticCastExpr>(e); v && v->getCastKind() == CK_ToVoid) e = strip(v->getSubExpr());
            if (!e->isPRValue()) continue;
            const std::string type = record_name(e->getType());
            if (type != "framealloc::frame_scope" && type != "framealloc::scoped_tag") continue;
            const std::string what = type == "framealloc::frame_scope" ? "frame_scope" : "scoped_tag";
            report(cx, m, "FA605", e->getBeginLoc(),
                   "this " + what + " is a temporary destroyed at the end of the statement: it scopes nothing");
        }
    }
}

}  // namespace

void check_lifetime(const function_model& m, const check_context& cx) {
    if ((cx.families & family_lifetime) == 0) return;
    escapes(m, cx);
    use_after_end(m, cx);
    loop_skips_end(m, cx);
    scope_temporaries(m, cx);
}

}  // namespace fa
