// The compile database: which files to analyse, their commands with CMake's module-map response files
// expanded (relative to each command's directory), and whether the BMIs those commands name exist and
// are newer than the module interfaces that produce them.
#pragma once

#include <clang/Tooling/CompilationDatabase.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fa {

struct module_output {
    std::string source;  // the module interface unit
    std::string target;  // the CMake target that builds it ("framealloc")
};

// As a CompilationDatabase it gives one command per file (the first), so a file that several targets
// compile is analysed once.
class compile_db : public clang::tooling::CompilationDatabase {
public:
    // Loads BUILD/compile_commands.json; null and `error` set when it is missing or unreadable.
    static std::unique_ptr<compile_db> load(const std::filesystem::path& build_dir, std::string& error);

    std::vector<clang::tooling::CompileCommand> getCompileCommands(llvm::StringRef file) const override;
    std::vector<std::string> getAllFiles() const override;
    [[nodiscard]] std::vector<std::string> files() const { return getAllFiles(); }
    [[nodiscard]] bool contains(const std::string& file) const;
    // Empty when every BMI the file's command reads exists and is up to date; else a one-line reason
    // naming the target to build.
    [[nodiscard]] std::string check_bmis(const std::string& file) const;

private:
    std::unique_ptr<clang::tooling::CompilationDatabase> db_;
    std::filesystem::path build_dir_;
    std::map<std::string, module_output> outputs_;  // absolute BMI path -> who writes it
};

}  // namespace fa
