// FA8xx: tags against the architecture `.fa.toml` declares.
//   FA801 a tag literal no [tags] entry declares    FA802 a tag used outside the paths its entry gives
// A literal names a declared tag when it equals it or is its last segments ("pathfinding" opened inside
// "ai" is the declared "ai::pathfinding").
#include "api_model.hpp"
#include "checks.hpp"

#include <clang/AST/ExprCXX.h>

namespace fa {
namespace {

using namespace clang;

const StringLiteral* literal_of(const Expr* e) {
    for (int i = 0; i < 4 && e != nullptr; ++i) {
        e = strip(e);
        if (const auto* s = dyn_cast<StringLiteral>(e)) return s;
        if (const auto* c = dyn_cast<CXXConstructExpr>(e); c && c->getNumArgs() >= 1) e = c->getArg(0);
        else if (const auto* c = dyn_cast<CastExpr>(e)) e = c->getSubExpr();
        else return nullptr;
    }
    return nullptr;
}

// The tag literal a with_tag / tag / scoped_tag names, or null.
const StringLiteral* tag_literal(const Stmt* s) {
    if (const auto* c = dyn_cast<CXXConstructExpr>(s)) {
        if (record_name(c->getType()) == "framealloc::scoped_tag" && c->getNumArgs() >= 1) return literal_of(c->getArg(0));
        return nullptr;
    }
    const auto* call = dyn_cast<CallExpr>(s);
    if (call == nullptr || call->getNumArgs() == 0) return nullptr;
    member_call mc;
    if (as_member_call(call, mc)) {
        if (mc.owner == "framealloc::smart_alloc" && (mc.method == "with_tag" || mc.method == "tag"))
            return literal_of(call->getArg(0));
        return nullptr;
    }
    if (callee_name(call) == "framealloc::with_tag") return literal_of(call->getArg(0));
    return nullptr;
}

bool names_tag(const std::string& literal, const std::string& declared) {
    if (literal == declared) return true;
    return declared.size() > literal.size() + 2 && declared.compare(declared.size() - literal.size(), literal.size(), literal) == 0 &&
           declared.compare(declared.size() - literal.size() - 2, 2, "::") == 0;
}

}  // namespace

void check_tags(const function_model& m, const check_context& cx) {
    for (const Stmt* s : m.nodes()) {
        const StringLiteral* lit = tag_literal(s);
        if (lit == nullptr || lit->getCharByteWidth() != 1) continue;
        const std::string tag = lit->getString().str();
        if (cx.tags_seen != nullptr) cx.tags_seen->insert(tag);
        if ((cx.families & family_architecture) == 0 || cx.cfg == nullptr || !cx.cfg->tags_declared) continue;
        std::vector<const tag_rule*> matches;
        for (const tag_rule& rule : cx.cfg->tags)
            if (names_tag(tag, rule.name)) matches.push_back(&rule);
        if (matches.empty()) {
            report(cx, m, "FA801", lit->getBeginLoc(),
                   "tag \"" + tag + "\" is not declared in " + cx.cfg->file.filename().string() + " [tags]");
            continue;
        }
        const source_position at = m.position(lit->getBeginLoc());
        const std::string relative = std::filesystem::path(at.file).lexically_relative(cx.root).generic_string();
        bool allowed = false;
        for (const tag_rule* rule : matches) {
            if (rule->paths.empty()) allowed = true;
            for (const std::string& glob : rule->paths)
                if (glob_match(glob, relative)) allowed = true;
        }
        if (!allowed)
            report(cx, m, "FA802", lit->getBeginLoc(),
                   "tag \"" + tag + "\" is used in " + relative + ", outside the paths " +
                       cx.cfg->file.filename().string() + " gives it");
    }
}

}  // namespace fa
