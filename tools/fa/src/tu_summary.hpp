// What the functions of one translation unit do to their callers, for checks at the call site:
//   - which pointer parameters a function stores into a global or static (FA601 where frame memory is
//     passed), directly or by passing them on to a function that does;
//   - which functions end the frame (call end_frame() or a function that does) (FA603 after the call).
// Lambda bodies are not part of their enclosing function here (they may never be called).
#pragma once

#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace fa {

struct tu_summary {
    std::map<const clang::FunctionDecl*, std::map<unsigned, std::string>> stores_param;  // index -> global
    std::set<const clang::FunctionDecl*> ends_frame;

    // The summary key of a call's callee (its canonical declaration), or null.
    [[nodiscard]] static const clang::FunctionDecl* callee_of(const clang::CallExpr* call);
};

[[nodiscard]] tu_summary summarize(const std::vector<const clang::FunctionDecl*>& functions);

}  // namespace fa
