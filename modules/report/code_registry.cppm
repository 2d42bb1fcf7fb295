// The registry of diagnostic codes: one table, one meaning per code, each with a title, an explanation
// and a fix hint. Runtime errors, budget events and behaviour reports carry these codes, and the
// analyzer's `fa explain CODE` will print the same entries.
//
// Families: FA0xx runtime lifecycle, FA1xx runtime memory errors, FA2xx threading, FA3xx budgets
// (static analysis), FA4xx runtime budget events, FA5xx behaviour filter, FA6xx lifetime, FA7xx async,
// FA8xx architecture.
module;
#include <span>
#include <string>
#include <string_view>
export module framealloc.report:code_registry;

export namespace framealloc {

enum class code_family { lifecycle, memory, threading, budget_static, budget_runtime, behavior, lifetime, async, architecture };

struct diagnostic_code {
    std::string_view code;         // "FA001"
    code_family family;
    std::string_view title;        // one line
    std::string_view explanation;  // what happened and why it matters
    std::string_view hint;         // how to fix it
};

// Every code, sorted by code.
[[nodiscard]] std::span<const diagnostic_code> diagnostic_codes() noexcept;
// The entry of `code`, or null.
[[nodiscard]] const diagnostic_code* find_diagnostic_code(std::string_view code) noexcept;
// "FA001 allocation outside a frame\n<explanation>\nhint: <hint>", or a line saying the code is unknown.
[[nodiscard]] std::string explain(std::string_view code);

}  // namespace framealloc
