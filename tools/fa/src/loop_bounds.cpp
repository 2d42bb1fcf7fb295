#include "loop_bounds.hpp"

#include "api_model.hpp"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <set>

namespace fa {
namespace {

using namespace clang;

bool constant_int(const Expr* e, const ASTContext& context) {
    e = e->IgnoreParenImpCasts();
    return !e->isValueDependent() && e->isIntegerConstantExpr(context);
}

// Whether a range's size is fixed at compile time.
bool constant_range(const Expr* range) {
    const Expr* e = strip(range);
    if (isa<InitListExpr>(e) || isa<CXXStdInitializerListExpr>(e)) return true;
    const QualType t = e->getType().getNonReferenceType();
    if (t->isConstantArrayType()) return true;
    const std::string name = record_name(t);
    return name == "std::array" || name == "std::initializer_list";
}

// Finds where the values of `e` come from: records the first parameter, member or global it reads
// (through locals initialised from one, `depth` levels deep).
void trace(const Expr* e, const std::set<const VarDecl*>& induction, const ASTContext& context, int depth,
           std::string& source) {
    if (e == nullptr || !source.empty() || depth > 4) return;
    std::vector<const Stmt*> stack{e};
    while (!stack.empty() && source.empty()) {
        const Stmt* s = stack.back();
        stack.pop_back();
        if (s == nullptr || isa<LambdaExpr>(s)) continue;
        if (const auto* ref = dyn_cast<DeclRefExpr>(s)) {
            const auto* v = dyn_cast<VarDecl>(ref->getDecl());
            if (v == nullptr || induction.count(v) || v->isConstexpr()) continue;
            if (isa<ParmVarDecl>(v)) {
                source = "parameter '" + v->getNameAsString() + "'";
            } else if (v->hasGlobalStorage() && !v->isStaticLocal()) {
                const bool fixed = v->getType().isConstQualified() && v->getInit() != nullptr &&
                                   constant_int(v->getInit(), context);
                if (!fixed) source = "global '" + v->getNameAsString() + "'";
            } else if (v->hasLocalStorage() && v->getInit() != nullptr) {
                trace(v->getInit(), induction, context, depth + 1, source);
            }
            continue;
        }
        if (const auto* member = dyn_cast<MemberExpr>(s)) {
            if (isa<FieldDecl>(member->getMemberDecl()) && isa<CXXThisExpr>(member->getBase()->IgnoreParenImpCasts())) {
                source = "member '" + member->getMemberDecl()->getNameAsString() + "'";
                continue;
            }
        }
        for (const Stmt* child : s->children()) stack.push_back(child);
    }
}

bool comparison(const Expr* e, const Expr*& lhs, const Expr*& rhs) {
    e = e->IgnoreParenImpCasts();
    if (const auto* b = dyn_cast<BinaryOperator>(e); b && b->isComparisonOp()) {
        lhs = b->getLHS();
        rhs = b->getRHS();
        return true;
    }
    if (const auto* op = dyn_cast<CXXOperatorCallExpr>(e); op && op->getNumArgs() == 2 && op->isComparisonOp()) {
        lhs = op->getArg(0);
        rhs = op->getArg(1);
        return true;
    }
    return false;
}

bool names_induction(const Expr* e, const std::set<const VarDecl*>& induction) {
    const auto* v = dyn_cast_or_null<VarDecl>(function_model::named(e));
    return v != nullptr && induction.count(v) != 0;
}

}  // namespace

const Stmt* loop_body(const Stmt* s) {
    if (const auto* f = dyn_cast<ForStmt>(s)) return f->getBody();
    if (const auto* w = dyn_cast<WhileStmt>(s)) return w->getBody();
    if (const auto* d = dyn_cast<DoStmt>(s)) return d->getBody();
    if (const auto* r = dyn_cast<CXXForRangeStmt>(s)) return r->getBody();
    return nullptr;
}

loop_bound bound_of(const function_model& m, const Stmt* loop) {
    const ASTContext& context = m.context();
    std::set<const VarDecl*> induction;
    const Expr* control = nullptr;
    if (const auto* f = dyn_cast<ForStmt>(loop)) {
        if (const auto* init = dyn_cast_or_null<DeclStmt>(f->getInit()))
            for (const Decl* d : init->decls())
                if (const auto* v = dyn_cast<VarDecl>(d)) induction.insert(v);
        control = f->getCond();
        if (control == nullptr) return {trip_count::local, {}};
        const Expr* lhs = nullptr;
        const Expr* rhs = nullptr;
        if (comparison(control, lhs, rhs) && ((names_induction(lhs, induction) && constant_int(rhs, context)) ||
                                              (names_induction(rhs, induction) && constant_int(lhs, context))))
            return {};
        // An induction variable initialised from outside (`for (int i = first; ...)`) is traced too.
        for (const VarDecl* v : induction) {
            std::string source;
            trace(v->getInit(), {}, context, 1, source);
            if (!source.empty()) return {trip_count::external, source};
        }
    } else if (const auto* r = dyn_cast<CXXForRangeStmt>(loop)) {
        control = r->getRangeInit();
        if (control == nullptr || constant_range(control)) return {};
    } else if (const auto* w = dyn_cast<WhileStmt>(loop)) {
        control = w->getCond();
    } else if (const auto* d = dyn_cast<DoStmt>(loop)) {
        control = d->getCond();
    }
    if (control == nullptr) return {};
    bool value = false;
    if (!isa<CXXForRangeStmt>(loop) && !control->isValueDependent() && control->EvaluateAsBooleanCondition(value, context))
        return value ? loop_bound{trip_count::local, {}} : loop_bound{};
    std::string source;
    trace(control, induction, context, 0, source);
    return source.empty() ? loop_bound{trip_count::local, {}} : loop_bound{trip_count::external, source};
}

std::vector<const Stmt*> enclosing_loops(const function_model& m, const Stmt* s) {
    std::vector<const Stmt*> out;
    for (const Stmt* p = m.parent(s); p != nullptr; p = m.parent(p)) {
        if (isa<LambdaExpr>(p)) break;
        const Stmt* body = loop_body(p);
        // A loop a macro expands to (`do { ... } while (dummy_cond())` in a test macro) is not the code's.
        if (body != nullptr && m.is_inside(s, body) && !p->getBeginLoc().isMacroID()) out.push_back(p);
    }
    return out;
}

bool scoped_in_loop(const function_model& m, const Stmt* loop, const Stmt* s) {
    for (const Stmt* n : m.nodes()) {
        const auto* ds = dyn_cast<DeclStmt>(n);
        if (ds == nullptr || !m.is_inside(ds, loop) || !m.before(ds->getEndLoc(), s->getBeginLoc())) continue;
        for (const Decl* d : ds->decls()) {
            const auto* v = dyn_cast<VarDecl>(d);
            if (v == nullptr || record_name(v->getType()) != "framealloc::frame_scope") continue;
            const CompoundStmt* block = nullptr;
            (void)m.statement_of(ds, &block);
            if (block != nullptr && m.is_inside(s, block)) return true;
        }
    }
    return false;
}

bool frame_loop(const function_model& m, const Stmt* loop) {
    for (const Stmt* n : m.nodes())
        if (isa<CallExpr>(n) && m.is_inside(n, loop) && (is_begin_frame(cast<Expr>(n)) || is_end_frame(cast<Expr>(n))))
            return true;
    return false;
}

}  // namespace fa
