// fa: framealloc's static analyzer. The command line: verbs, flags, configuration, exit status.
//   0 clean or only warnings, 1 a denied code fired, 2 a usage, configuration or input error.
#include "analysis.hpp"
#include "config.hpp"
#include "finding_filter.hpp"
#include "lsp_server.hpp"
#include "registry_bridge.hpp"
#include "report.hpp"
#include "suppressions.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr const char* usage_text =
    "usage: fa check [-p BUILD] [PATHS...] [--dirtymem] [--async-safety] [--threading] [--budgets]\n"
    "                [--architecture] [--all] [--format text|json|sarif|junit|checkstyle] [-o FILE]\n"
    "                [--deny CODE|FAnxx]... [--allow CODE|FAnxx]... [--exclude GLOB]... [-j N] [--config FILE]\n"
    "       fa show FILE [-p BUILD] [--config FILE]\n"
    "       fa explain CODE\n"
    "       fa list\n"
    "       fa lsp [-p BUILD] [--config FILE]        (a Language Server on stdin/stdout; docs/editor.md)\n"
    "       fa init [-p BUILD] [PATHS...] [--force]   (writes .fa.toml with the tags the code uses)\n";

int usage_error(const std::string& what) {
    std::cerr << "fa: error: " << what << "\n" << usage_text;
    return 2;
}

int input_error(const std::string& what) {
    std::cerr << "fa: error: " << what << "\n";
    return 2;
}

struct options {
    std::string verb;
    std::optional<fs::path> build;
    std::vector<std::string> paths, deny, allow, exclude;
    unsigned families = 0;
    fa::output_format format = fa::output_format::text;
    std::optional<fs::path> output, config;
    unsigned jobs = 0;
    bool force = false;
};

bool parse(int argc, char** argv, options& o, std::string& error) {
    if (argc < 2) {
        error = "no command";
        return false;
    }
    o.verb = argv[1];
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        const auto value = [&](std::string& out) {
            if (a.find('=') != std::string::npos && a.rfind("--", 0) == 0) {
                out = a.substr(a.find('=') + 1);
                return true;
            }
            if (i + 1 >= argc) {
                error = a + " needs a value";
                return false;
            }
            out = argv[++i];
            return true;
        };
        const std::string flag = a.rfind("--", 0) == 0 ? a.substr(0, a.find('=')) : a;
        std::string v;
        if (flag == "-p" || flag == "--build") {
            if (!value(v)) return false;
            o.build = v;
        } else if (a.rfind("-p", 0) == 0 && a.size() > 2 && a[2] != '-') {
            o.build = a.substr(2);
        } else if (flag == "--dirtymem" || flag == "--async-safety" || flag == "--threading" || flag == "--budgets" ||
                   flag == "--architecture" || flag == "--all") {
            o.families |= fa::family_from_name(flag.substr(2));
        } else if (flag == "--format") {
            if (!value(v)) return false;
            if (v == "text") o.format = fa::output_format::text;
            else if (v == "json") o.format = fa::output_format::json;
            else if (v == "sarif") o.format = fa::output_format::sarif;
            else if (v == "junit") o.format = fa::output_format::junit;
            else if (v == "checkstyle") o.format = fa::output_format::checkstyle;
            else {
                error = "unknown format '" + v + "' (text, json, sarif, junit, checkstyle)";
                return false;
            }
        } else if (flag == "--deny" || flag == "--allow") {
            if (!value(v)) return false;
            if (!fa::valid_code_pattern(v)) {
                error = "'" + v + "' is not a code (FA601) or a range (FA6xx)";
                return false;
            }
            (flag == "--deny" ? o.deny : o.allow).push_back(v);
        } else if (flag == "--exclude") {
            if (!value(v)) return false;
            o.exclude.push_back(v);
        } else if (flag == "-j" || flag == "--jobs") {
            if (!value(v)) return false;
            const int n = std::atoi(v.c_str());
            if (n < 1 || n > 256) {
                error = "-j needs a number from 1 to 256";
                return false;
            }
            o.jobs = static_cast<unsigned>(n);
        } else if (a.rfind("-j", 0) == 0 && a.size() > 2) {
            o.jobs = static_cast<unsigned>(std::max(1, std::atoi(a.c_str() + 2)));
        } else if (flag == "-o" || flag == "--output") {
            if (!value(v)) return false;
            o.output = v;
        } else if (flag == "--config") {
            if (!value(v)) return false;
            o.config = v;
        } else if (flag == "--force") {
            o.force = true;
        } else if (!a.empty() && a[0] == '-') {
            error = "unknown option '" + a + "'";
            return false;
        } else {
            o.paths.push_back(a);
        }
    }
    return true;
}

// -p, or the first of build/debug, build, . that holds a compile database.
fs::path build_dir(const options& o) {
    if (o.build) return *o.build;
    for (const char* d : {"build/debug", "build", "."})
        if (fs::exists(fs::path(d) / "compile_commands.json")) return d;
    return "build";
}

// Writes `text` to `path` whole or not at all (temp file + rename).
bool write_file(const fs::path& path, const std::string& text, std::string& error) {
    const fs::path temp = path.string() + ".fa-tmp";
    {
        std::ofstream out(temp, std::ios::binary);
        out << text;
        if (!out) {
            error = "cannot write " + temp.string();
            return false;
        }
    }
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) {
        fs::remove(temp, ec);
        error = "cannot write " + path.string();
        return false;
    }
    return true;
}

int run_list() {
    std::cout << "code   family            kind     title\n";
    for (const fa::registry_entry& e : fa::registry_entries()) {
        const unsigned family = fa::family_of(e.code);
        const bool analyzer = family != 0 && !(family == fa::family_threading && e.code < "FA210");
        std::string group = family != 0 ? fa::group_of(e.code) : "runtime";
        group.resize(16, ' ');
        std::cout << e.code << "  " << group << "  " << (analyzer ? "static " : "runtime") << "  " << e.title << '\n';
    }
    return 0;
}

int run_explain(const options& o) {
    if (o.paths.size() != 1) return usage_error("explain takes one code");
    fa::registry_entry e;
    if (!fa::find_registry_entry(o.paths[0], e)) return input_error(fa::explain_code(o.paths[0]));
    std::cout << fa::explain_code(o.paths[0]) << '\n';
    return 0;
}

// The configuration: --config, or the .fa.toml of the working directory or a folder above it.
bool load_configuration(const options& o, fa::config& cfg, std::string& error) {
    const fs::path file = o.config ? *o.config : fa::find_config(fs::current_path());
    if (file.empty()) return true;
    if (!fs::exists(file)) {
        error = file.string() + ": no such configuration file";
        return false;
    }
    auto loaded = fa::load_config(file, error);
    if (!loaded) return false;
    cfg = std::move(*loaded);
    return true;
}

int run_init(const options& o) {
    const fs::path target = o.config ? *o.config : fs::path(".fa.toml");
    if (fs::exists(target) && !o.force) return input_error(target.string() + " exists (use --force to replace it)");
    fa::analysis_request request;
    request.build_dir = build_dir(o);
    request.paths = o.paths;
    request.root = fs::current_path();
    request.families = 0;
    request.jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
    const fa::analysis_outcome outcome = fa::run_analysis(request);
    if (!outcome.fatal.empty()) return input_error(outcome.fatal);
    for (const fa::file_error& e : outcome.errors) std::cerr << "fa: error: " << e.file << ": " << e.message << '\n';
    if (!outcome.errors.empty()) return 2;
    std::ostringstream s;
    s << "# fa (framealloc's static analyzer) configuration; see docs/analyzer.md.\n\n"
      << "[check]\n"
      << "# Families checked when `fa check` is given none: dirtymem, async-safety, threading, budgets,\n"
      << "# architecture, or all.\n"
      << "families = [\"all\"]\n"
      << "# Codes that fail the run (exit status 1): a code (\"FA601\") or a range (\"FA6xx\").\n"
      << "deny = []\n"
      << "# Codes never reported.\n"
      << "allow = []\n"
      << "# Files not analysed: globs relative to this file's folder (** spans folders).\n"
      << "exclude = []\n\n"
      << "# The tags the code may use (FA801 for any other), each with the path globs that may use it\n"
      << "# (FA802 elsewhere; [] means anywhere). A nested tag is written in full: \"ai::pathfinding\".\n"
      << "# Found in the code when this file was written:\n"
      << "[tags]\n";
    for (const std::string& tag : outcome.tags_seen) s << '"' << tag << "\" = []\n";
    std::string error;
    if (!write_file(target, s.str(), error)) return input_error(error);
    std::cout << "fa: wrote " << target.string() << " (" << outcome.tags_seen.size() << " tags from "
              << outcome.files.size() << " files)\n";
    return 0;
}

int run_check(options o, bool show) {
    fa::config cfg;
    std::string error;
    if (!load_configuration(o, cfg, error)) return input_error(error);
    if (show && o.paths.size() != 1) return usage_error("show takes one file");
    fa::analysis_request request;
    request.build_dir = build_dir(o);
    request.paths = o.paths;
    request.root = cfg.file.empty() ? fs::current_path() : cfg.file.parent_path();
    request.exclude = cfg.exclude;
    request.exclude.insert(request.exclude.end(), o.exclude.begin(), o.exclude.end());
    request.families = o.families ? o.families : cfg.families ? cfg.families : fa::family_all;
    if (show) {  // one file, asked for by name: every family, whatever the exclusions say
        request.families = fa::family_all;
        request.exclude.clear();
    }
    request.cfg = &cfg;
    request.jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
    fa::analysis_outcome outcome = fa::run_analysis(request);
    if (!outcome.fatal.empty()) return input_error(outcome.fatal);
    if (!outcome.errors.empty()) {
        for (const fa::file_error& e : outcome.errors) std::cerr << "fa: error: " << e.file << ": " << e.message << '\n';
        return 2;
    }

    std::vector<std::string> deny = cfg.deny, allow = cfg.allow;
    deny.insert(deny.end(), o.deny.begin(), o.deny.end());
    allow.insert(allow.end(), o.allow.begin(), o.allow.end());
    fa::run_report r;
    r.files = outcome.files;
    r.findings = fa::select_findings(std::move(outcome.findings), request.families, deny, allow);
    for (fa::finding& f : r.findings) {
        fa::registry_entry e;
        if (fa::find_registry_entry(f.code, e)) f.title = e.title, f.hint = e.hint;
    }
    fa::apply_suppressions(r.findings);

    std::ostringstream text;
    switch (o.format) {
        case fa::output_format::text: fa::write_text(text, r, show); break;
        case fa::output_format::json: fa::write_json(text, r); break;
        case fa::output_format::sarif: fa::write_sarif(text, r); break;
        case fa::output_format::junit: fa::write_junit(text, r); break;
        case fa::output_format::checkstyle: fa::write_checkstyle(text, r); break;
    }
    if (o.output) {
        if (!write_file(*o.output, text.str(), error)) return input_error(error);
    } else {
        std::cout << text.str();
    }
    const bool failed = std::any_of(r.findings.begin(), r.findings.end(), [](const fa::finding& f) { return f.denied && !f.suppressed; });
    return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    std::string error;
    if (argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" || std::string(argv[1]) == "help")) {
        std::cout << usage_text;
        return 0;
    }
    if (!parse(argc, argv, o, error)) return usage_error(error);
    try {
        if (o.verb == "check") return run_check(o, false);
        if (o.verb == "show") return run_check(o, true);
        if (o.verb == "explain") return run_explain(o);
        if (o.verb == "list") return run_list();
        if (o.verb == "init") return run_init(o);
        if (o.verb == "lsp") {
            if (!o.paths.empty()) return usage_error("lsp takes no paths (the client opens the files)");
            std::ios::sync_with_stdio(false);
            return fa::lsp::run_server({o.build, o.config}, std::cin, std::cout);
        }
    } catch (const std::exception& e) {
        return input_error(e.what());
    }
    return usage_error("unknown command '" + o.verb + "'");
}
