// The documents the client has open, and the one thread that analyses them. Edits only mark a document
// pending; the thread takes the newest text of each pending document, so a burst of keystrokes costs one
// analysis. It also polls `.fa.toml` and re-analyses everything when the file changes.
#pragma once

#include "finding.hpp"
#include "lsp_features.hpp"
#include "lsp_json.hpp"
#include "lsp_project.hpp"

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace fa::lsp {

class documents {
public:
    using sender = std::function<void(const json&)>;  // sends a notification to the client
    explicit documents(sender send) : send_(std::move(send)) {}
    ~documents() { stop(); }
    documents(const documents&) = delete;
    documents& operator=(const documents&) = delete;

    // Starts the analysis thread (after initialize).
    void start(std::unique_ptr<project> p, bool utf8, std::filesystem::path documentation);
    // Waits for the analysis under way, then ends the thread.
    void stop();

    void open(const std::string& uri, const std::string& text);
    // One entry of didChange's contentChanges: the whole text, or a range and its replacement.
    void change(const std::string& uri, const json& change);
    void replace(const std::string& uri, const std::string& text);
    void close(const std::string& uri);
    void queue(const std::string& uri);
    void queue_all();

    [[nodiscard]] json hover(const std::string& uri, unsigned line, unsigned character);
    [[nodiscard]] json actions(const std::string& uri, unsigned first, unsigned last);

private:
    struct document {
        std::string path;  // canonical; empty for a URI that is not a file
        std::string text;
        std::vector<finding> findings;  // of the last analysis
    };
    void work();
    void publish(const std::string& uri, json diagnostics);
    void show(int type, const std::string& text);
    [[nodiscard]] position_mode mode_for(const std::string& uri) const;

    sender send_;
    std::unique_ptr<project> project_;
    position_mode mode_;
    std::mutex lock_;
    std::condition_variable wake_;
    std::map<std::string, document> open_;
    std::set<std::string> pending_, warned_;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace fa::lsp
