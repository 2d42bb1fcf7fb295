// `.fa.toml`: the project's analyzer configuration (families, deny/allow/exclude, declared tags and the
// paths that may use each). Parsed with toml++; a bad file is a one-line error with its line and column.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fa {

struct tag_rule {
    std::string name;                // "physics::broadphase"
    std::vector<std::string> paths;  // globs, relative to the config's folder; empty: anywhere
};

// Memory kinds a path may not use (FA803).
struct path_rule {
    std::vector<std::string> paths;   // globs, relative to the config's folder
    std::vector<std::string> forbid;  // "frame", "pool", "heap"
};

struct config {
    std::filesystem::path file;  // empty when no .fa.toml was found
    unsigned families = 0;       // 0: not set (the command line or --all decides)
    std::vector<std::string> deny, allow, exclude;
    bool require_thread_budget = false;  // [threading]: FA212 for thread bodies that allocate frame memory unbudgeted
    bool tags_declared = false;  // a [tags] table is present: FA801/FA802 are checked against it
    std::vector<tag_rule> tags;
    std::vector<path_rule> rules;  // [[rules]]
};

// Reads `file`; on error returns nullopt and sets `error` to "FILE:LINE:COL: what".
[[nodiscard]] std::optional<config> load_config(const std::filesystem::path& file, std::string& error);

// The `.fa.toml` in `start` or the nearest folder above it; empty if none.
[[nodiscard]] std::filesystem::path find_config(std::filesystem::path start);

// The family bits of a family name as the flags spell it ("dirtymem", "async-safety", ...); 0 if unknown.
[[nodiscard]] unsigned family_from_name(const std::string& name);

// Glob over '/'-separated paths: `*` and `?` stay within one segment, `**` spans segments.
[[nodiscard]] bool glob_match(const std::string& pattern, const std::string& path);

// A code pattern: "FA601" exactly, or "FA6xx" / "FA60x" with x for any digit.
[[nodiscard]] bool code_matches(const std::string& pattern, const std::string& code);
[[nodiscard]] bool valid_code_pattern(const std::string& pattern);

}  // namespace fa
