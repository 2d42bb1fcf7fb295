// Line suppressions: `// fa: allow FA601 -- reason` on the finding's line, or alone on the line above
// it. Several codes may be listed (`FA601, FA603`); the reason is required: without one the comment
// suppresses nothing.
#pragma once

#include "finding.hpp"

#include <map>
#include <string>
#include <vector>

namespace fa {

// Marks suppressed findings (reading each file once) and records their reasons. A file in `unsaved`
// (absolute path -> text) is read from there instead of the disk: an editor's buffer.
void apply_suppressions(std::vector<finding>& findings, const std::map<std::string, std::string>& unsaved = {});

}  // namespace fa
