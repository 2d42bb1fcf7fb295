#include "config.hpp"
#include "finding.hpp"

#include <toml++/toml.h>

#include <cctype>
#include <sstream>

namespace fa {
namespace {

std::string where(const std::filesystem::path& file, const toml::source_region& r) {
    std::ostringstream s;
    s << file.string() << ':' << r.begin.line << ':' << r.begin.column << ": ";
    return s.str();
}

// A string array at `key` of `table` into `out`; false (and `error`) when it is not one.
bool read_strings(const toml::table& table, std::string_view key, std::vector<std::string>& out,
                  const std::filesystem::path& file, std::string& error) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return true;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
        error = where(file, node->source()) + "'" + std::string(key) + "' must be an array of strings";
        return false;
    }
    for (const toml::node& item : *array) {
        const auto* s = item.as_string();
        if (s == nullptr) {
            error = where(file, item.source()) + "'" + std::string(key) + "' must hold only strings";
            return false;
        }
        out.push_back(s->get());
    }
    return true;
}

bool check_codes(const std::vector<std::string>& codes, const toml::table& table, std::string_view key,
                 const std::filesystem::path& file, std::string& error) {
    for (const std::string& c : codes)
        if (!valid_code_pattern(c)) {
            error = where(file, table.get(key)->source()) + "'" + c + "' is not a code (FA601) or a range (FA6xx)";
            return false;
        }
    return true;
}

bool glob_at(const char* p, const char* s) {
    for (; *p != '\0'; ++p) {
        if (p[0] == '*' && p[1] == '*') {
            p += 2;
            if (*p == '/') ++p;  // "**/" also matches no folder at all
            for (const char* t = s;; ++t) {
                if (glob_at(p, t)) return true;
                if (*t == '\0') return false;
            }
        }
        if (*p == '*') {
            for (const char* t = s;; ++t) {
                if (glob_at(p + 1, t)) return true;
                if (*t == '\0' || *t == '/') return false;
            }
        }
        if (*s == '\0' || (*p != '?' && *p != *s) || (*p == '?' && *s == '/')) return false;
        ++s;
    }
    return *s == '\0';
}

}  // namespace

unsigned family_from_name(const std::string& name) {
    if (name == "dirtymem" || name == "lifetime") return family_lifetime;
    if (name == "async-safety" || name == "async") return family_async;
    if (name == "threading") return family_threading;
    if (name == "budgets") return family_budgets;
    if (name == "architecture") return family_architecture;
    if (name == "all") return family_all;
    return 0;
}

bool glob_match(const std::string& pattern, const std::string& path) { return glob_at(pattern.c_str(), path.c_str()); }

bool valid_code_pattern(const std::string& p) {
    if (p.size() != 5 || p[0] != 'F' || p[1] != 'A' || !std::isdigit(static_cast<unsigned char>(p[2]))) return false;
    for (std::size_t i = 3; i < 5; ++i)
        if (!std::isdigit(static_cast<unsigned char>(p[i])) && p[i] != 'x') return false;
    return !(p[3] == 'x' && p[4] != 'x');
}

bool code_matches(const std::string& pattern, const std::string& code) {
    if (pattern.size() != code.size()) return false;
    for (std::size_t i = 0; i < code.size(); ++i)
        if (pattern[i] != code[i] && !(pattern[i] == 'x' && std::isdigit(static_cast<unsigned char>(code[i]))))
            return false;
    return true;
}

std::filesystem::path find_config(std::filesystem::path start) {
    start = std::filesystem::absolute(start);
    for (std::filesystem::path dir = start;; dir = dir.parent_path()) {
        if (std::filesystem::exists(dir / ".fa.toml")) return dir / ".fa.toml";
        if (dir == dir.root_path() || dir.empty()) return {};
    }
}

std::optional<config> load_config(const std::filesystem::path& file, std::string& error) {
    toml::table root;
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        std::ostringstream s;
        s << file.string() << ':' << e.source().begin.line << ':' << e.source().begin.column << ": "
          << e.description();
        error = s.str();
        return std::nullopt;
    }
    config c;
    c.file = std::filesystem::absolute(file);
    for (const auto& [key, node] : root) {
        if (key != "check" && key != "tags" && key != "threading" && key != "rules") {
            error = where(file, node.source()) + "unknown table '" + std::string(key.str()) +
                    "' (expected [check], [threading], [tags] or [[rules]])";
            return std::nullopt;
        }
    }
    if (const toml::node* node = root.get("check")) {
        const toml::table* check = node->as_table();
        if (check == nullptr) {
            error = where(file, node->source()) + "'check' must be a table";
            return std::nullopt;
        }
        for (const auto& [key, value] : *check)
            if (key != "families" && key != "deny" && key != "allow" && key != "exclude") {
                error = where(file, value.source()) + "unknown key '" + std::string(key.str()) +
                        "' in [check] (expected families, deny, allow, exclude)";
                return std::nullopt;
            }
        std::vector<std::string> families;
        if (!read_strings(*check, "families", families, file, error) || !read_strings(*check, "deny", c.deny, file, error) ||
            !read_strings(*check, "allow", c.allow, file, error) || !read_strings(*check, "exclude", c.exclude, file, error))
            return std::nullopt;
        for (const std::string& f : families) {
            const unsigned bits = family_from_name(f);
            if (bits == 0) {
                error = where(file, check->get("families")->source()) + "unknown family '" + f +
                        "' (dirtymem, async-safety, threading, budgets, architecture, all)";
                return std::nullopt;
            }
            c.families |= bits;
        }
        if (!check_codes(c.deny, *check, "deny", file, error) || !check_codes(c.allow, *check, "allow", file, error))
            return std::nullopt;
    }
    if (const toml::node* node = root.get("threading")) {
        const toml::table* threading = node->as_table();
        if (threading == nullptr) {
            error = where(file, node->source()) + "'threading' must be a table";
            return std::nullopt;
        }
        for (const auto& [key, value] : *threading) {
            if (key != "require_thread_budget") {
                error = where(file, value.source()) + "unknown key '" + std::string(key.str()) +
                        "' in [threading] (expected require_thread_budget)";
                return std::nullopt;
            }
            const auto* flag = value.as_boolean();
            if (flag == nullptr) {
                error = where(file, value.source()) + "'require_thread_budget' must be true or false";
                return std::nullopt;
            }
            c.require_thread_budget = flag->get();
        }
    }
    if (const toml::node* node = root.get("rules")) {
        const toml::array* rules = node->as_array();
        if (rules == nullptr) {
            error = where(file, node->source()) + "'rules' must be an array of tables ([[rules]])";
            return std::nullopt;
        }
        for (const toml::node& item : *rules) {
            const toml::table* rule = item.as_table();
            if (rule == nullptr) {
                error = where(file, item.source()) + "each [[rules]] entry must be a table";
                return std::nullopt;
            }
            path_rule r;
            for (const auto& [key, value] : *rule)
                if (key != "paths" && key != "forbid") {
                    error = where(file, value.source()) + "unknown key '" + std::string(key.str()) +
                            "' in [[rules]] (expected paths, forbid)";
                    return std::nullopt;
                }
            if (!read_strings(*rule, "paths", r.paths, file, error) || !read_strings(*rule, "forbid", r.forbid, file, error))
                return std::nullopt;
            for (const std::string& kind : r.forbid)
                if (kind != "frame" && kind != "pool" && kind != "heap") {
                    error = where(file, rule->get("forbid")->source()) + "unknown memory kind '" + kind +
                            "' (frame, pool, heap)";
                    return std::nullopt;
                }
            if (r.paths.empty()) {
                error = where(file, item.source()) + "a [[rules]] entry needs paths";
                return std::nullopt;
            }
            c.rules.push_back(std::move(r));
        }
    }
    if (const toml::node* node = root.get("tags")) {
        const toml::table* tags = node->as_table();
        if (tags == nullptr) {
            error = where(file, node->source()) + "'tags' must be a table of tag = [paths]";
            return std::nullopt;
        }
        c.tags_declared = true;
        for (const auto& [key, value] : *tags) {
            tag_rule rule{std::string(key.str()), {}};
            std::vector<std::string> paths;
            toml::table holder;
            holder.insert("paths", value);
            if (!read_strings(holder, "paths", rule.paths, file, error)) {
                error = where(file, value.source()) + "tag '" + rule.name + "' must map to an array of path globs";
                return std::nullopt;
            }
            c.tags.push_back(std::move(rule));
        }
    }
    return c;
}

}  // namespace fa
