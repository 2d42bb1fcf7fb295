#include "tu_summary.hpp"

#include "api_model.hpp"
#include "function_model.hpp"

#include <clang/AST/ExprCXX.h>

namespace fa {
namespace {

using namespace clang;

struct facts {
    bool ends = false;                                     // calls end_frame() itself
    std::vector<const FunctionDecl*> callees;              // direct callees
    std::map<unsigned, std::string> stores;                // parameter index -> global
    struct forward {
        const CallExpr* call;
        unsigned argument;   // the call's argument
        unsigned parameter;  // the parameter of this function it passes on
    };
    std::vector<forward> forwards;
};

// The index of the parameter of `f` that `e` names (a pointer or view), or -1.
int parameter_of(const FunctionDecl& f, const Expr* e) {
    const auto* p = dyn_cast_or_null<ParmVarDecl>(function_model::named(e));
    if (p == nullptr || p->getDeclContext() != &f || !function_model::reference_like(p->getType())) return -1;
    return static_cast<int>(p->getFunctionScopeIndex());
}

void walk(const FunctionDecl& f, const Stmt* s, facts& out) {
    if (s == nullptr || isa<LambdaExpr>(s)) return;
    const Expr* target = nullptr;
    const Expr* value = nullptr;
    if (const auto* b = dyn_cast<BinaryOperator>(s); b && b->getOpcode() == BO_Assign) {
        target = b->getLHS(), value = b->getRHS();
    } else if (const auto* op = dyn_cast<CXXOperatorCallExpr>(s); op && op->getOperator() == OO_Equal && op->getNumArgs() == 2) {
        target = op->getArg(0), value = op->getArg(1);
    } else {
        (void)insertion(s, target, value);
    }
    if (target != nullptr)
        if (const VarDecl* g = global_target(target); g != nullptr)
            if (const int i = parameter_of(f, value); i >= 0) out.stores.emplace(static_cast<unsigned>(i), g->getNameAsString());
    if (const auto* call = dyn_cast<CallExpr>(s)) {
        if (is_end_frame(call)) out.ends = true;
        if (const FunctionDecl* callee = tu_summary::callee_of(call)) {
            out.callees.push_back(callee);
            if (!isa<CXXOperatorCallExpr>(call))
                for (unsigned a = 0; a < call->getNumArgs(); ++a)
                    if (const int i = parameter_of(f, call->getArg(a)); i >= 0)
                        out.forwards.push_back({call, a, static_cast<unsigned>(i)});
        }
    }
    for (const Stmt* child : s->children()) walk(f, child, out);
}

}  // namespace

const FunctionDecl* tu_summary::callee_of(const CallExpr* call) {
    const FunctionDecl* f = call->getDirectCallee();
    return f == nullptr ? nullptr : f->getCanonicalDecl();
}

tu_summary summarize(const std::vector<const FunctionDecl*>& functions) {
    std::map<const FunctionDecl*, facts> all;
    for (const FunctionDecl* f : functions) {
        facts& mine = all[f->getCanonicalDecl()];
        walk(*f, f->getBody(), mine);
    }
    tu_summary out;
    for (const auto& [f, x] : all) {
        if (x.ends) out.ends_frame.insert(f);
        if (!x.stores.empty()) out.stores_param[f] = x.stores;
    }
    // Callers of functions that end the frame, and parameters passed on to a function that stores them,
    // until nothing changes (bounded by the number of functions).
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto& [f, x] : all) {
            if (!out.ends_frame.count(f))
                for (const FunctionDecl* c : x.callees)
                    if (out.ends_frame.count(c)) {
                        out.ends_frame.insert(f);
                        changed = true;
                        break;
                    }
            for (const facts::forward& fw : x.forwards) {
                auto it = out.stores_param.find(tu_summary::callee_of(fw.call));
                if (it == out.stores_param.end() || !it->second.count(fw.argument)) continue;
                const std::string global = it->second.at(fw.argument);
                if (out.stores_param[f].emplace(fw.parameter, global).second) changed = true;
            }
        }
    }
    return out;
}

}  // namespace fa
