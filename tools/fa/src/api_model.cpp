#include "api_model.hpp"

#include <clang/AST/ExprCXX.h>

#include <array>
#include <set>
#include <string_view>

namespace fa {
namespace {

using namespace clang;

std::string qualified(const NamedDecl* d) { return d == nullptr ? std::string() : d->getQualifiedNameAsString(); }

bool one_of(const std::string& s, std::initializer_list<std::string_view> names) {
    for (std::string_view n : names)
        if (s == n) return true;
    return false;
}

}  // namespace

std::string owner_of(const CXXMethodDecl* m) { return m == nullptr ? std::string() : qualified(m->getParent()); }

std::string record_name(QualType t) {
    t = t.getNonReferenceType();
    if (const auto* r = t->getAsCXXRecordDecl()) return qualified(r);
    if (const auto* s = t->getAs<TemplateSpecializationType>())
        if (const auto* td = s->getTemplateName().getAsTemplateDecl()) return qualified(td);
    return {};
}

std::string callee_name(const CallExpr* call) {
    if (const FunctionDecl* f = call->getDirectCallee()) return qualified(f);
    if (const auto* u = dyn_cast<UnresolvedLookupExpr>(call->getCallee()->IgnoreParenImpCasts())) {
        if (u->decls_begin() != u->decls_end()) return qualified(*u->decls_begin());
    }
    return {};
}

const Expr* strip(const Expr* e) {
    while (e != nullptr) {
        if (const auto* c = dyn_cast<ImplicitCastExpr>(e)) {
            if (c->getCastKind() == CK_LValueToRValue && !c->getType()->isPointerType()) return e;
            e = c->getSubExpr();
        } else if (const auto* p = dyn_cast<ParenExpr>(e)) {
            e = p->getSubExpr();
        } else if (const auto* w = dyn_cast<ExprWithCleanups>(e)) {
            e = w->getSubExpr();
        } else if (const auto* m = dyn_cast<MaterializeTemporaryExpr>(e)) {
            e = m->getSubExpr();
        } else if (const auto* b = dyn_cast<CXXBindTemporaryExpr>(e)) {
            e = b->getSubExpr();
        } else if (const auto* f = dyn_cast<FullExpr>(e)) {
            e = f->getSubExpr();
        } else {
            return e;
        }
    }
    return e;
}

bool as_member_call(const Expr* e, member_call& out) {
    e = strip(e);
    if (const auto* m = dyn_cast<CXXMemberCallExpr>(e)) {
        const CXXMethodDecl* method = m->getMethodDecl();
        if (method == nullptr || method->getIdentifier() == nullptr) return false;
        out.method = method->getName().str();
        out.object = m->getImplicitObjectArgument();
        // A call through a base (memory_resource::allocate) is made on the derived object.
        const Expr* derived = out.object ? out.object->IgnoreParenImpCasts() : nullptr;
        std::string own = derived ? record_name(derived->getType()->isPointerType() ? derived->getType()->getPointeeType()
                                                                                   : derived->getType())
                                  : std::string();
        out.owner = own.empty() ? owner_of(method) : own;
        return true;
    }
    if (const auto* c = dyn_cast<CallExpr>(e)) {
        if (const auto* u = dyn_cast<UnresolvedMemberExpr>(c->getCallee()->IgnoreParens())) {
            out.method = u->getMemberName().getAsString();
            out.owner = qualified(u->getNamingClass());
            out.object = u->isImplicitAccess() ? nullptr : u->getBase();
            return !out.owner.empty();
        }
    }
    return false;
}

bool is_frame_source(const Expr* e, std::string& what) {
    member_call c;
    if (!as_member_call(e, c)) return false;
    bool hit = false;
    if (c.owner == "framealloc::smart_alloc")
        hit = one_of(c.method, {"frame_alloc", "try_frame_alloc", "frame_array", "try_frame_array", "frame_alloc_bytes",
                                "try_frame_alloc_bytes", "frame_vector", "frame_string"});
    else if (c.owner == "framealloc::frame_handle")
        hit = one_of(c.method, {"alloc", "array", "bytes"});
    else if (c.owner == "framealloc::frame_resource" || c.owner == "framealloc::frame_arena")
        hit = one_of(c.method, {"allocate", "allocate_inline", "allocate_checked", "try_allocate_inline",
                                "try_allocate_checked"});
    if (hit) what = c.method;
    return hit;
}

const char* memory_kind(const Stmt* s, std::string& what) {
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

const VarDecl* global_target(const Expr* e) {
    e = strip(e);
    while (true) {
        if (const auto* m = dyn_cast<MemberExpr>(e)) {
            if (m->isArrow()) return nullptr;
            e = strip(m->getBase());
        } else if (const auto* a = dyn_cast<ArraySubscriptExpr>(e)) {
            e = strip(a->getBase());
        } else if (const auto* op = dyn_cast<CXXOperatorCallExpr>(e); op && op->getOperator() == OO_Subscript) {
            e = strip(op->getArg(0));
        } else {
            break;
        }
    }
    while (const auto* c = dyn_cast_or_null<CastExpr>(e)) e = strip(c->getSubExpr());
    const auto* d = dyn_cast_or_null<DeclRefExpr>(e);
    const auto* v = d ? dyn_cast<VarDecl>(d->getDecl()) : nullptr;
    return v != nullptr && v->hasGlobalStorage() ? v : nullptr;
}

bool insertion(const Stmt* s, const Expr*& object, const Expr*& value) {
    const auto* c = dyn_cast<CXXMemberCallExpr>(s);
    if (c == nullptr || c->getMethodDecl() == nullptr || c->getNumArgs() == 0) return false;
    static const std::set<std::string> names{"push_back", "emplace_back", "push_front", "emplace_front", "insert",
                                             "emplace", "push", "assign", "append", "insert_or_assign", "try_emplace"};
    if (!names.count(c->getMethodDecl()->getNameAsString())) return false;
    object = c->getImplicitObjectArgument();
    value = c->getArg(c->getNumArgs() - 1);
    return object != nullptr;
}

bool is_end_frame(const Expr* e) {
    member_call c;
    if (!as_member_call(e, c)) return false;
    return (c.owner == "framealloc::smart_alloc" && one_of(c.method, {"end_frame", "end_frame_with_promotions"})) ||
           (c.owner == "framealloc::frame_resource" && c.method == "end_frame") ||
           (c.owner == "framealloc::frame_arena" && c.method == "reset");
}

bool is_begin_frame(const Expr* e) {
    member_call c;
    if (!as_member_call(e, c)) return false;
    return c.owner == "framealloc::smart_alloc" && c.method == "begin_frame";
}

}  // namespace fa
