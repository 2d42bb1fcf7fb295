#include "lsp_features.hpp"

#include "lsp_text.hpp"
#include "registry_bridge.hpp"

#include <regex>

namespace fa::lsp {
namespace {

struct span {
    unsigned line = 0, begin = 0, end = 0;  // 0-based line, byte columns
};

span span_of(const source_position& p, std::string_view text) {
    span s;
    s.line = p.line > 0 ? p.line - 1 : 0;
    const std::string_view line = line_of(text, s.line);
    s.begin = p.column > 0 ? p.column - 1 : 0;
    if (s.begin > line.size()) s.begin = static_cast<unsigned>(line.size());
    s.end = token_end(line, s.begin);
    return s;
}

json position(unsigned line, unsigned byte, std::string_view text, const position_mode& mode) {
    return json_object{{"line", line}, {"character", client_column(line_of(text, line), byte, mode.utf8)}};
}

json range_of(const span& s, std::string_view text, const position_mode& mode) {
    return json_object{{"start", position(s.line, s.begin, text, mode)}, {"end", position(s.line, s.end, text, mode)}};
}

// A position in another file (the allocation may be in a header): its line and column as they are,
// the character counted in that file's bytes (its text is not open here).
json location_elsewhere(const source_position& p) {
    const unsigned line = p.line > 0 ? p.line - 1 : 0, column = p.column > 0 ? p.column - 1 : 0;
    const json at = json_object{{"line", line}, {"character", column}};
    return json_object{{"uri", uri_of_path(p.file)}, {"range", json_object{{"start", at}, {"end", at}}}};
}

}  // namespace

json diagnostics_of(const std::vector<finding>& findings, std::string_view text, const position_mode& mode) {
    json_array out;
    for (const finding& f : findings) {
        if (f.suppressed) continue;
        json_object d{{"range", range_of(span_of(f.where, text), text, mode)},
                      {"severity", f.denied ? 1 : 2},
                      {"code", f.code},
                      {"source", "fa"},
                      {"message", f.message + (f.title.empty() ? "" : " (" + f.title + ")")}};
        const std::string link = documentation_link(mode.documentation, f.code);
        if (!link.empty()) d["codeDescription"] = json_object{{"href", link}};
        if (f.origin.line != 0) {
            json location;
            if (f.origin.file == f.where.file) {
                location = json_object{{"uri", mode.document_uri.empty() ? uri_of_path(f.origin.file) : mode.document_uri},
                                       {"range", range_of(span_of(f.origin, text), text, mode)}};
            } else {
                location = location_elsewhere(f.origin);
            }
            d["relatedInformation"] = json_array{json_object{
                {"location", location}, {"message", f.origin_note.empty() ? std::string("the allocation") : f.origin_note}}};
        }
        out.push_back(std::move(d));
    }
    return out;
}

json failure_diagnostic(const std::string& message, const std::string& path, std::string_view text,
                        const position_mode& mode) {
    span s;
    // "does not compile: /path/file.cpp:12:5: error text": point at the place when it is this file.
    static const std::regex place(R"(([^ ]+):(\d+):(\d+): )");
    std::smatch m;
    if (std::regex_search(message, m, place) && m[1].str() == path)
        s = span_of({path, static_cast<unsigned>(std::stoul(m[2].str())), static_cast<unsigned>(std::stoul(m[3].str()))},
                    text);
    else
        s.end = static_cast<unsigned>(line_of(text, 0).size());
    return json_object{{"range", range_of(s, text, mode)},
                       {"severity", 1},
                       {"source", "fa"},
                       {"message", "fa could not analyse this file: " + message}};
}

std::string explain_markdown(const std::string& code) {
    registry_entry e;
    if (!find_registry_entry(code, e)) return {};
    return "**" + e.code + "** " + e.title + "\n\n" + e.explanation + "\n\n**Fix:** " + e.hint;
}

json hover_at(const std::vector<finding>& findings, std::string_view text, unsigned line, unsigned character,
              const position_mode& mode) {
    const std::string_view line_text = line_of(text, line);
    const unsigned byte = byte_column(line_text, character, mode.utf8);
    for (const finding& f : findings) {
        if (f.suppressed) continue;
        const span s = span_of(f.where, text);
        if (s.line != line || byte < s.begin || byte > s.end) continue;
        std::string value = explain_markdown(f.code);
        value = "**" + f.code + "**: " + f.message + "\n\n---\n\n" + value;
        if (f.origin.line != 0)
            value += "\n\n" + (f.origin_note.empty() ? std::string("The allocation") : f.origin_note) + ": line " +
                     std::to_string(f.origin.line);
        return json_object{{"contents", json_object{{"kind", "markdown"}, {"value", value}}},
                           {"range", range_of(s, text, mode)}};
    }
    const std::string code = code_in_comment(line_text, byte);
    if (code.empty()) return {};
    std::string value = explain_markdown(code);
    if (value.empty()) value = "**" + code + "**: not a code framealloc knows (`fa list` lists them)";
    return json_object{{"contents", json_object{{"kind", "markdown"}, {"value", value}}}};
}

}  // namespace fa::lsp
