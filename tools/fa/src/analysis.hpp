// Running the checks over the files of a compile database. The only interface between the command
// line (no clang headers) and the LibTooling side.
#pragma once

#include "config.hpp"
#include "finding.hpp"

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace fa {

struct analysis_request {
    std::filesystem::path build_dir;     // holds compile_commands.json
    std::vector<std::string> paths;      // files to analyse; empty: every file of the db that imports framealloc
    std::vector<std::string> exclude;    // globs, matched against paths relative to `root`
    std::filesystem::path root;          // the project root (the config's folder, or the working directory)
    unsigned families = family_all;
    const config* cfg = nullptr;         // tags for FA8xx
    unsigned jobs = 1;
    std::map<std::string, std::string> unsaved;  // absolute path -> text analysed instead of the file's (an editor's buffer)
};

struct analysis_outcome {
    std::string fatal;                // non-empty: a usage error (no db, path outside it), nothing was analysed
    std::vector<std::string> files;   // analysed
    std::vector<finding> findings;    // unsorted, unsuppressed, not yet filtered by allow/deny
    std::vector<file_error> errors;   // files that could not be analysed (compile errors, missing/stale BMIs)
    std::set<std::string> tags_seen;  // tag literals found (fa init)
};

[[nodiscard]] analysis_outcome run_analysis(const analysis_request& request);

}  // namespace fa
