// What the language server tells about a document's findings: diagnostics, hovers and code actions.
// Pure functions of the findings and the document's text (positions converted as the client counts).
#pragma once

#include "finding.hpp"
#include "lsp_json.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace fa::lsp {

struct position_mode {
    bool utf8 = false;                       // the client counts bytes, not UTF-16 units
    std::filesystem::path documentation;     // docs/analyzer.md, for each code's link; empty: no links
    std::string document_uri;                // the document's URI as the client spells it
};

// The diagnostics of `findings` (suppressed ones left out) in a document whose text is `text`.
[[nodiscard]] json diagnostics_of(const std::vector<finding>& findings, std::string_view text, const position_mode& mode);
// One diagnostic on the first line (or where clang stopped, when `message` names a place in `path`)
// saying why the file could not be analysed.
[[nodiscard]] json failure_diagnostic(const std::string& message, const std::string& path, std::string_view text,
                                      const position_mode& mode);

// A hover for the position: the finding under it, else an `FAnnn` written in a comment. Null if neither.
[[nodiscard]] json hover_at(const std::vector<finding>& findings, std::string_view text, unsigned line,
                            unsigned character, const position_mode& mode);

// Code actions for the findings on lines first..last (0-based): a suppression comment for each, and
// the mechanical fix where the code has one.
[[nodiscard]] json code_actions(const std::vector<finding>& findings, std::string_view text, const std::string& uri,
                                unsigned first, unsigned last, const position_mode& mode);

// The explanation and fix of a code as Markdown; empty when the registry does not know it.
[[nodiscard]] std::string explain_markdown(const std::string& code);

// The `file://...analyzer.md#anchor` of a code's section; empty when the page or the section is not found.
[[nodiscard]] std::string documentation_link(const std::filesystem::path& page, const std::string& code);
// analyzer.md where this program is installed (share/doc/framealloc) or in the source tree it was built from.
[[nodiscard]] std::filesystem::path find_documentation();

}  // namespace fa::lsp
