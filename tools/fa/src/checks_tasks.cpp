// Work handed to other threads.
//   FA701 frame memory captured by a task that outlives the frame (--async-safety)
//   FA702 frame memory or a frame_scope alive across co_await / co_yield (--async-safety)
//   FA210 begin_frame() / end_frame() called inside a task body     (--threading)
//   FA211 frame_barrier::wait_all() with no signal_frame_complete() before it (--threading)
//   FA212 a thread body allocates frame memory with no thread budget, when .fa.toml requires one
#include "api_model.hpp"
#include "checks.hpp"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/ExprConcepts.h>
#include <clang/AST/StmtCXX.h>

#include <set>

namespace fa {
namespace {

using namespace clang;

struct task_launch {
    const Expr* call = nullptr;
    const LambdaExpr* body = nullptr;
    std::string kind;                  // "std::thread"
    const ValueDecl* handle = nullptr; // the thread, future or task group that can wait for it
    bool outlives_always = false;      // fire and forget (task_arena::enqueue, detach())
    bool separate_thread = false;      // std::thread / std::jthread: may run a frame loop of its own
};

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }
bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The local variable a call's result initialises, or null.
const ValueDecl* initialised_by(const function_model& m, const Expr* call) {
    for (const Stmt* s : m.nodes())
        if (const auto* ds = dyn_cast<DeclStmt>(s))
            for (const Decl* d : ds->decls())
                if (const auto* v = dyn_cast<VarDecl>(d); v && v->getInit() && strip(v->getInit()) == call) return v;
    return nullptr;
}

bool launch_of(const function_model& m, const Stmt* s, task_launch& out) {
    if (const auto* c = dyn_cast<CXXConstructExpr>(s)) {
        const std::string type = record_name(c->getType());
        if ((type != "std::thread" && type != "std::jthread") || c->getNumArgs() == 0) return false;
        out = {c, function_model::lambda_of(c->getArg(0)), type, initialised_by(m, c), false, true};
        return out.body != nullptr;
    }
    const auto* call = dyn_cast<CallExpr>(s);
    if (call == nullptr) return false;
    member_call mc;
    if (as_member_call(call, mc)) {
        const bool tbb_group = starts_with(mc.owner, "tbb::") && ends_with(mc.owner, "task_group") && mc.method == "run";
        const bool tbb_enqueue = starts_with(mc.owner, "tbb::") && ends_with(mc.owner, "task_arena") && mc.method == "enqueue";
        const bool frame_group = mc.owner == "framealloc::frame_task_group" && mc.method == "run";
        if (!(tbb_group || tbb_enqueue || frame_group) || call->getNumArgs() == 0) return false;
        out = {call, function_model::lambda_of(call->getArg(0)), mc.owner + "::" + mc.method,
               function_model::named(mc.object), tbb_enqueue, false};
        if (frame_group) out.handle = nullptr, out.kind = "framealloc::frame_task_group::run";
        return out.body != nullptr;
    }
    const std::string callee = callee_name(call);
    if (callee == "std::async") {
        for (const Expr* arg : call->arguments())
            if (const LambdaExpr* l = function_model::lambda_of(arg)) {
                out = {call, l, callee, initialised_by(m, call), false, false};
                return true;
            }
        return false;
    }
    if (starts_with(callee, "tbb::") && callee.find("parallel_") != std::string::npos) {
        for (const Expr* arg : call->arguments())
            if (const LambdaExpr* l = function_model::lambda_of(arg)) {
                out = {call, l, callee, nullptr, false, false};
                return true;
            }
    }
    return false;
}

// A call of one of `methods` on `handle` (join, wait, get).
bool waits_between(const function_model& m, const ValueDecl* handle, SourceLocation from, SourceLocation to) {
    for (const Stmt* s : m.nodes()) {
        member_call mc;
        if (!isa<Expr>(s) || !as_member_call(cast<Expr>(s), mc)) continue;
        if (mc.method != "join" && mc.method != "wait" && mc.method != "get") continue;
        if (function_model::named(mc.object) != handle) continue;
        if (m.before(from, s->getBeginLoc()) && m.before(s->getBeginLoc(), to)) return true;
    }
    return false;
}

bool detached(const function_model& m, const task_launch& t) {
    for (const Stmt* s : m.nodes()) {
        member_call mc;
        if (!isa<Expr>(s) || !as_member_call(cast<Expr>(s), mc) || mc.method != "detach") continue;
        const Expr* object = strip(mc.object);
        if (const auto* cast = dyn_cast_or_null<CXXFunctionalCastExpr>(object)) object = strip(cast->getSubExpr());
        if ((t.handle != nullptr && function_model::named(mc.object) == t.handle) || object == t.call) return true;
    }
    return false;
}

// The end_frame() that runs while the task may still run, or null.
const Stmt* end_while_running(const function_model& m, const task_launch& t) {
    if (t.handle == nullptr) return nullptr;
    const CompoundStmt* scope = nullptr;
    for (const Stmt* s : m.nodes())
        if (const auto* ds = dyn_cast<DeclStmt>(s))
            for (const Decl* d : ds->decls())
                if (d == t.handle) m.statement_of(ds, &scope);
    for (const Stmt* s : m.nodes()) {
        if (!isa<CallExpr>(s) || !is_end_frame(cast<Expr>(s)) || !m.before(t.call->getEndLoc(), s->getBeginLoc())) continue;
        if (scope != nullptr && !m.is_inside(s, scope)) continue;  // the handle joined (was destroyed) before
        if (!waits_between(m, t.handle, t.call->getEndLoc(), s->getBeginLoc())) return s;
    }
    return nullptr;
}

void captured_frame_memory(const function_model& m, const check_context& cx, const task_launch& t) {
    std::string why;
    if (t.outlives_always) {
        why = "is never waited for";
    } else if (detached(m, t)) {
        why = "is detached";
    } else if (const Stmt* end = end_while_running(m, t)) {
        why = "may still run when end_frame() at line " + std::to_string(m.position(end->getBeginLoc()).line) +
              " releases it";
    } else {
        return;
    }
    for (const LambdaCapture& c : t.body->captures()) {
        if (!c.capturesVariable()) continue;
        const ValueDecl* v = c.getCapturedVar();
        const frame_origin* o = m.frame_variable(v);
        if (o == nullptr) continue;
        const bool by_ref = c.getCaptureKind() == LCK_ByRef;
        const bool pointer = v->getType()->isPointerType() || v->getType()->isReferenceType() ||
                             record_name(v->getType()) == "std::span" || record_name(v->getType()) == "std::basic_string_view";
        if (!by_ref && !pointer) continue;
        const SourceLocation at = c.isImplicit() ? t.body->getBeginLoc() : c.getLocation();
        report(cx, m, "FA701", at,
               "frame memory '" + v->getNameAsString() + "' captured " + (by_ref ? "by reference" : "as a pointer") +
                   " in a " + t.kind + " task that " + why,
               o, "frame memory allocated here (" + o->what + ")");
    }
}

// Whether `e` names an allocator declared outside `body` (so the task drives someone else's frame).
bool outer_object(const function_model&, const Expr* object, const LambdaExpr* body) {
    if (object == nullptr) return true;
    const Expr* o = strip(object);
    while (const auto* mem = dyn_cast<MemberExpr>(o)) o = strip(mem->getBase());
    if (isa<CXXThisExpr>(o)) return true;
    const ValueDecl* d = function_model::named(o);
    if (d == nullptr) return false;
    const SourceRange r = body->getSourceRange();
    return !(r.getBegin() <= d->getLocation() && d->getLocation() <= r.getEnd());
}

void frame_calls_in_task(const function_model& m, const check_context& cx, const task_launch& t) {
    if (t.separate_thread) return;  // a thread may own a frame loop of its own allocator
    for (const Stmt* s : m.nodes()) {
        if (!isa<CallExpr>(s) || !m.is_inside(s, t.body)) continue;
        const Expr* e = cast<Expr>(s);
        const bool end = is_end_frame(e);
        if (!end && !is_begin_frame(e)) continue;
        member_call mc;
        as_member_call(e, mc);
        if (!outer_object(m, mc.object, t.body)) continue;
        frame_origin o{t.call->getBeginLoc(), t.kind};
        report(cx, m, "FA210", e->getExprLoc(),
               std::string(end ? "end_frame()" : "begin_frame()") + " called inside a " + t.kind +
                   " task body: the frame's boundary belongs to the thread that runs the frame loop",
               &o, "task started here");
    }
}

void barrier_without_signal(const function_model& m, const check_context& cx) {
    for (const Stmt* s : m.nodes()) {
        member_call mc;
        if (!isa<CallExpr>(s) || !as_member_call(cast<Expr>(s), mc) || mc.owner != "framealloc::frame_barrier") continue;
        const auto* call = cast<CallExpr>(s);
        const bool bare_wait = (mc.method == "wait_all" && call->getNumArgs() == 0) ||
                               (mc.method == "wait_all_for" && call->getNumArgs() == 1);
        if (!bare_wait) continue;
        const Expr* object = strip(mc.object);
        const ValueDecl* barrier = function_model::named(object);
        if (barrier == nullptr)
            if (const auto* mem = dyn_cast_or_null<MemberExpr>(object)) barrier = mem->getMemberDecl();
        bool signalled = false;
        for (const Stmt* x : m.nodes()) {
            member_call other;
            if (!isa<Expr>(x) || !as_member_call(cast<Expr>(x), other) || other.owner != "framealloc::frame_barrier") continue;
            if (other.method != "signal_frame_complete" || !m.before(x->getBeginLoc(), s->getBeginLoc())) continue;
            const Expr* oo = strip(other.object);
            const ValueDecl* d = function_model::named(oo);
            if (d == nullptr)
                if (const auto* mem = dyn_cast_or_null<MemberExpr>(oo)) d = mem->getMemberDecl();
            if (d == barrier) signalled = true;
        }
        if (signalled) continue;
        report(cx, m, "FA211", call->getExprLoc(),
               "wait_all() on a frame_barrier this function never signalled: call signal_frame_complete() first");
    }
}

// A std::thread / std::jthread body that allocates frame memory before (or without) setting its
// thread's frame budget.
void unbudgeted_thread(const function_model& m, const check_context& cx, const task_launch& t) {
    if (!t.separate_thread || cx.cfg == nullptr || !cx.cfg->require_thread_budget) return;
    for (const Stmt* s : m.nodes()) {
        std::string what;
        if (!isa<CallExpr>(s) || !m.is_inside(s, t.body) || !is_frame_source(cast<Expr>(s), what)) continue;
        bool budgeted = false;
        for (const Stmt* b : m.nodes()) {
            member_call mc;
            if (isa<CallExpr>(b) && m.is_inside(b, t.body) && as_member_call(cast<Expr>(b), mc) &&
                mc.owner == "framealloc::smart_alloc" && mc.method == "set_thread_frame_budget" &&
                m.before(b->getBeginLoc(), s->getBeginLoc()))
                budgeted = true;
        }
        if (budgeted) continue;
        frame_origin o{t.call->getBeginLoc(), t.kind};
        report(cx, m, "FA212", cast<Expr>(s)->getExprLoc(),
               "frame memory allocated (" + what + ") on a " + t.kind +
                   " with no thread frame budget: call set_thread_frame_budget() first in the thread body",
               &o, "thread started here");
        return;  // one finding per thread body
    }
}

// Frame memory used after a suspension point, or a frame_scope whose block spans one: the coroutine may
// resume after end_frame(), in another frame, on another thread.
void across_suspension(const function_model& m, const check_context& cx) {
    for (const Stmt* suspend : m.nodes()) {
        const auto* await = dyn_cast<CoroutineSuspendExpr>(suspend);
        if (await == nullptr || (isa<CoawaitExpr>(await) && cast<CoawaitExpr>(await)->isImplicit())) continue;
        const char* word = isa<CoyieldExpr>(await) ? "co_yield" : "co_await";
        const unsigned line = m.position(await->getBeginLoc()).line;
        std::set<const ValueDecl*> reported;
        for (const Stmt* s : m.nodes()) {
            if (const auto* ds = dyn_cast<DeclStmt>(s)) {
                for (const Decl* d : ds->decls()) {
                    const auto* v = dyn_cast<VarDecl>(d);
                    if (v == nullptr || record_name(v->getType()) != "framealloc::frame_scope") continue;
                    const CompoundStmt* block = nullptr;
                    m.statement_of(ds, &block);
                    if (block == nullptr || !m.is_inside(await, block) || !m.before(ds->getEndLoc(), await->getBeginLoc()))
                        continue;
                    frame_origin o{v->getLocation(), "frame_scope"};
                    report(cx, m, "FA702", await->getBeginLoc(),
                           std::string("frame_scope '") + v->getNameAsString() + "' is alive across " + word +
                               ": the coroutine may resume in another frame, where the scope's release rewinds the wrong arena",
                           &o, "scope opened here");
                }
                continue;
            }
            const auto* ref = dyn_cast<DeclRefExpr>(s);
            if (ref == nullptr || !m.before(await->getEndLoc(), ref->getBeginLoc())) continue;
            const ValueDecl* v = ref->getDecl();
            const frame_origin* o = m.frame_variable(v);
            if (o == nullptr || reported.count(v) || !m.before(o->where, await->getBeginLoc()) ||
                !m.before(v->getLocation(), await->getBeginLoc()))
                continue;
            // The use must follow the suspension on its path: both in one block, the use after it.
            const CompoundStmt* block = nullptr;
            const Stmt* statement = m.statement_of(await, &block);
            if (statement == nullptr || !m.is_inside(ref, block)) continue;
            reported.insert(v);
            report(cx, m, "FA702", ref->getLocation(),
                   "frame memory '" + v->getNameAsString() + "' used after " + word + " at line " + std::to_string(line) +
                       ": the coroutine may resume after end_frame()",
                   o, "frame memory allocated here (" + o->what + ")");
        }
    }
}

}  // namespace

void check_tasks(const function_model& m, const check_context& cx) {
    for (const Stmt* s : m.nodes()) {
        task_launch t;
        if (!launch_of(m, s, t)) continue;
        if (cx.families & family_async) captured_frame_memory(m, cx, t);
        if (cx.families & family_threading) frame_calls_in_task(m, cx, t);
        if (cx.families & family_threading) unbudgeted_thread(m, cx, t);
    }
    if (cx.families & family_threading) barrier_without_signal(m, cx);
    if (cx.families & family_async) across_suspension(m, cx);
}

}  // namespace fa
