#include "json_bridge.hpp"

#include <string>
#include <string_view>

import framealloc;

namespace fa {

std::string json_string(std::string_view text) {
    std::string out;
    framealloc::append_json_string(out, text);
    return out;
}

}  // namespace fa
