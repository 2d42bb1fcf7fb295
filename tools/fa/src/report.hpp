// Writing a run's findings: clang-style text, json (docs/fa.schema.json), SARIF 2.1.0, JUnit XML and
// checkstyle XML. Suppressed findings appear in json and SARIF (with their reason), never in the others.
#pragma once

#include "finding.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace fa {

enum class output_format { text, json, sarif, junit, checkstyle };

struct run_report {
    std::vector<std::string> files;  // every file analysed, absolute
    std::vector<finding> findings;   // sorted by file, line, column, code
    std::vector<file_error> errors;
};

// `text` with a fix hint under each finding; `verbose` adds the registry's explanation (fa show).
void write_text(std::ostream& out, const run_report& r, bool verbose);
void write_json(std::ostream& out, const run_report& r);
void write_sarif(std::ostream& out, const run_report& r);
void write_junit(std::ostream& out, const run_report& r);
void write_checkstyle(std::ostream& out, const run_report& r);

}  // namespace fa
