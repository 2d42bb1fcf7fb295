// The driver behind isolated_runs.hpp.
#include "isolated_runs.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <fstream>
#include <random>
#include <regex>
#include <string>

namespace framealloc_perf {

namespace {

std::vector<bench_case>& registry() {
    static std::vector<bench_case> cases;
    return cases;
}

double status_kib(const char* key) {
    std::ifstream f("/proc/self/status");
    std::string line;
    const std::size_t n = std::strlen(key);
    while (std::getline(f, line))
        if (line.compare(0, n, key) == 0) return std::strtod(line.c_str() + n, nullptr);
    return -1.0;
}

double g_rss_at_reset = -1.0;

std::string number(double v) {
    if (!(v == v) || v > 1e300 || v < -1e300) return "null";
    char text[40];
    std::snprintf(text, sizeof text, "%.9g", v);
    return text;
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            out += ' ';
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string to_json(const bench_case& c, const measurement& m, int repetition, const std::string& error,
                    const std::string& skipped = {}) {
    std::string j = "{\"name\": " + quoted(c.name()) + ", \"group\": " + quoted(c.group) +
                    ", \"variant\": " + quoted(c.variant) + ", \"contender\": " + quoted(c.contender) +
                    ", \"repetition\": " + std::to_string(repetition) + ", \"params\": {";
    for (std::size_t i = 0; i < c.params.size(); ++i)
        j += (i ? ", " : "") + quoted(c.params[i].first) + ": " + number(c.params[i].second);
    j += "}";
    if (!error.empty()) return j + ", \"error\": " + quoted(error) + "}";
    if (!skipped.empty()) return j + ", \"skipped\": " + quoted(skipped) + "}";
    j += ", \"ops\": " + number(m.ops) + ", \"seconds\": " + number(m.seconds) +
         ", \"ops_per_second\": " + number(m.seconds > 0 ? m.ops / m.seconds : 0);
    for (const auto& [key, value] : m.values) j += ", " + quoted(key) + ": " + number(value);
    if (!m.samples.empty()) {
        j += ", \"samples\": [";
        for (std::size_t i = 0; i < m.samples.size(); ++i) j += (i ? "," : "") + number(m.samples[i]);
        j += "]";
    }
    return j + "}";
}

// Runs `c` in a child process; its JSON object, or one with "error".
std::string run_isolated(const bench_case& c, double scale, int repetition) {
    int fds[2];
    if (pipe(fds) != 0) return to_json(c, {}, repetition, std::string("pipe: ") + std::strerror(errno));
    std::fflush(nullptr);
    const pid_t child = fork();
    if (child < 0) return to_json(c, {}, repetition, std::string("fork: ") + std::strerror(errno));
    if (child == 0) {
        close(fds[0]);
        measurement m;
        std::string error;
        std::string skipped;
        try {
            reset_peak_rss();
            c.run(m, scale);
            m.set("peak_rss_growth", peak_rss_growth());
        } catch (const unavailable& e) {
            skipped = e.what();
        } catch (const std::exception& e) {
            error = e.what();
        }
        const std::string text = to_json(c, m, repetition, error, skipped);
        for (std::size_t done = 0; done < text.size();) {
            const ssize_t n = write(fds[1], text.data() + done, text.size() - done);
            if (n <= 0) _exit(3);
            done += static_cast<std::size_t>(n);
        }
        _exit(0);  // no static destructors: the parent's objects are not the child's to destroy
    }
    close(fds[1]);
    std::string text;
    char buffer[65536];
    for (;;) {
        const ssize_t n = read(fds[0], buffer, sizeof buffer);
        if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
        else if (n == 0 || errno != EINTR) break;
    }
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || text.empty())
        return to_json(c, {}, repetition, "child process failed (status " + std::to_string(status) + ")");
    return text;
}

int usage(const char* argv0) {
    std::fprintf(stderr, "usage: %s [--filter REGEX]... [--repetitions N] [--scale X] [--json FILE] [--list]\n", argv0);
    return 2;
}

}  // namespace

std::string bench_case::name() const {
    std::string n = group;
    if (!variant.empty()) n += "/" + variant;
    for (const auto& [key, value] : params) n += "/" + key + ":" + number(value);
    return n + "/" + contender;
}

void register_case(bench_case c) { registry().push_back(std::move(c)); }

void reset_peak_rss() {
    // "5" resets VmHWM to the current resident set (Linux 4.0+); where refused, the growth is then
    // measured from the process's own start, which for a fresh child is the fork.
    if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
        std::fputs("5", f);
        std::fclose(f);
    }
    g_rss_at_reset = status_kib("VmRSS:") * 1024.0;
}

double peak_rss_growth() { return status_kib("VmHWM:") * 1024.0 - g_rss_at_reset; }

int driver_main(int argc, char** argv, const std::vector<std::pair<std::string, std::string>>& context) {
    std::vector<std::regex> filters;
    int repetitions = 3;
    double scale = 1.0;
    std::string json_path;
    bool list = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        try {
            if (arg == "--filter" && has_value) filters.emplace_back(argv[++i]);
            else if (arg == "--repetitions" && has_value) repetitions = std::stoi(argv[++i]);
            else if (arg == "--scale" && has_value) scale = std::stod(argv[++i]);
            else if (arg == "--json" && has_value) json_path = argv[++i];
            else if (arg == "--list") list = true;
            else return usage(argv[0]);
        } catch (const std::exception&) {
            return usage(argv[0]);
        }
    }
    if (repetitions < 1 || repetitions > 1000 || !(scale > 0 && scale <= 100)) return usage(argv[0]);

    std::vector<const bench_case*> selected;
    for (const bench_case& c : registry()) {
        const std::string name = c.name();
        bool keep = filters.empty();
        for (const std::regex& f : filters) keep = keep || std::regex_search(name, f);
        if (keep) selected.push_back(&c);
    }
    if (list) {
        for (const bench_case* c : selected) std::printf("%s\n", c->name().c_str());
        return 0;
    }

    std::vector<std::string> results;
    std::mt19937 shuffle_seed(static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count()));
    bool failed = false;
    for (int r = 0; r < repetitions; ++r) {
        std::vector<const bench_case*> order = selected;
        std::shuffle(order.begin(), order.end(), shuffle_seed);
        for (const bench_case* c : order) {
            std::string text = run_isolated(*c, scale, r);
            const bool error = text.find("\"error\"") != std::string::npos;
            failed = failed || error;
            const bool skipped = text.find("\"skipped\"") != std::string::npos;
            std::fprintf(stderr, "[%d/%d] %s%s\n", r + 1, repetitions, c->name().c_str(),
                         error ? "  FAILED" : skipped ? "  skipped (not built in)" : "");
            if (error) std::fprintf(stderr, "  %s\n", text.c_str());
            results.push_back(std::move(text));
        }
    }

    std::string report = "{\n  \"context\": {";
    const std::time_t now = std::time(nullptr);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    report += "\"date\": " + quoted(date) + ", \"repetitions\": " + std::to_string(repetitions) +
              ", \"scale\": " + number(scale);
    for (const auto& [key, value] : context) report += ", " + quoted(key) + ": " + quoted(value);
    report += "},\n  \"runs\": [\n    ";
    for (std::size_t i = 0; i < results.size(); ++i) report += (i ? ",\n    " : "") + results[i];
    report += "\n  ]\n}\n";
    if (json_path.empty()) {
        std::fputs(report.c_str(), stdout);
    } else {
        std::ofstream out(json_path);
        out << report;
        if (!out) {
            std::fprintf(stderr, "cannot write %s\n", json_path.c_str());
            return 1;
        }
    }
    return failed ? 1 : 0;
}

}  // namespace framealloc_perf
