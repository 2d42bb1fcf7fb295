// The checks, one family a file, each over one function_model.
#pragma once

#include "config.hpp"
#include "finding.hpp"
#include "function_model.hpp"
#include "tu_summary.hpp"

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace fa {

struct check_context {
    unsigned families = family_all;
    const config* cfg = nullptr;     // declared tags (FA8xx)
    std::filesystem::path root;      // tag path globs are relative to it
    std::set<std::string>* tags_seen = nullptr;
    std::vector<finding>* out = nullptr;
    const tu_summary* summary = nullptr;  // the translation unit's callees (FA601, FA603 at call sites)
};

// A finding at `where`, with a note at `origin` when it is valid.
void report(const check_context& cx, const function_model& m, const char* code, clang::SourceLocation where,
            std::string message, const frame_origin* origin = nullptr, std::string note = {});

// FA601-FA605 (--dirtymem).
void check_lifetime(const function_model& m, const check_context& cx);
// FA606 (--dirtymem): frame memory returned out of the function that owns its frame.
void check_returned(const function_model& m, const check_context& cx);
// FA607 (--dirtymem) hot-loop growth, FA301 (--budgets) unbounded allocation loops.
void check_loops(const function_model& m, const check_context& cx);
// FA701-FA702 (--async-safety), FA210-FA212 (--threading).
void check_tasks(const function_model& m, const check_context& cx);
// FA213-FA214 (--threading): transfer handles, frame memory handed to other threads.
void check_transfers(const function_model& m, const check_context& cx);
// FA801-FA802 (--architecture); also records every tag literal for `fa init`.
void check_tags(const function_model& m, const check_context& cx);
// FA803 (--architecture): memory kinds the .fa.toml [[rules]] of the file's path forbid.
void check_memory_kinds(const function_model& m, const check_context& cx);

}  // namespace fa
