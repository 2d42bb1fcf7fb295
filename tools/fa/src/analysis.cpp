// Runs the checks: one clang front end (syntax only) per file, on the BMIs the user's build produced,
// `jobs` files at a time. Only declarations written in the project's own files are analysed (system
// headers and imported modules are not).
#include "analysis.hpp"

#include "checks.hpp"
#include "compile_db.hpp"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>
#include <regex>
#include <thread>

namespace fa {

void report(const check_context& cx, const function_model& m, const char* code, clang::SourceLocation where,
            std::string message, const frame_origin* origin, std::string note) {
    finding f;
    f.code = code;
    f.where = m.position(where);
    f.message = std::move(message);
    if (origin != nullptr && origin->where.isValid()) {
        f.origin = m.position(origin->where);
        f.origin_note = std::move(note);
    }
    if (f.where.line != 0) cx.out->push_back(std::move(f));
}

namespace {

namespace fs = std::filesystem;
using namespace clang;

// Every function with a body written in a non-system file: free functions, methods, constructors,
// templates (their patterns). Lambdas are part of the function they are written in.
class function_finder : public RecursiveASTVisitor<function_finder> {
public:
    explicit function_finder(std::vector<const FunctionDecl*>& out) : out_(out) {}
    bool shouldVisitTemplateInstantiations() const { return false; }
    bool shouldVisitLambdaBody() const { return false; }
    bool VisitFunctionDecl(FunctionDecl* f) {
        if (f->doesThisDeclarationHaveABody() && !f->isImplicit()) out_.push_back(f);
        return true;
    }

private:
    std::vector<const FunctionDecl*>& out_;
};

class checks_consumer : public ASTConsumer {
public:
    explicit checks_consumer(check_context cx) : cx_(std::move(cx)) {}
    bool HandleTopLevelDecl(DeclGroupRef group) override {
        for (Decl* d : group)
            if (d != nullptr) top_.push_back(d);
        return true;
    }
    // Declarations deserialized from imported modules arrive here (by default forwarded to
    // HandleTopLevelDecl): they are not the file's own code.
    void HandleInterestingDecl(DeclGroupRef) override {}
    void HandleTranslationUnit(ASTContext& context) override {
        if (context.getDiagnostics().hasErrorOccurred()) return;
        const SourceManager& sm = context.getSourceManager();
        std::vector<const FunctionDecl*> functions;
        function_finder finder(functions);
        const std::vector<Decl*> top = top_;  // traversal may deserialize more declarations
        for (Decl* d : top) {
            const SourceLocation loc = sm.getFileLoc(d->getLocation());
            if (loc.isInvalid() || sm.isInSystemHeader(loc)) continue;
            finder.TraverseDecl(d);
        }
        const tu_summary summary = summarize(functions);
        check_context cx = cx_;
        cx.summary = &summary;
        for (const FunctionDecl* f : functions) {
            if (sm.isInSystemHeader(sm.getFileLoc(f->getLocation()))) continue;
            if (const auto* method = dyn_cast<CXXMethodDecl>(f); method && method->getParent()->isLambda()) continue;
            const function_model model(*f, context);
            check_lifetime(model, cx);
            check_returned(model, cx);
            check_loops(model, cx);
            check_tasks(model, cx);
            check_transfers(model, cx);
            check_tags(model, cx);
            check_memory_kinds(model, cx);
        }
    }

private:
    check_context cx_;
    std::vector<Decl*> top_;
};

class checks_action : public ASTFrontendAction {
public:
    explicit checks_action(check_context cx) : cx_(std::move(cx)) {}
    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance&, StringRef) override {
        return std::make_unique<checks_consumer>(cx_);
    }

private:
    check_context cx_;
};

class checks_factory : public tooling::FrontendActionFactory {
public:
    explicit checks_factory(check_context cx) : cx_(std::move(cx)) {}
    std::unique_ptr<FrontendAction> create() override { return std::make_unique<checks_action>(cx_); }

private:
    check_context cx_;
};

// Keeps the first error clang reports for the file, as one line.
class first_error : public DiagnosticConsumer {
public:
    void HandleDiagnostic(DiagnosticsEngine::Level level, const Diagnostic& info) override {
        DiagnosticConsumer::HandleDiagnostic(level, info);
        if (level < DiagnosticsEngine::Error || !text.empty()) return;
        SmallString<256> message;
        info.FormatDiagnostic(message);
        text = message.str().str();
        if (info.getLocation().isValid() && info.hasSourceManager()) {
            const PresumedLoc p = info.getSourceManager().getPresumedLoc(info.getLocation());
            if (p.isValid())
                text = std::string(p.getFilename()) + ":" + std::to_string(p.getLine()) + ":" + std::to_string(p.getColumn()) +
                       ": " + text;
        }
    }
    std::string text;
};

// A translation unit that imports framealloc and is not itself a unit of a module (the library's own
// implementation units are not user code).
bool imports_framealloc(const std::string& file) {
    static const std::regex import_re(R"(^\s*import\s+framealloc(\.[A-Za-z_]+)?\s*;)");
    static const std::regex module_re(R"(^\s*(export\s+)?module\s+[A-Za-z_])");
    std::ifstream in(file);
    std::string line;
    bool imports = false;
    while (std::getline(in, line)) {
        if (std::regex_search(line, module_re)) return false;
        if (std::regex_search(line, import_re)) imports = true;
    }
    return imports;
}

std::string resource_dir() {
    // The builtin headers of the clang this tool is linked with (the user's BMIs were built with them).
    for (const char* candidate : {"/usr/lib/llvm-19/lib/clang/19"})
        if (fs::exists(fs::path(candidate) / "include" / "stddef.h")) return candidate;
    return {};
}

}  // namespace

analysis_outcome run_analysis(const analysis_request& request) {
    analysis_outcome out;
    std::string error;
    const std::unique_ptr<compile_db> db = compile_db::load(request.build_dir, error);
    if (!db) {
        out.fatal = error;
        return out;
    }
    std::vector<std::string> files;
    if (request.paths.empty()) {
        for (const std::string& f : db->files()) {
            const fs::path p(f);
            if (p.extension() == ".cppm" || !imports_framealloc(f)) continue;
            files.push_back(f);
        }
    } else {
        for (const std::string& given : request.paths) {
            const std::string f = fs::weakly_canonical(fs::absolute(given)).string();
            if (!fs::exists(f)) {
                out.fatal = given + ": no such file";
                return out;
            }
            if (!db->contains(f)) {
                out.fatal = given + ": not in the compile database " + (request.build_dir / "compile_commands.json").string() +
                            " (is it part of a target of that build?)";
                return out;
            }
            files.push_back(f);
        }
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    std::erase_if(files, [&](const std::string& f) {
        const std::string relative = fs::path(f).lexically_relative(request.root).generic_string();
        for (const std::string& glob : request.exclude)
            if (glob_match(glob, relative) || glob_match(glob, f)) return true;
        return false;
    });
    out.files = files;

    const std::string resources = resource_dir();
    std::mutex lock;
    std::atomic<std::size_t> next{0};
    const auto worker = [&] {
        for (std::size_t i = next++; i < files.size(); i = next++) {
            const std::string& file = files[i];
            const std::string bmi = db->check_bmis(file);
            if (!bmi.empty()) {
                std::lock_guard g(lock);
                out.errors.push_back({file, bmi});
                continue;
            }
            std::vector<finding> found;
            std::set<std::string> tags;
            check_context cx{request.families, request.cfg, request.root, &tags, &found};
            // A file system of its own whose working directory is not the process's: ClangTool moves to each
            // command's directory (CMake's module maps and BMI paths are relative to it), and with the real
            // file system that is a chdir of the whole process, which races between the worker threads.
            tooling::ClangTool tool(*db, {file}, std::make_shared<PCHContainerOperations>(),
                                    llvm::vfs::createPhysicalFileSystem());
            if (!resources.empty())
                tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(("-resource-dir=" + resources).c_str(),
                                                                                tooling::ArgumentInsertPosition::END));
            tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
                tooling::CommandLineArguments{"-Wno-everything", "-fno-caret-diagnostics"}, tooling::ArgumentInsertPosition::END));
            for (const auto& [path, text] : request.unsaved) tool.mapVirtualFile(path, text);
            tool.setPrintErrorMessage(false);  // the error is reported once, below
            first_error diagnostics;
            tool.setDiagnosticConsumer(&diagnostics);
            checks_factory factory(cx);
            const int rc = tool.run(&factory);
            std::lock_guard g(lock);
            if (rc != 0 || !diagnostics.text.empty()) {
                const std::string& why = diagnostics.text;
                const bool stale = why.find("module file") != std::string::npos || why.find("AST file") != std::string::npos ||
                                   why.find("precompiled file") != std::string::npos;
                out.errors.push_back({file, (stale ? "BMI could not be used (rebuild the project first): "
                                                   : "does not compile: ") +
                                                (why.empty() ? std::string("clang failed") : why)});
                continue;
            }
            out.findings.insert(out.findings.end(), found.begin(), found.end());
            out.tags_seen.insert(tags.begin(), tags.end());
        }
    };
    const unsigned jobs = std::max(1u, std::min<unsigned>(request.jobs, static_cast<unsigned>(files.size())));
    std::vector<std::thread> threads;
    for (unsigned j = 1; j < jobs; ++j) threads.emplace_back(worker);
    worker();
    for (std::thread& t : threads) t.join();
    return out;
}

}  // namespace fa
