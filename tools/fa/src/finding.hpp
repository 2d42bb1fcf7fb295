// A finding of the analyzer, and the families its codes belong to. Plain data: no clang types, so the
// reporting and configuration layers build without LibTooling.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fa {

// The check families a run enables (`--dirtymem`, `--async-safety`, ...).
enum family : std::uint8_t {
    family_threading = 1u << 0,     // FA2xx (FA210+), --threading
    family_budgets = 1u << 1,       // FA3xx, --budgets
    family_lifetime = 1u << 2,      // FA6xx, --dirtymem
    family_async = 1u << 3,         // FA7xx, --async-safety
    family_architecture = 1u << 4,  // FA8xx, --architecture
    family_all = 0x1f,
};

// The family of a code by its hundreds digit; 0 for a code no check emits.
[[nodiscard]] unsigned family_of(const std::string& code);
// "fa-dirtymem", "fa-async-safety", ...: the group shown in brackets, as clang shows -W groups.
[[nodiscard]] std::string group_of(const std::string& code);

struct source_position {
    std::string file;  // absolute path
    unsigned line = 0;
    unsigned column = 0;
};

struct finding {
    std::string code;        // "FA601"
    source_position where;   // the offending expression
    std::string message;     // one line, what is wrong here
    source_position origin;  // where the frame memory (or the tag, the scope) comes from; line 0: none
    std::string origin_note; // what `origin` is
    std::string title;       // the registry's title and fix hint, filled in before reporting
    std::string hint;
    bool denied = false;     // --deny / .fa.toml deny: an error, exit status 1
    bool suppressed = false; // `// fa: allow CODE -- reason` on the line
    std::string suppression_reason;
};

// A file the run could not analyse: it does not compile, or its BMIs are missing or stale.
struct file_error {
    std::string file;
    std::string message;  // one line
};

}  // namespace fa
