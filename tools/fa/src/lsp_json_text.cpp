// JSON text out of a fa::lsp::json, through the library's writer (escaping, valid UTF-8 always).
#include "lsp_json.hpp"

#include <cmath>
#include <cstdint>
#include <string>

import framealloc;

namespace fa::lsp {
namespace {

void write(framealloc::json_writer& w, const json& v) {
    if (v.is_null()) {
        w.value(nullptr);
    } else if (v.is_bool()) {
        w.value(v.as_bool());
    } else if (v.is_number()) {
        const double d = v.as_number();
        // Positions, ids and enums are integers in the protocol: never written with a fraction.
        if (std::trunc(d) == d && std::fabs(d) < 9.0e15) w.value_signed(static_cast<std::int64_t>(d));
        else w.value(d);
    } else if (v.is_string()) {
        w.value(std::string_view(v.as_string()));
    } else if (v.is_array()) {
        w.begin_array();
        for (const json& item : v.as_array()) write(w, item);
        w.end_array();
    } else {
        w.begin_object();
        for (const auto& [key, item] : v.as_object()) {
            w.key(key);
            write(w, item);
        }
        w.end_object();
    }
}

}  // namespace

std::string to_text(const json& value) {
    std::string out;
    framealloc::json_writer w(out);
    write(w, value);
    return out;
}

}  // namespace fa::lsp
