// `fa lsp`: the analyzer as a Language Server over stdio (docs/editor.md). Findings of open files are
// published on open, change and save (the editor's buffer is analysed, not the file on disk); hover
// explains a code, code actions suppress a finding or fix it where the fix is mechanical. The client's
// mistakes are answered with JSON-RPC errors; the exit status is 0 after shutdown + exit, else 1.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>

namespace fa::lsp {

struct server_options {
    std::optional<std::filesystem::path> build;   // -p: the folder of compile_commands.json
    std::optional<std::filesystem::path> config;  // --config: instead of the workspace's .fa.toml
};

int run_server(const server_options& options, std::istream& in, std::ostream& out);

}  // namespace fa::lsp
