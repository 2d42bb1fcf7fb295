// Line suppressions: `// fa: allow FA601 -- reason` on the finding's line, or alone on the line above
// it. Several codes may be listed (`FA601, FA603`); the reason is required: without one the comment
// suppresses nothing.
#pragma once

#include "finding.hpp"

#include <vector>

namespace fa {

// Marks suppressed findings (reading each file once) and records their reasons.
void apply_suppressions(std::vector<finding>& findings);

}  // namespace fa
