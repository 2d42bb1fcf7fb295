// The project the language server analyses: its root (the client's workspace), compile database and
// `.fa.toml`, reloaded whenever the file changes. Used from the server's one analysis thread.
#pragma once

#include "config.hpp"
#include "finding.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fa::lsp {

struct analysis_result {
    enum class kind { analysed, outside, failed } what = kind::analysed;
    std::vector<finding> findings;  // analysed: the file's own findings, titled, suppressed ones marked
    std::string message;            // outside, failed: one line saying why
};

class project {
public:
    // `build` and `config_file` as given by -p and --config (relative to the working directory).
    project(std::filesystem::path root, std::optional<std::filesystem::path> build,
            std::optional<std::filesystem::path> config_file);

    // Reloads `.fa.toml` when it appeared, changed or went away: `changed`, and an error to show when
    // the new file is bad (the last good configuration stays in force until it is fixed).
    struct config_change {
        bool changed = false;
        std::string error;
    };
    [[nodiscard]] config_change refresh_config();

    // Analyses `path` as `text` (the editor's buffer) with every family the configuration enables.
    [[nodiscard]] analysis_result analyse(const std::string& path, const std::string& text);

    [[nodiscard]] std::filesystem::path build_dir() const;
    [[nodiscard]] const config& configuration() const { return cfg_; }

private:
    std::filesystem::path root_;
    std::optional<std::filesystem::path> build_, config_file_;
    config cfg_;
    std::filesystem::path seen_file_;  // the configuration file last looked at, and its time
    std::filesystem::file_time_type seen_time_{};
};

}  // namespace fa::lsp
