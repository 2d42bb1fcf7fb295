#include "suppressions.hpp"

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace fa {
namespace {

struct allowance {
    std::vector<std::string> codes;
    std::string reason;
    bool alone = false;  // the comment is the whole line: it covers the next line
};

std::map<unsigned, allowance> read_allowances(std::istream& in) {
    static const std::regex allow_re(R"(//\s*fa:\s*allow\s+(FA\d{3}(?:\s*,\s*FA\d{3})*)\s+--\s+(\S.*?)\s*$)");
    static const std::regex code_re(R"(FA\d{3})");
    static const std::regex alone_re(R"(^\s*//)");
    std::map<unsigned, allowance> out;
    std::string line;
    for (unsigned n = 1; std::getline(in, line); ++n) {
        std::smatch m;
        if (!std::regex_search(line, m, allow_re)) continue;
        allowance a;
        const std::string codes = m[1].str();
        for (auto it = std::sregex_iterator(codes.begin(), codes.end(), code_re); it != std::sregex_iterator(); ++it)
            a.codes.push_back(it->str());
        a.reason = m[2].str();
        a.alone = std::regex_search(line, alone_re);
        out[n] = std::move(a);
    }
    return out;
}

}  // namespace

void apply_suppressions(std::vector<finding>& findings, const std::map<std::string, std::string>& unsaved) {
    std::map<std::string, std::map<unsigned, allowance>> files;
    for (finding& f : findings) {
        auto it = files.find(f.where.file);
        if (it == files.end()) {
            const auto buffer = unsaved.find(f.where.file);
            std::ifstream file;
            std::istringstream text;
            if (buffer != unsaved.end()) text.str(buffer->second);
            else file.open(f.where.file);
            std::istream& in = buffer != unsaved.end() ? static_cast<std::istream&>(text) : file;
            it = files.emplace(f.where.file, read_allowances(in)).first;
        }
        const auto& lines = it->second;
        for (unsigned line : {f.where.line, f.where.line - 1}) {
            const auto a = lines.find(line);
            if (a == lines.end() || (line != f.where.line && !a->second.alone)) continue;
            for (const std::string& code : a->second.codes)
                if (code == f.code) {
                    f.suppressed = true;
                    f.suppression_reason = a->second.reason;
                }
        }
    }
}

}  // namespace fa
