// Code actions: a `// fa: allow CODE -- reason` line above the finding (the reason is the user's to
// write; the inserted one says so), and the mechanical fix of FA605 (name the temporary guard).
#include "lsp_features.hpp"

#include "lsp_text.hpp"

namespace fa::lsp {
namespace {

json text_edit(unsigned line, unsigned begin, unsigned end, std::string_view text, std::string new_text,
               const position_mode& mode) {
    const std::string_view l = line_of(text, line);
    const auto at = [&](unsigned byte) { return json_object{{"line", line}, {"character", client_column(l, byte, mode.utf8)}}; };
    return json_object{{"range", json_object{{"start", at(begin)}, {"end", at(end)}}}, {"newText", std::move(new_text)}};
}

json action(std::string title, const std::string& uri, json edit, const json& diagnostic, bool preferred) {
    json_object a{{"title", std::move(title)},
                  {"kind", "quickfix"},
                  {"diagnostics", json_array{diagnostic}},
                  {"edit", json_object{{"changes", json_object{{uri, json_array{std::move(edit)}}}}}}};
    if (preferred) a["isPreferred"] = true;
    return a;
}

// FA605: `(void)alloc.frame_scope();` or `alloc.frame_scope();` becomes `auto scope = alloc.frame_scope();`
// (a tag: `const auto tag = ...`). Only a statement alone on its line is rewritten.
json name_the_guard(const finding& f, std::string_view text, const std::string& uri, const json& diagnostic,
                    const position_mode& mode) {
    const unsigned line = f.where.line - 1;
    const std::string_view l = line_of(text, line);
    const auto first = l.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    std::string_view code = l.substr(first);
    if (const auto comment = code.find("//"); comment != std::string_view::npos) code = code.substr(0, comment);
    while (!code.empty() && (code.back() == ' ' || code.back() == '\t')) code.remove_suffix(1);
    if (!code.ends_with(";") || code.find(';') != code.size() - 1 || code.find('=') != std::string_view::npos) return {};
    const bool is_tag = code.find("tag(") != std::string_view::npos;
    const std::string name = is_tag ? "const auto tag = " : "auto scope = ";
    unsigned end = static_cast<unsigned>(first);
    if (code.starts_with("(void)")) {
        end += 6;
        while (end < l.size() && l[end] == ' ') ++end;
    }
    return action(is_tag ? "Name the tag guard so it lasts to the end of the block"
                         : "Name the scope guard so it lasts to the end of the block",
                  uri, text_edit(line, static_cast<unsigned>(first), end, text, name, mode), diagnostic, true);
}

}  // namespace

json code_actions(const std::vector<finding>& findings, std::string_view text, const std::string& uri, unsigned first,
                  unsigned last, const position_mode& mode) {
    json_array out;
    const json diagnostics = diagnostics_of(findings, text, mode);
    std::size_t index = 0;  // diagnostics_of skips suppressed findings: keep the two in step
    for (const finding& f : findings) {
        if (f.suppressed) continue;
        const json& diagnostic = diagnostics.as_array()[index++];
        const unsigned line = f.where.line - 1;
        if (line < first || line > last) continue;
        if (f.code == "FA605")
            if (json fix = name_the_guard(f, text, uri, diagnostic, mode); !fix.is_null()) out.push_back(std::move(fix));
        const std::string_view l = line_of(text, line);
        const std::string indent(l.substr(0, std::min(l.find_first_not_of(" \t"), l.size())));
        out.push_back(action("Suppress " + f.code + " here with // fa: allow", uri,
                             text_edit(line, 0, 0, text, indent + "// fa: allow " + f.code + " -- reason: why this is safe\n", mode),
                             diagnostic, false));
    }
    return out;
}

}  // namespace fa::lsp
