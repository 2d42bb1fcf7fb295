#include "finding.hpp"

namespace fa {

unsigned family_of(const std::string& code) {
    if (code.size() != 5) return 0;
    switch (code[2]) {
        case '2': return family_threading;
        case '3': return family_budgets;
        case '6': return family_lifetime;
        case '7': return family_async;
        case '8': return family_architecture;
        default: return 0;
    }
}

std::string group_of(const std::string& code) {
    switch (family_of(code)) {
        case family_threading: return "fa-threading";
        case family_budgets: return "fa-budgets";
        case family_lifetime: return "fa-dirtymem";
        case family_async: return "fa-async-safety";
        case family_architecture: return "fa-architecture";
        default: return "fa";
    }
}

}  // namespace fa
