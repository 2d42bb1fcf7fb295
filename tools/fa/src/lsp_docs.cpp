// Links from a code to its section of docs/analyzer.md: the page is read once and each `### FAnnn ...`
// heading turned into the anchor Markdown renderers give it (GitHub's rule: lower case, punctuation
// dropped, spaces to hyphens).
#include "lsp_features.hpp"
#include "lsp_text.hpp"

#include <cctype>
#include <fstream>
#include <map>
#include <mutex>

namespace fa::lsp {
namespace {

namespace fs = std::filesystem;

std::string anchor_of(std::string_view heading) {
    std::string out;
    for (const char c : heading) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0 || c == '-' || c == '_') out += static_cast<char>(std::tolower(u));
        else if (c == ' ') out += '-';
    }
    return out;
}

std::map<std::string, std::string> read_anchors(const fs::path& page) {
    std::map<std::string, std::string> out;
    std::ifstream in(page);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.starts_with("### FA") || line.size() < 9) continue;
        const std::string heading = line.substr(4);
        out.emplace(heading.substr(0, 5), anchor_of(heading));
    }
    return out;
}

}  // namespace

std::string documentation_link(const fs::path& page, const std::string& code) {
    static std::mutex lock;
    static std::map<fs::path, std::map<std::string, std::string>> pages;
    if (page.empty()) return {};
    std::lock_guard g(lock);
    auto it = pages.find(page);
    if (it == pages.end()) it = pages.emplace(page, read_anchors(page)).first;
    const auto anchor = it->second.find(code);
    if (anchor == it->second.end()) return {};
    return uri_of_path(page.string()) + "#" + anchor->second;
}

fs::path find_documentation() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed = exe.parent_path().parent_path() / "share" / "doc" / "framealloc" / "analyzer.md";
        if (fs::exists(installed)) return installed;
    }
#ifdef FA_SOURCE_DOCS
    const fs::path source = fs::path(FA_SOURCE_DOCS) / "analyzer.md";
    if (fs::exists(source)) return source;
#endif
    return {};
}

}  // namespace fa::lsp
