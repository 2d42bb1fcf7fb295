// Hand-off between threads (--threading).
//   FA213 a transfer_handle from frame_box_for_transfer discarded, never received nor handed on, or
//         dropped by a return / throw on some path before it is received or handed on
//   FA214 frame memory handed to another thread other than through frame_box_for_transfer: pushed into a
//         concurrent queue or container, set as a std::promise's value, published through a std::atomic,
//         or passed as an argument to a std::thread / std::jthread / std::async task that can outlive the
//         frame (detached, or end_frame() runs before it is joined), as FA701 judges captures
#include "api_model.hpp"
#include "checks.hpp"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <set>

namespace fa {
namespace {

using namespace clang;

bool is_box_call(const Expr* e) {
    member_call mc;
    return as_member_call(e, mc) && mc.owner == "framealloc::smart_alloc" && mc.method == "frame_box_for_transfer";
}

// Whether `s` is the whole of a statement whose value is thrown away (`alloc.frame_box_for_transfer(x);`).
const Expr* discarded_value(const Stmt* s) {
    const auto* e = dyn_cast<Expr>(s);
    if (e == nullptr) return nullptr;
    e = strip(e);
    if (const auto* v = dyn_cast<CStyleCastExpr>(e); v && v->getCastKind() == CK_ToVoid) e = strip(v->getSubExpr());
    if (const auto* v = dyn_cast<CXXStaticCastExpr>(e); v && v->getCastKind() == CK_ToVoid) e = strip(v->getSubExpr());
    return e;
}

bool in_lambda_below(const function_model& m, const Stmt* s, const Stmt* top) {
    for (const Stmt* p = m.parent(s); p != nullptr && p != top; p = m.parent(p))
        if (isa<LambdaExpr>(p)) return true;
    return false;
}

// A use of the handle that receives it or passes it on: `h.receive()`, `std::move(h)`, `send(h)`, a
// capture of it, `return h`.
bool consumes(const function_model& m, const DeclRefExpr* ref) {
    for (const Stmt* p = m.parent(ref); p != nullptr; p = m.parent(p)) {
        if (const auto* call = dyn_cast<CallExpr>(p)) {
            // A method of the handle itself: only receive() takes the value; any other call that gets the
            // handle as an argument (std::move, a function taking it by reference) may pass it on.
            member_call mc;
            if (as_member_call(call, mc) && function_model::named(mc.object) == ref->getDecl()) return mc.method == "receive";
            return true;
        }
        if (isa<ReturnStmt>(p) || isa<LambdaExpr>(p)) return true;
        if (isa<CompoundStmt>(p)) return false;
    }
    return false;
}

void handle_paths(const function_model& m, const check_context& cx, const DeclStmt* ds, const VarDecl* v) {
    frame_origin o{v->getLocation(), "frame_box_for_transfer"};
    SourceLocation first;
    for (const Stmt* s : m.nodes()) {
        const auto* ref = dyn_cast<DeclRefExpr>(s);
        if (ref == nullptr || ref->getDecl() != v || !consumes(m, ref)) continue;
        if (first.isInvalid() || m.before(ref->getBeginLoc(), first)) first = ref->getBeginLoc();
    }
    // Lambda captures do not show as DeclRefExprs of the outer function: look at capture lists too.
    for (const Stmt* s : m.nodes())
        if (const auto* l = dyn_cast<LambdaExpr>(s))
            for (const LambdaCapture& c : l->captures())
                if (c.capturesVariable() && c.getCapturedVar() == v && (first.isInvalid() || m.before(l->getBeginLoc(), first)))
                    first = l->getBeginLoc();
    if (first.isInvalid()) {
        report(cx, m, "FA213", v->getLocation(),
               "transfer_handle '" + v->getNameAsString() +
                   "' is never received nor handed on: its value is destroyed with it and no thread gets it",
               &o);
        return;
    }
    const CompoundStmt* block = nullptr;
    (void)m.statement_of(ds, &block);
    for (const Stmt* s : m.nodes()) {
        if (!(isa<ReturnStmt>(s) || isa<CXXThrowExpr>(s)) || block == nullptr || !m.is_inside(s, block)) continue;
        if (in_lambda_below(m, s, block) || !m.before(ds->getEndLoc(), s->getBeginLoc()) || !m.before(s->getBeginLoc(), first))
            continue;
        bool passes = false;  // `return h;` / `return std::move(h);` hands it on
        for (const Stmt* r : m.nodes())
            if (const auto* ref = dyn_cast<DeclRefExpr>(r); ref && ref->getDecl() == v && m.is_inside(ref, s)) passes = true;
        if (passes) continue;
        report(cx, m, "FA213", s->getBeginLoc(),
               std::string(isa<ReturnStmt>(s) ? "return" : "throw") + " drops transfer_handle '" + v->getNameAsString() +
                   "' before it is received or handed on",
               &o, "transfer created here");
    }
}

void transfer_handles(const function_model& m, const check_context& cx) {
    for (const Stmt* s : m.nodes()) {
        if (const auto* ds = dyn_cast<DeclStmt>(s)) {
            for (const Decl* d : ds->decls())
                if (const auto* v = dyn_cast<VarDecl>(d);
                    v && v->getInit() && !v->getType()->isReferenceType() && is_box_call(v->getInit()))
                    handle_paths(m, cx, ds, v);
            continue;
        }
        if (!isa<CompoundStmt>(s)) continue;
        for (const Stmt* child : cast<CompoundStmt>(s)->body()) {
            const Expr* e = discarded_value(child);
            if (e != nullptr && is_box_call(e))
                report(cx, m, "FA213", e->getExprLoc(),
                       "the transfer_handle frame_box_for_transfer returns is discarded: the value is destroyed at "
                       "once and no thread receives it");
        }
    }
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// The channel a call hands its last argument to another thread through ("tbb::concurrent_queue::push"), or empty.
std::string channel_of(const Expr* call, const Expr*& value) {
    member_call mc;
    const auto* c = dyn_cast<CallExpr>(call);
    if (c == nullptr || c->getNumArgs() == 0 || !as_member_call(call, mc)) return {};
    static const std::set<std::string> pushes{"push", "try_push", "emplace", "try_emplace", "push_back", "emplace_back"};
    const bool queue = starts_with(mc.owner, "tbb::") && mc.owner.find("concurrent_") != std::string::npos &&
                       pushes.count(mc.method) != 0;
    const bool promise = mc.owner == "std::promise" && mc.method == "set_value";
    const bool atomic = mc.owner == "std::atomic" &&
                        (mc.method == "store" || mc.method == "exchange" || mc.method.rfind("compare_exchange", 0) == 0);
    if (!queue && !promise && !atomic) return {};
    value = c->getArg(atomic && mc.method.rfind("compare_exchange", 0) == 0 ? 1 : (atomic ? 0 : c->getNumArgs() - 1));
    std::string owner = mc.owner;
    if (queue) owner = "tbb::" + owner.substr(owner.rfind("::") + 2);
    return owner + "::" + mc.method;
}

void report_handoff(const function_model& m, const check_context& cx, const Expr* value, const std::string& via) {
    // What crosses is a copy of the argument: a pointer or view still reaches frame memory, a value does not.
    frame_origin o;
    if (value == nullptr || !function_model::reference_like(value->getType().getNonReferenceType()) ||
        !m.frame_expr(value, &o))
        return;
    report(cx, m, "FA214", value->getExprLoc(),
           "frame memory handed to another thread through " + via +
               ": the receiver may use it after end_frame(); hand it over with frame_box_for_transfer",
           &o, "frame memory allocated here (" + o.what + ")");
}

// The variable a thread or future is held in (`std::thread worker(f, p)`, `auto r = std::async(...)`).
const VarDecl* held_in(const function_model& m, const Expr* launch) {
    for (const Stmt* p = m.parent(launch); p != nullptr; p = m.parent(p)) {
        if (const auto* ds = dyn_cast<DeclStmt>(p)) return ds->isSingleDecl() ? dyn_cast<VarDecl>(ds->getSingleDecl()) : nullptr;
        if (!isa<Expr>(p)) return nullptr;
    }
    return nullptr;
}

// Why a thread or async task started at `launch` can outlive the frame: it is detached, or an
// end_frame() follows before it is joined (join / get / wait) or destroyed; empty when it cannot.
std::string outlives_frame(const function_model& m, const Expr* launch) {
    const VarDecl* v = held_in(m, launch);
    const Stmt* end = nullptr;
    for (const Stmt* s : m.nodes()) {
        member_call mc;
        if (!isa<CallExpr>(s)) continue;
        if (as_member_call(cast<Expr>(s), mc) && mc.method == "detach" && mc.object != nullptr &&
            ((v != nullptr && function_model::named(mc.object) == v) || m.is_inside(launch, mc.object)))
            return "is detached";
        if (end == nullptr && is_end_frame(cast<Expr>(s)) && m.before(launch->getEndLoc(), s->getBeginLoc())) end = s;
    }
    if (v == nullptr || end == nullptr) return {};  // a temporary is joined (or waited for) in its statement
    for (const Stmt* s : m.nodes()) {
        member_call mc;
        if (isa<CallExpr>(s) && as_member_call(cast<Expr>(s), mc) && function_model::named(mc.object) == v &&
            (mc.method == "join" || mc.method == "get" || mc.method == "wait") && m.before(launch->getEndLoc(), s->getBeginLoc()) &&
            m.before(s->getBeginLoc(), end->getBeginLoc()))
            return {};
    }
    // A std::thread must be joined; a std::jthread or a future of std::async joins (waits) when destroyed.
    const CompoundStmt* block = nullptr;
    for (const Stmt* p = m.parent(launch); p != nullptr && block == nullptr; p = m.parent(p)) block = dyn_cast<CompoundStmt>(p);
    if (record_name(v->getType()) != "std::thread" && block != nullptr && !m.is_inside(end, block)) return {};
    return "may still run when end_frame() at line " + std::to_string(m.position(end->getBeginLoc()).line) + " releases it";
}

void handoffs(const function_model& m, const check_context& cx) {
    for (const Stmt* s : m.nodes()) {
        if (const auto* c = dyn_cast<CXXConstructExpr>(s)) {
            const std::string type = record_name(c->getType());
            if ((type != "std::thread" && type != "std::jthread") || c->getNumArgs() < 2) continue;
            const std::string why = outlives_frame(m, c);
            if (why.empty()) continue;
            for (unsigned i = 1; i < c->getNumArgs(); ++i)
                report_handoff(m, cx, c->getArg(i), "an argument of a " + type + " that " + why);
            continue;
        }
        const auto* call = dyn_cast<CallExpr>(s);
        if (call == nullptr) continue;
        if (callee_name(call) == "std::async") {
            // std::async(policy, f, args...) or std::async(f, args...): the arguments after the callable.
            unsigned first = 1;
            if (call->getNumArgs() > 0 && call->getArg(0)->getType()->isEnumeralType()) first = 2;
            const std::string why = call->getNumArgs() > first ? outlives_frame(m, call) : std::string();
            if (why.empty()) continue;
            for (unsigned i = first; i < call->getNumArgs(); ++i)
                report_handoff(m, cx, call->getArg(i), "an argument of a std::async task that " + why);
            continue;
        }
        const Expr* value = nullptr;
        const std::string via = channel_of(call, value);
        if (!via.empty()) report_handoff(m, cx, value, via);
    }
}

}  // namespace

void check_transfers(const function_model& m, const check_context& cx) {
    if ((cx.families & family_threading) == 0) return;
    transfer_handles(m, cx);
    handoffs(m, cx);
}

}  // namespace fa
