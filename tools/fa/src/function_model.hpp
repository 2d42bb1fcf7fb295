// One function body as the checks see it: its statements in source order with their parents (lambda
// bodies included, so captures by reference name the same variables), and which variables hold frame
// memory, followed through locals, aliases, `auto`, structured bindings, range-for references, views
// (span, string_view, iterators), casts and std::move.
#pragma once

#include "finding.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>

#include <map>
#include <string>
#include <vector>

namespace fa {

struct frame_origin {
    clang::SourceLocation where;  // the allocation
    std::string what;             // "frame_alloc"
};

class function_model {
public:
    function_model(const clang::FunctionDecl& function, clang::ASTContext& context);

    [[nodiscard]] const clang::FunctionDecl& function() const { return function_; }
    [[nodiscard]] clang::ASTContext& context() const { return context_; }
    [[nodiscard]] const std::vector<const clang::Stmt*>& nodes() const { return nodes_; }
    [[nodiscard]] const clang::Stmt* parent(const clang::Stmt* s) const;
    [[nodiscard]] bool is_inside(const clang::Stmt* s, const clang::Stmt* ancestor) const;
    // `s`'s ancestor (or itself) that is a direct child of a compound statement, and that compound.
    [[nodiscard]] const clang::Stmt* statement_of(const clang::Stmt* s, const clang::CompoundStmt** block) const;
    [[nodiscard]] bool before(clang::SourceLocation a, clang::SourceLocation b) const;

    // Whether `e` evaluates to frame memory (a pointer, view or reference into it, or a container on it).
    [[nodiscard]] bool frame_expr(const clang::Expr* e, frame_origin* origin = nullptr) const;
    // The frame memory a variable holds, or null.
    [[nodiscard]] const frame_origin* frame_variable(const clang::ValueDecl* d) const;
    // The variable an expression names (through parentheses and casts), or null.
    [[nodiscard]] static const clang::ValueDecl* named(const clang::Expr* e);
    // The lambda an argument is: written in place, or a local initialised with one.
    // Pointers, references, views, iterators, pairs and tuples: types that can hold frame memory without
    // owning a copy of it (a copy of an int or a struct out of frame memory is not frame memory).
    [[nodiscard]] static bool reference_like(clang::QualType t);
    [[nodiscard]] static const clang::LambdaExpr* lambda_of(const clang::Expr* e);

    [[nodiscard]] source_position position(clang::SourceLocation loc) const;

private:
    bool frame_expr_at(const clang::Expr* e, frame_origin* origin, int depth) const;
    void collect(const clang::Stmt* s, const clang::Stmt* parent);
    void propagate();

    const clang::FunctionDecl& function_;
    clang::ASTContext& context_;
    std::vector<const clang::Stmt*> nodes_;
    std::map<const clang::Stmt*, const clang::Stmt*> parents_;
    std::map<const clang::ValueDecl*, frame_origin> frame_vars_;
};

}  // namespace fa
