// What framealloc's declarations mean to the checks, recognised by their qualified names (so aliases,
// `using` declarations and wrappers resolve to them, and look-alikes in other namespaces do not).
#pragma once

#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>

#include <string>

namespace fa {

// "framealloc::smart_alloc" for a method of it (or of a class derived from it), else empty.
[[nodiscard]] std::string owner_of(const clang::CXXMethodDecl* m);
// The record a member call or unresolved member call is made on and the method's name.
struct member_call {
    std::string owner;   // qualified class name
    std::string method;  // "frame_alloc"
    const clang::Expr* object = nullptr;  // the implicit object argument
};
[[nodiscard]] bool as_member_call(const clang::Expr* e, member_call& out);

// A call that returns frame memory: smart_alloc::frame_alloc / frame_array / frame_alloc_bytes /
// frame_vector / frame_string (and their try_ forms), frame_handle::alloc / array / bytes, allocate on a
// frame_resource or frame_arena.
[[nodiscard]] bool is_frame_source(const clang::Expr* e, std::string& what);
// The memory kind `s` allocates ("frame", "pool", "heap"; `what` names the call), or null:
//   frame  a frame source (above)
//   pool   smart_alloc::pool_alloc / try_pool_alloc, allocate on a pool_resource
//   heap   smart_alloc::heap_alloc / try_heap_alloc, allocate on a heap_resource, a non-placement new
[[nodiscard]] const char* memory_kind(const clang::Stmt* s, std::string& what);
// smart_alloc::end_frame / end_frame_with_promotions, frame_resource::end_frame, frame_arena::reset.
[[nodiscard]] bool is_end_frame(const clang::Expr* e);
[[nodiscard]] bool is_begin_frame(const clang::Expr* e);
// The global or static variable an assignment target or container lives in (`g`, `g.field`, `g[i]`),
// or null.
[[nodiscard]] const clang::VarDecl* global_target(const clang::Expr* e);
// A container insertion (`v.push_back(x)`, `m.insert_or_assign(k, x)`): its object and inserted argument.
[[nodiscard]] bool insertion(const clang::Stmt* s, const clang::Expr*& object, const clang::Expr*& value);
// The record type's qualified name ("framealloc::frame_scope"), or empty.
[[nodiscard]] std::string record_name(clang::QualType t);
// A qualified function name for a free function call ("std::async"), or empty.
[[nodiscard]] std::string callee_name(const clang::CallExpr* call);

// Strips parentheses, implicit casts that keep the value (not lvalue-to-rvalue of a non-pointer),
// temporaries and cleanups.
[[nodiscard]] const clang::Expr* strip(const clang::Expr* e);

}  // namespace fa
