#include "lsp_documents.hpp"

#include "lsp_text.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace fa::lsp {
namespace {

namespace fs = std::filesystem;

// The byte offset of a protocol position in `text` (clamped to the text).
std::size_t offset_of(const std::string& text, const json& at, bool utf8) {
    if (!at["line"].is_number() || !at["character"].is_number()) throw std::invalid_argument("a range needs line and character");
    const auto line = static_cast<unsigned>(std::max(0.0, at["line"].as_number()));
    std::size_t start = 0;
    for (unsigned i = 0; i < line; ++i) {
        const auto nl = text.find('\n', start);
        if (nl == std::string::npos) return text.size();
        start = nl + 1;
    }
    const std::string_view l = line_of(text, line);
    return start + byte_column(l, static_cast<unsigned>(std::max(0.0, at["character"].as_number())), utf8);
}

}  // namespace

void documents::start(std::unique_ptr<project> p, bool utf8, fs::path documentation) {
    project_ = std::move(p);
    mode_.utf8 = utf8;
    mode_.documentation = std::move(documentation);
    const project::config_change first = project_->refresh_config();
    if (!first.error.empty()) show(1, first.error);
    worker_ = std::thread([this] { work(); });
}

void documents::stop() {
    {
        std::lock_guard g(lock_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void documents::open(const std::string& uri, const std::string& text) {
    std::string path = path_of_uri(uri);
    std::error_code ec;
    if (!path.empty()) path = fs::weakly_canonical(path, ec).string();
    {
        std::lock_guard g(lock_);
        open_[uri] = document{path, text, {}};
    }
    queue(uri);
}

void documents::change(const std::string& uri, const json& c) {
    std::lock_guard g(lock_);
    const auto it = open_.find(uri);
    if (it == open_.end()) throw std::invalid_argument("didChange for a document that is not open");
    if (!c["text"].is_string()) throw std::invalid_argument("a content change needs text");
    if (c["range"].is_null()) {
        it->second.text = c["text"].as_string();
        return;
    }
    std::string& text = it->second.text;
    const std::size_t begin = offset_of(text, c["range"]["start"], mode_.utf8);
    const std::size_t end = std::max(begin, offset_of(text, c["range"]["end"], mode_.utf8));
    text.replace(begin, end - begin, c["text"].as_string());
}

void documents::replace(const std::string& uri, const std::string& text) {
    std::lock_guard g(lock_);
    if (const auto it = open_.find(uri); it != open_.end()) it->second.text = text;
}

void documents::close(const std::string& uri) {
    {
        std::lock_guard g(lock_);
        open_.erase(uri);
        pending_.erase(uri);
        warned_.erase(uri);
    }
    publish(uri, json_array{});
}

void documents::queue(const std::string& uri) {
    {
        std::lock_guard g(lock_);
        if (!open_.contains(uri)) return;
        pending_.insert(uri);
    }
    wake_.notify_all();
}

void documents::queue_all() {
    {
        std::lock_guard g(lock_);
        for (const auto& [uri, doc] : open_) pending_.insert(uri);
    }
    wake_.notify_all();
}

position_mode documents::mode_for(const std::string& uri) const {
    position_mode m = mode_;
    m.document_uri = uri;
    return m;
}

json documents::hover(const std::string& uri, unsigned line, unsigned character) {
    std::lock_guard g(lock_);
    const auto it = open_.find(uri);
    if (it == open_.end()) return {};
    return hover_at(it->second.findings, it->second.text, line, character, mode_for(uri));
}

json documents::actions(const std::string& uri, unsigned first, unsigned last) {
    std::lock_guard g(lock_);
    const auto it = open_.find(uri);
    if (it == open_.end()) return json_array{};
    return code_actions(it->second.findings, it->second.text, uri, first, last, mode_for(uri));
}

void documents::publish(const std::string& uri, json diagnostics) {
    send_(json_object{{"jsonrpc", "2.0"},
                      {"method", "textDocument/publishDiagnostics"},
                      {"params", json_object{{"uri", uri}, {"diagnostics", std::move(diagnostics)}}}});
}

void documents::show(int type, const std::string& text) {
    send_(json_object{{"jsonrpc", "2.0"}, {"method", "window/showMessage"}, {"params", json_object{{"type", type}, {"message", "fa: " + text}}}});
}

void documents::work() {
    using namespace std::chrono_literals;
    while (true) {
        {
            std::unique_lock g(lock_);
            wake_.wait_for(g, 500ms, [&] { return stopping_ || !pending_.empty(); });
            if (stopping_) return;
        }
        const project::config_change change = project_->refresh_config();
        if (!change.error.empty()) show(1, change.error);
        if (change.changed) queue_all();

        std::string uri, path, text;
        {
            std::lock_guard g(lock_);
            if (pending_.empty()) continue;
            uri = *pending_.begin();
            pending_.erase(pending_.begin());
            const document& doc = open_.at(uri);
            path = doc.path;
            text = doc.text;
        }
        if (path.empty()) continue;  // not a file: nothing to analyse
        analysis_result result = project_->analyse(path, text);
        json diagnostics = json_array{};
        bool warn = false;
        {
            std::lock_guard g(lock_);
            const auto it = open_.find(uri);
            if (it == open_.end() || it->second.text != text) continue;  // closed or edited meanwhile: again later
            const position_mode mode = mode_for(uri);
            it->second.findings = result.what == analysis_result::kind::analysed ? result.findings : std::vector<finding>{};
            if (result.what == analysis_result::kind::analysed) diagnostics = diagnostics_of(result.findings, text, mode);
            else if (result.what == analysis_result::kind::failed) diagnostics = json_array{failure_diagnostic(result.message, path, text, mode)};
            else warn = warned_.insert(uri).second;
        }
        publish(uri, std::move(diagnostics));
        if (warn) show(2, result.message + "; no diagnostics for this file");
    }
}

}  // namespace fa::lsp
