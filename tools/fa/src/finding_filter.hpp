// What a run reports of what the checks found: the enabled families only, allowed codes dropped, denied
// ones marked, sorted by place, each finding once (a header analysed with several files finds the same
// thing each time). Shared by `fa check` and the language server.
#pragma once

#include "finding.hpp"

#include <string>
#include <vector>

namespace fa {

[[nodiscard]] std::vector<finding> select_findings(std::vector<finding> found, unsigned families,
                                                   const std::vector<std::string>& deny,
                                                   const std::vector<std::string>& allow);

}  // namespace fa
