// The machine-readable formats: json (our schema, docs/fa.schema.json), SARIF 2.1.0, JUnit, checkstyle.
#include "json_bridge.hpp"
#include "registry_bridge.hpp"
#include "report.hpp"

#include <cctype>
#include <map>
#include <ostream>
#include <set>
#include <string>

namespace fa {
namespace {

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string file_uri(const std::string& path) {
    std::string out = "file://";
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            static const char hex[] = "0123456789ABCDEF";
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

const char* severity(const finding& f) { return f.denied ? "error" : "warning"; }

std::size_t count_shown(const std::vector<finding>& fs) {
    std::size_t n = 0;
    for (const finding& f : fs) n += f.suppressed ? 0 : 1;
    return n;
}

}  // namespace

void write_json(std::ostream& out, const run_report& r) {
    std::size_t suppressed = 0, denied = 0;
    out << "{\n  \"version\": 1,\n  \"tool\": \"fa\",\n  \"files\": [";
    for (std::size_t i = 0; i < r.files.size(); ++i) out << (i ? ", " : "") << json_string(r.files[i]);
    out << "],\n  \"findings\": [";
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
        const finding& f = r.findings[i];
        suppressed += f.suppressed ? 1 : 0;
        denied += (f.denied && !f.suppressed) ? 1 : 0;
        out << (i ? "," : "") << "\n    {\"code\": " << json_string(f.code) << ", \"group\": " << json_string(group_of(f.code))
            << ", \"severity\": \"" << severity(f) << "\", \"file\": " << json_string(f.where.file)
            << ", \"line\": " << f.where.line << ", \"column\": " << f.where.column
            << ", \"message\": " << json_string(f.message) << ", \"title\": " << json_string(f.title)
            << ", \"hint\": " << json_string(f.hint) << ", \"origin\": ";
        if (f.origin.line != 0)
            out << "{\"file\": " << json_string(f.origin.file) << ", \"line\": " << f.origin.line
                << ", \"column\": " << f.origin.column << ", \"note\": " << json_string(f.origin_note) << "}";
        else
            out << "null";
        out << ", \"suppressed\": " << (f.suppressed ? "true" : "false") << ", \"suppression_reason\": "
            << (f.suppressed ? json_string(f.suppression_reason) : std::string("null")) << "}";
    }
    out << (r.findings.empty() ? "" : "\n  ") << "],\n  \"errors\": [";
    for (std::size_t i = 0; i < r.errors.size(); ++i)
        out << (i ? ", " : "") << "{\"file\": " << json_string(r.errors[i].file)
            << ", \"message\": " << json_string(r.errors[i].message) << "}";
    out << "],\n  \"summary\": {\"files\": " << r.files.size() << ", \"findings\": " << count_shown(r.findings)
        << ", \"suppressed\": " << suppressed << ", \"denied\": " << denied << "}\n}\n";
}

void write_sarif(std::ostream& out, const run_report& r) {
    std::set<std::string> codes;
    for (const finding& f : r.findings) codes.insert(f.code);
    std::map<std::string, std::size_t> rule_index;
    out << "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n"
        << "  \"runs\": [{\n    \"tool\": {\"driver\": {\"name\": \"fa\", \"informationUri\": "
        << "\"https://github.com/framealloc/framealloc/blob/main/docs/analyzer.md\", \"rules\": [";
    std::size_t i = 0;
    for (const std::string& code : codes) {
        registry_entry e{code, code, code, ""};
        find_registry_entry(code, e);
        rule_index[code] = i;
        out << (i++ ? "," : "") << "\n      {\"id\": " << json_string(code) << ", \"shortDescription\": {\"text\": "
            << json_string(e.title) << "}, \"fullDescription\": {\"text\": " << json_string(e.explanation)
            << "}, \"help\": {\"text\": " << json_string(e.hint) << "}, \"properties\": {\"tags\": ["
            << json_string(group_of(code)) << "]}}";
    }
    out << "]}},\n    \"results\": [";
    for (std::size_t k = 0; k < r.findings.size(); ++k) {
        const finding& f = r.findings[k];
        out << (k ? "," : "") << "\n      {\"ruleId\": " << json_string(f.code) << ", \"ruleIndex\": " << rule_index[f.code]
            << ", \"level\": \"" << severity(f) << "\", \"message\": {\"text\": " << json_string(f.message)
            << "}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": "
            << json_string(file_uri(f.where.file)) << "}, \"region\": {\"startLine\": " << f.where.line
            << ", \"startColumn\": " << f.where.column << "}}}]";
        if (f.origin.line != 0)
            out << ", \"relatedLocations\": [{\"id\": 0, \"message\": {\"text\": " << json_string(f.origin_note)
                << "}, \"physicalLocation\": {\"artifactLocation\": {\"uri\": " << json_string(file_uri(f.origin.file))
                << "}, \"region\": {\"startLine\": " << f.origin.line << ", \"startColumn\": " << f.origin.column << "}}}]";
        if (f.suppressed)
            out << ", \"suppressions\": [{\"kind\": \"inSource\", \"justification\": " << json_string(f.suppression_reason)
                << "}]";
        out << "}";
    }
    out << (r.findings.empty() ? "" : "\n    ") << "],\n    \"invocations\": [{\"executionSuccessful\": "
        << (r.errors.empty() ? "true" : "false") << ", \"toolExecutionNotifications\": [";
    for (std::size_t k = 0; k < r.errors.size(); ++k)
        out << (k ? ", " : "") << "{\"level\": \"error\", \"message\": {\"text\": " << json_string(r.errors[k].message)
            << "}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": "
            << json_string(file_uri(r.errors[k].file)) << "}}}]}";
    out << "]}]\n  }]\n}\n";
}

void write_junit(std::ostream& out, const run_report& r) {
    // One test suite per file, one test case per finding; a clean file is one passing case.
    std::map<std::string, std::vector<const finding*>> by_file;
    for (const std::string& f : r.files) by_file[f];
    for (const finding& f : r.findings)
        if (!f.suppressed) by_file[f.where.file].push_back(&f);
    std::size_t tests = 0, failures = count_shown(r.findings);
    for (const auto& [file, fs] : by_file) tests += fs.empty() ? 1 : fs.size();
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"fa\" tests=\"" << tests << "\" failures=\""
        << failures << "\" errors=\"" << r.errors.size() << "\">\n";
    for (const auto& [file, fs] : by_file) {
        out << "  <testsuite name=\"" << xml_escape(file) << "\" tests=\"" << (fs.empty() ? 1 : fs.size())
            << "\" failures=\"" << fs.size() << "\" errors=\"0\">\n";
        if (fs.empty()) out << "    <testcase classname=\"fa\" name=\"" << xml_escape(file) << "\"/>\n";
        for (const finding* f : fs) {
            const std::string at = f->where.file + ":" + std::to_string(f->where.line) + ":" + std::to_string(f->where.column);
            out << "    <testcase classname=\"fa." << f->code << "\" name=\"" << xml_escape(f->code + " " + at) << "\">\n"
                << "      <failure type=\"" << f->code << "\" message=\"" << xml_escape(f->message) << "\">"
                << xml_escape(at + ": " + f->code + " " + f->message + "\nhint: " + f->hint) << "</failure>\n"
                << "    </testcase>\n";
        }
        out << "  </testsuite>\n";
    }
    for (const file_error& e : r.errors)
        out << "  <testsuite name=\"" << xml_escape(e.file) << "\" tests=\"1\" failures=\"0\" errors=\"1\">\n"
            << "    <testcase classname=\"fa\" name=\"" << xml_escape(e.file) << "\">\n      <error message=\""
            << xml_escape(e.message) << "\"/>\n    </testcase>\n  </testsuite>\n";
    out << "</testsuites>\n";
}

void write_checkstyle(std::ostream& out, const run_report& r) {
    std::map<std::string, std::vector<const finding*>> by_file;
    for (const std::string& f : r.files) by_file[f];
    for (const finding& f : r.findings)
        if (!f.suppressed) by_file[f.where.file].push_back(&f);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
    for (const auto& [file, fs] : by_file) {
        out << "  <file name=\"" << xml_escape(file) << "\">\n";
        for (const finding* f : fs)
            out << "    <error line=\"" << f->where.line << "\" column=\"" << f->where.column << "\" severity=\""
                << severity(*f) << "\" message=\"" << xml_escape(f->code + " " + f->message) << "\" source=\"fa."
                << f->code << "\"/>\n";
        out << "  </file>\n";
    }
    for (const file_error& e : r.errors)
        out << "  <file name=\"" << xml_escape(e.file) << "\">\n    <error line=\"1\" severity=\"error\" message=\""
            << xml_escape(e.message) << "\" source=\"fa.error\"/>\n  </file>\n";
    out << "</checkstyle>\n";
}

}  // namespace fa
