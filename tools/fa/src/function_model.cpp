#include "function_model.hpp"

#include "api_model.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>

#include <filesystem>

namespace fa {
namespace {

using namespace clang;

// A type through which frame memory can be reached: pointers, references, views and iterators.
bool view_type(QualType t) {
    if (t->isPointerType() || t->isReferenceType() || t->isArrayType()) return true;
    const std::string name = record_name(t);
    return name == "std::span" || name == "std::basic_string_view" || name.find("iterator") != std::string::npos;
}

// Types that carry what they are built from: views, pairs and tuples.
bool carrier_type(QualType t) {
    const std::string name = record_name(t);
    return view_type(t) || name == "std::pair" || name == "std::tuple";
}

bool value_type(QualType t) {
    t = t.getNonReferenceType();
    return t->isArithmeticType() || t->isEnumeralType() || t->isBooleanType() || t->isNullPtrType();
}

}  // namespace

bool function_model::reference_like(QualType t) { return carrier_type(t); }

function_model::function_model(const FunctionDecl& function, ASTContext& context) : function_(function), context_(context) {
    if (const auto* ctor = dyn_cast<CXXConstructorDecl>(&function))
        for (const CXXCtorInitializer* init : ctor->inits())
            if (init->isWritten() && init->getInit() != nullptr) collect(init->getInit(), nullptr);
    const Stmt* body = function.getBody();
    // A coroutine's body is wrapped with the generated promise and suspend points: analyse what was written.
    if (const auto* coroutine = dyn_cast_or_null<CoroutineBodyStmt>(body)) body = coroutine->getBody();
    if (body != nullptr) collect(body, nullptr);
    propagate();
}

void function_model::collect(const Stmt* s, const Stmt* parent) {
    if (s == nullptr) return;
    parents_[s] = parent;
    nodes_.push_back(s);
    for (const Stmt* child : s->children()) collect(child, s);
}

const Stmt* function_model::parent(const Stmt* s) const {
    auto it = parents_.find(s);
    return it == parents_.end() ? nullptr : it->second;
}

bool function_model::is_inside(const Stmt* s, const Stmt* ancestor) const {
    for (; s != nullptr; s = parent(s))
        if (s == ancestor) return true;
    return false;
}

const Stmt* function_model::statement_of(const Stmt* s, const CompoundStmt** block) const {
    for (; s != nullptr; s = parent(s)) {
        if (const auto* c = dyn_cast_or_null<CompoundStmt>(parent(s))) {
            if (block != nullptr) *block = c;
            return s;
        }
    }
    return nullptr;
}

bool function_model::before(SourceLocation a, SourceLocation b) const {
    return context_.getSourceManager().isBeforeInTranslationUnit(a, b);
}

const ValueDecl* function_model::named(const Expr* e) {
    e = strip(e);
    while (const auto* c = dyn_cast_or_null<CastExpr>(e)) e = strip(c->getSubExpr());
    if (const auto* d = dyn_cast_or_null<DeclRefExpr>(e)) return d->getDecl();
    return nullptr;
}

const LambdaExpr* function_model::lambda_of(const Expr* e) {
    e = strip(e);
    while (const auto* c = dyn_cast_or_null<CXXConstructExpr>(e)) {
        if (c->getNumArgs() != 1) break;
        e = strip(c->getArg(0));
    }
    if (const auto* l = dyn_cast_or_null<LambdaExpr>(e)) return l;
    if (const auto* v = dyn_cast_or_null<VarDecl>(named(e)))
        if (v->hasLocalStorage() && v->getInit() != nullptr) return dyn_cast<LambdaExpr>(strip(v->getInit()));
    return nullptr;
}

const frame_origin* function_model::frame_variable(const ValueDecl* d) const {
    auto it = frame_vars_.find(d);
    return it == frame_vars_.end() ? nullptr : &it->second;
}

bool function_model::frame_expr(const Expr* e, frame_origin* origin) const { return frame_expr_at(e, origin, 0); }

bool function_model::frame_expr_at(const Expr* e, frame_origin* origin, int depth) const {
    if (e == nullptr || depth > 16) return false;
    e = strip(e);
    std::string what;
    if (is_frame_source(e, what)) {
        if (origin != nullptr) *origin = frame_origin{e->getExprLoc(), what};
        return true;
    }
    const auto sub = [&](const Expr* x) { return frame_expr_at(x, origin, depth + 1); };
    if (const auto* ref = dyn_cast<DeclRefExpr>(e)) {
        const frame_origin* o = frame_variable(ref->getDecl());
        if (o != nullptr && origin != nullptr) *origin = *o;
        return o != nullptr;
    }
    if (isa<ImplicitCastExpr>(e)) return false;  // a value copied out of frame memory is not frame memory
    if (const auto* c = dyn_cast<ExplicitCastExpr>(e)) return !value_type(c->getType()) && sub(c->getSubExpr());
    if (const auto* u = dyn_cast<UnaryOperator>(e)) {
        switch (u->getOpcode()) {
            case UO_AddrOf: case UO_Deref: case UO_PreInc: case UO_PreDec: case UO_PostInc: case UO_PostDec:
                return sub(u->getSubExpr());
            default: return false;
        }
    }
    if (const auto* b = dyn_cast<BinaryOperator>(e)) {
        if (b->getOpcode() == BO_Comma) return sub(b->getRHS());
        if (!b->getType()->isPointerType()) return false;
        if (b->getOpcode() == BO_Add || b->getOpcode() == BO_Sub || b->isAssignmentOp())
            return (b->getLHS()->getType()->isPointerType() && sub(b->getLHS())) ||
                   (b->getRHS()->getType()->isPointerType() && !b->isAssignmentOp() && sub(b->getRHS())) ||
                   (b->isAssignmentOp() && sub(b->getRHS()));
        return false;
    }
    if (const auto* a = dyn_cast<ArraySubscriptExpr>(e)) return sub(a->getBase());
    if (const auto* m = dyn_cast<MemberExpr>(e)) {
        if (isa<CXXMethodDecl>(m->getMemberDecl())) return false;
        return sub(m->getBase());
    }
    if (const auto* c = dyn_cast<ConditionalOperator>(e)) return sub(c->getTrueExpr()) || sub(c->getFalseExpr());
    if (const auto* op = dyn_cast<CXXOperatorCallExpr>(e)) {
        const auto k = op->getOperator();
        if ((k == OO_Subscript || k == OO_Star || k == OO_Arrow) && op->getNumArgs() >= 1) return sub(op->getArg(0));
        if ((k == OO_Plus || k == OO_Minus) && view_type(op->getType()) && op->getNumArgs() == 2)
            return sub(op->getArg(0));
        return false;
    }
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(e)) {
        if (!view_type(mc->getType())) return false;
        if (isa_and_nonnull<CXXConversionDecl>(mc->getMethodDecl())) return sub(mc->getImplicitObjectArgument());
        const std::string name = mc->getMethodDecl() ? mc->getMethodDecl()->getNameAsString() : "";
        if (name.find("iterator") == std::string::npos && name != "data" && name != "begin" && name != "end" &&
            name != "cbegin" && name != "cend" && name != "c_str" && name != "front" && name != "back" &&
            name != "at" && name != "subspan" && name != "first" && name != "last" && name != "get" &&
            name != "substr")
            return false;
        return sub(mc->getImplicitObjectArgument());
    }
    if (const auto* call = dyn_cast<CallExpr>(e)) {
        const std::string callee = callee_name(call);
        if ((callee == "std::move" || callee == "std::forward" || callee == "std::addressof" ||
             callee == "std::to_address" || callee == "std::as_const") && call->getNumArgs() >= 1)
            return sub(call->getArg(0));
        member_call mcall;
        const bool tag_call = (as_member_call(call, mcall) && mcall.owner == "framealloc::smart_alloc" &&
                               mcall.method == "with_tag") || callee == "framealloc::with_tag";
        if (tag_call && call->getNumArgs() >= 2)
            if (const LambdaExpr* l = lambda_of(call->getArg(call->getNumArgs() - 1))) {
                // with_tag returns what its callable returns: frame memory when the lambda returns some.
                std::vector<const Stmt*> stack{l->getBody()};
                while (!stack.empty()) {
                    const Stmt* s = stack.back();
                    stack.pop_back();
                    if (s == nullptr || isa<LambdaExpr>(s)) continue;
                    if (const auto* r = dyn_cast<ReturnStmt>(s))
                        if (sub(r->getRetValue())) return true;
                    for (const Stmt* c : s->children()) stack.push_back(c);
                }
            }
        return false;
    }
    if (const auto* c = dyn_cast<CXXConstructExpr>(e)) {
        if (carrier_type(c->getType())) {
            for (const Expr* arg : c->arguments())
                if (sub(arg)) return true;
            return false;
        }
        // A container moved from a frame container keeps its frame allocator.
        if (c->getNumArgs() == 1 && c->getConstructor() && c->getConstructor()->isMoveConstructor()) return sub(c->getArg(0));
        return false;
    }
    if (const auto* f = dyn_cast<CXXFunctionalCastExpr>(e)) return !value_type(f->getType()) && sub(f->getSubExpr());
    if (const auto* list = dyn_cast<InitListExpr>(e)) {
        for (const Expr* init : list->inits())
            if (sub(init)) return true;
        return false;
    }
    return false;
}

void function_model::propagate() {
    // Two passes in source order settle chains of aliases declared in order; a third catches the rest.
    for (int pass = 0; pass < 3; ++pass) {
        for (const Stmt* s : nodes_) {
            frame_origin o;
            if (const auto* ds = dyn_cast<DeclStmt>(s)) {
                for (const Decl* d : ds->decls()) {
                    const auto* v = dyn_cast<VarDecl>(d);
                    if (v == nullptr || v->getInit() == nullptr || frame_vars_.count(v) || value_type(v->getType())) continue;
                    if (!frame_expr(v->getInit(), &o)) continue;
                    frame_vars_[v] = o;
                    if (const auto* dd = dyn_cast<DecompositionDecl>(v))
                        for (const BindingDecl* b : dd->bindings())
                            if (!value_type(b->getType()) || v->getType()->isReferenceType()) frame_vars_[b] = o;
                }
            } else if (const auto* loop = dyn_cast<CXXForRangeStmt>(s)) {
                const VarDecl* v = loop->getLoopVariable();
                if (v != nullptr && v->getType()->isReferenceType() && !frame_vars_.count(v) && frame_expr(loop->getRangeInit(), &o))
                    frame_vars_[v] = o;
            } else if (const auto* b = dyn_cast<BinaryOperator>(s)) {
                if (b->getOpcode() != BO_Assign) continue;
                const auto* v = dyn_cast_or_null<VarDecl>(named(b->getLHS()));
                if (v != nullptr && v->hasLocalStorage() && !frame_vars_.count(v) && frame_expr(b->getRHS(), &o))
                    frame_vars_[v] = o;
            } else if (const auto* op = dyn_cast<CXXOperatorCallExpr>(s)) {
                if (op->getOperator() != OO_Equal || op->getNumArgs() != 2) continue;
                const auto* v = dyn_cast_or_null<VarDecl>(named(op->getArg(0)));
                if (v != nullptr && v->hasLocalStorage() && !frame_vars_.count(v) && frame_expr(op->getArg(1), &o))
                    frame_vars_[v] = o;
            } else if (const auto* l = dyn_cast<LambdaExpr>(s)) {
                for (const LambdaCapture& c : l->captures()) {
                    if (!c.capturesVariable()) continue;
                    const auto* v = dyn_cast<VarDecl>(c.getCapturedVar());
                    if (v != nullptr && v->isInitCapture() && !frame_vars_.count(v) && frame_expr(v->getInit(), &o))
                        frame_vars_[v] = o;
                }
            }
        }
    }
}

source_position function_model::position(SourceLocation loc) const {
    const SourceManager& sm = context_.getSourceManager();
    loc = sm.getFileLoc(loc);
    const PresumedLoc p = sm.getPresumedLoc(loc);
    if (p.isInvalid()) return {};
    std::filesystem::path file(p.getFilename());
    std::error_code ec;
    const auto canonical = std::filesystem::weakly_canonical(file, ec);
    return {ec ? file.string() : canonical.string(), p.getLine(), p.getColumn()};
}

}  // namespace fa
