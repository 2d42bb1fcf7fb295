#include "compile_db.hpp"

#include <clang/Tooling/JSONCompilationDatabase.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <regex>
#include <set>

namespace fa {
namespace {

namespace fs = std::filesystem;

std::string absolute_in(const std::string& dir, const std::string& path) {
    fs::path p(path);
    if (p.is_relative()) p = fs::path(dir) / p;
    return p.lexically_normal().string();
}

std::string target_of(const std::string& output) {
    static const std::regex dir_re(R"(CMakeFiles/([^/]+)\.dir/)");
    std::smatch m;
    return std::regex_search(output, m, dir_re) ? m[1].str() : std::string();
}

}  // namespace

std::unique_ptr<compile_db> compile_db::load(const fs::path& build_dir, std::string& error) {
    const fs::path json = build_dir / "compile_commands.json";
    if (!fs::exists(json)) {
        error = "no compile database: " + json.string() +
                " does not exist (configure with CMAKE_EXPORT_COMPILE_COMMANDS=ON, or pass -p BUILD_DIR)";
        return nullptr;
    }
    std::string why;
    auto base = clang::tooling::JSONCompilationDatabase::loadFromFile(json.string(), why,
                                                                      clang::tooling::JSONCommandLineSyntax::AutoDetect);
    if (!base) {
        error = "cannot read " + json.string() + ": " + why;
        return nullptr;
    }
    auto db = std::unique_ptr<compile_db>(new compile_db);
    // CMake passes module maps as @response files relative to the command's directory: expand them so
    // the tool sees -fmodule-file=NAME=BMI as the compiler did.
    db->db_ = clang::tooling::expandResponseFiles(std::move(base), llvm::vfs::getRealFileSystem());
    db->build_dir_ = fs::absolute(build_dir);
    for (const clang::tooling::CompileCommand& c : db->db_->getAllCompileCommands())
        for (const std::string& arg : c.CommandLine)
            if (arg.rfind("-fmodule-output=", 0) == 0)
                db->outputs_[absolute_in(c.Directory, arg.substr(16))] =
                    module_output{absolute_in(c.Directory, c.Filename), target_of(c.Output)};
    return db;
}

bool compile_db::contains(const std::string& file) const { return !db_->getCompileCommands(file).empty(); }

std::vector<clang::tooling::CompileCommand> compile_db::getCompileCommands(llvm::StringRef file) const {
    auto all = db_->getCompileCommands(file);
    if (all.size() > 1) all.resize(1);  // a file built by several targets is analysed once
    return all;
}

std::vector<std::string> compile_db::getAllFiles() const { return db_->getAllFiles(); }

std::string compile_db::check_bmis(const std::string& file) const {
    const auto commands = getCompileCommands(file);
    if (commands.empty()) return "not in the compile database";
    const clang::tooling::CompileCommand& c = commands.front();
    for (const std::string& arg : c.CommandLine) {
        if (!arg.empty() && arg[0] == '@') {
            const std::string target = target_of(arg);
            return "module map " + arg.substr(1) + " is missing (the build has not scanned this file yet): build target '" +
                   (target.empty() ? std::string("all") : target) + "' first (cmake --build " + build_dir_.string() +
                   (target.empty() ? std::string() : " --target " + target) + ")";
        }
        if (arg.rfind("-fmodule-file=", 0) != 0) continue;
        const std::string spec = arg.substr(14);
        const auto eq = spec.find('=');
        const std::string module = eq == std::string::npos ? std::string("?") : spec.substr(0, eq);
        const std::string bmi = absolute_in(c.Directory, eq == std::string::npos ? spec : spec.substr(eq + 1));
        const auto writer = outputs_.find(bmi);
        const std::string target = writer != outputs_.end() && !writer->second.target.empty() ? writer->second.target : "all";
        const std::string build = "build target '" + target + "' first (cmake --build " + build_dir_.string() +
                                  " --target " + target + ")";
        std::error_code ec;
        const auto bmi_time = fs::last_write_time(bmi, ec);
        if (ec) return "BMI of module '" + module + "' is missing (" + bmi + "): " + build;
        if (writer != outputs_.end()) {
            const auto source_time = fs::last_write_time(writer->second.source, ec);
            if (!ec && source_time > bmi_time)
                return "BMI of module '" + module + "' is stale (" + writer->second.source + " changed after it was built): " + build;
        }
    }
    return {};
}

}  // namespace fa
