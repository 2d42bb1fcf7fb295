// fa_codes_json: the library's diagnostic code registry as JSON, for fa-insight's page (bundled at build
// time, so the explanations always match the library they were built with).
//
//   fa_codes_json OUT.json
//
// {"codes": [{"code": "FA001", "family": "lifecycle", "title": ..., "explanation": ..., "hint": ...}, ...]}
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

import framealloc;

namespace {

std::string_view family_name(framealloc::code_family f) {
    using enum framealloc::code_family;
    switch (f) {
        case lifecycle: return "lifecycle";
        case memory: return "memory";
        case threading: return "threading";
        case budget_static: return "budget_static";
        case budget_runtime: return "budget_runtime";
        case behavior: return "behavior";
        case lifetime: return "lifetime";
        case async: return "async";
        case architecture: return "architecture";
    }
    return "unknown";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: fa_codes_json OUT.json\n");
        return 2;
    }
    std::string text;
    framealloc::json_writer out(text);
    out.begin_object().key("codes").begin_array();
    for (const framealloc::diagnostic_code& c : framealloc::diagnostic_codes()) {
        out.begin_object()
            .member("code", c.code)
            .member("family", family_name(c.family))
            .member("title", c.title)
            .member("explanation", c.explanation)
            .member("hint", c.hint)
            .end_object();
    }
    out.end_array().end_object();
    text += '\n';
    std::ofstream file(argv[1], std::ios::binary | std::ios::trunc);
    file << text;
    if (!file.flush()) {
        std::fprintf(stderr, "fa_codes_json: cannot write %s\n", argv[1]);
        return 1;
    }
    return 0;
}
