#include "lsp_project.hpp"

#include "analysis.hpp"
#include "finding_filter.hpp"
#include "registry_bridge.hpp"
#include "suppressions.hpp"

namespace fa::lsp {

namespace fs = std::filesystem;

project::project(fs::path root, std::optional<fs::path> build, std::optional<fs::path> config_file)
    : root_(std::move(root)), build_(std::move(build)), config_file_(std::move(config_file)) {
    if (build_) build_ = fs::absolute(*build_);
    if (config_file_) config_file_ = fs::absolute(*config_file_);
}

fs::path project::build_dir() const {
    if (build_) return *build_;
    for (const char* d : {"build/debug", "build", "."})
        if (fs::exists(root_ / d / "compile_commands.json")) return root_ / d;
    return root_ / "build";
}

project::config_change project::refresh_config() {
    const fs::path file = config_file_ ? *config_file_ : find_config(root_);
    std::error_code ec;
    const fs::file_time_type time = file.empty() ? fs::file_time_type{} : fs::last_write_time(file, ec);
    if (file == seen_file_ && time == seen_time_) return {};
    seen_file_ = file;
    seen_time_ = time;
    if (file.empty() || ec) {
        cfg_ = config{};
        if (config_file_) return {true, config_file_->string() + ": no such configuration file; the defaults are used"};
        return {true, {}};
    }
    std::string error;
    std::optional<config> loaded = load_config(file, error);
    if (!loaded) return {true, error + " (the previous configuration stays in force until the file is fixed)"};
    cfg_ = std::move(*loaded);
    return {true, {}};
}

analysis_result project::analyse(const std::string& path, const std::string& text) {
    analysis_result out;
    analysis_request request;
    request.build_dir = build_dir();
    request.paths = {path};
    request.root = cfg_.file.empty() ? root_ : cfg_.file.parent_path();
    request.families = cfg_.families != 0 ? cfg_.families : family_all;
    request.exclude = cfg_.exclude;  // an excluded file shows nothing, as `fa check` reports nothing for it
    request.cfg = &cfg_;
    request.jobs = 1;
    request.unsaved[path] = text;
    analysis_outcome outcome = run_analysis(request);
    if (!outcome.fatal.empty()) {
        out.what = analysis_result::kind::outside;
        out.message = outcome.fatal;
        return out;
    }
    if (outcome.files.empty()) {
        out.what = analysis_result::kind::outside;
        out.message = path + " is excluded by " + cfg_.file.string();
        return out;
    }
    if (!outcome.errors.empty()) {
        out.what = analysis_result::kind::failed;
        out.message = outcome.errors.front().message;
        return out;
    }
    std::erase_if(outcome.findings, [&](const finding& f) { return f.where.file != path; });
    out.findings = select_findings(std::move(outcome.findings), request.families, cfg_.deny, cfg_.allow);
    for (finding& f : out.findings) {
        registry_entry e;
        if (find_registry_entry(f.code, e)) f.title = e.title, f.hint = e.hint;
    }
    apply_suppressions(out.findings, request.unsaved);
    return out;
}

}  // namespace fa::lsp
