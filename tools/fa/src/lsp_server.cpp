#include "lsp_server.hpp"

#include "lsp_documents.hpp"
#include "lsp_features.hpp"
#include "lsp_json.hpp"
#include "lsp_project.hpp"
#include "lsp_text.hpp"
#include "lsp_transport.hpp"

#include <istream>

namespace fa::lsp {
namespace {

namespace fs = std::filesystem;

// JSON-RPC and LSP error codes.
constexpr int parse_error = -32700, invalid_request = -32600, method_not_found = -32601, invalid_params = -32602,
              internal_error = -32603, not_initialized = -32002;

struct rpc_error {
    int code;
    std::string message;
};

class server {
public:
    server(const server_options& options, std::istream& in, std::ostream& out)
        : options_(options), io_(in, out), docs_([this](const json& m) { send(m); }) {}

    int run() {
        while (true) {
            const frame f = io_.read();
            if (f.what == frame::kind::end) break;
            if (f.what == frame::kind::bad_header) {
                reply_error(json(), parse_error, "bad message header: " + f.error);
                continue;
            }
            std::string error;
            std::optional<json> message = parse_json(f.body, error);
            if (!message) {
                reply_error(json(), parse_error, "message is not JSON: " + error);
                continue;
            }
            if (handle(*message)) break;
        }
        docs_.stop();
        return exit_status_;
    }

private:
    void send(const json& message) { io_.write(to_text(message)); }

    void reply(const json& id, json result) {
        send(json_object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
    }
    void reply_error(const json& id, int code, const std::string& text) {
        send(json_object{{"jsonrpc", "2.0"}, {"id", id}, {"error", json_object{{"code", code}, {"message", text}}}});
    }

    // True when the server must stop (exit).
    bool handle(const json& m) {
        if (!m.is_object()) {
            reply_error(json(), invalid_request, "a message must be a JSON object (batches are not used by LSP)");
            return false;
        }
        const json& id = m["id"];
        const bool has_id = m.as_object().contains("id");
        const bool valid_id = id.is_string() || (id.is_number() && id.as_number() == static_cast<double>(static_cast<long long>(id.as_number())));
        if (!m.as_object().contains("method") && has_id && (m.as_object().contains("result") || m.as_object().contains("error")))
            return false;  // a response to a request of the server's: nothing to do
        if (m.string_at("jsonrpc") != std::optional<std::string>("2.0") || !m["method"].is_string() || (has_id && !valid_id)) {
            reply_error(valid_id ? id : json(), invalid_request, "not a JSON-RPC 2.0 request or notification");
            return false;
        }
        const std::string& method = m["method"].as_string();
        const bool request = has_id;
        const json& params = m["params"];
        if (method == "exit") {
            exit_status_ = shut_down_ ? 0 : 1;
            return true;
        }
        try {
            if (request) {
                json result = answer(method, params);
                reply(id, std::move(result));
            } else {
                notice(method, params);
            }
        } catch (const rpc_error& e) {
            if (request) reply_error(id, e.code, e.message);
            else log(method + ": " + e.message);
        } catch (const std::exception& e) {
            if (request) reply_error(id, internal_error, e.what());
            else log(method + ": " + e.what());
        }
        return false;
    }

    static const std::string& need_string(const json& where, const char* key, const char* what) {
        const json& v = where[key];
        if (!v.is_string()) throw rpc_error{invalid_params, std::string(what) + " needs " + key};
        return v.as_string();
    }
    static unsigned need_count(const json& where, const char* key, const char* what) {
        const json& v = where[key];
        if (!v.is_number() || v.as_number() < 0 || v.as_number() > 4.0e9)
            throw rpc_error{invalid_params, std::string(what) + " needs " + key + " (a count)"};
        return static_cast<unsigned>(v.as_number());
    }

    json answer(const std::string& method, const json& params) {
        if (method == "initialize") return initialize(params);
        if (!initialized_) throw rpc_error{not_initialized, "initialize first"};
        if (shut_down_) throw rpc_error{invalid_request, "the server is shut down: only exit is accepted"};
        if (method == "shutdown") {
            shut_down_ = true;
            return json();
        }
        if (method == "textDocument/hover") {
            const std::string& uri = need_string(params["textDocument"], "uri", "hover");
            const json& at = params["position"];
            return docs_.hover(uri, need_count(at, "line", "position"), need_count(at, "character", "position"));
        }
        if (method == "textDocument/codeAction") {
            const std::string& uri = need_string(params["textDocument"], "uri", "codeAction");
            const json& range = params["range"];
            return docs_.actions(uri, need_count(range["start"], "line", "range"), need_count(range["end"], "line", "range"));
        }
        if (method == "fa/explain") {  // the "Explain FA code" command of the editors' extensions
            const std::string& code = need_string(params, "code", "fa/explain");
            const std::string text = explain_markdown(code);
            if (text.empty()) throw rpc_error{invalid_params, "'" + code + "' is not a code framealloc knows"};
            return json_object{{"code", code}, {"markdown", text}};
        }
        throw rpc_error{method_not_found, "unknown method '" + method + "'"};
    }

    json initialize(const json& params) {
        if (initialized_) throw rpc_error{invalid_request, "initialize was already sent"};
        if (!params.is_object()) throw rpc_error{invalid_params, "initialize needs params"};
        fs::path root = fs::current_path();
        if (const auto uri = params["rootUri"].is_string() ? params.string_at("rootUri") : std::nullopt;
            uri && !path_of_uri(*uri).empty())
            root = path_of_uri(*uri);
        else if (const auto path = params.string_at("rootPath"))
            root = *path;
        bool utf8 = false;
        for (const json& e : params["capabilities"]["general"]["positionEncodings"].is_array()
                                 ? params["capabilities"]["general"]["positionEncodings"].as_array()
                                 : json_array{})
            if (e.is_string() && e.as_string() == "utf-8") utf8 = true;
        docs_.start(std::make_unique<project>(root, options_.build, options_.config), utf8, find_documentation());
        initialized_ = true;
        return json_object{
            {"capabilities",
             json_object{{"positionEncoding", utf8 ? "utf-8" : "utf-16"},
                         {"textDocumentSync", json_object{{"openClose", true}, {"change", 1}, {"save", json_object{{"includeText", false}}}}},
                         {"hoverProvider", true},
                         {"codeActionProvider", json_object{{"codeActionKinds", json_array{"quickfix"}}}}}},
            {"serverInfo", json_object{{"name", "fa"}, {"version", "0.1.0"}}}};
    }

    void notice(const std::string& method, const json& params) {
        if (!initialized_ || shut_down_) return;  // dropped, as the protocol asks
        if (method == "textDocument/didOpen") {
            const json& doc = params["textDocument"];
            docs_.open(need_string(doc, "uri", "didOpen"), need_string(doc, "text", "didOpen"));
        } else if (method == "textDocument/didChange") {
            const std::string& uri = need_string(params["textDocument"], "uri", "didChange");
            const json& changes = params["contentChanges"];
            if (!changes.is_array()) throw rpc_error{invalid_params, "didChange needs contentChanges"};
            for (const json& c : changes.as_array()) docs_.change(uri, c);
            docs_.queue(uri);
        } else if (method == "textDocument/didSave") {
            const std::string& uri = need_string(params["textDocument"], "uri", "didSave");
            if (const auto text = params.string_at("text")) docs_.replace(uri, *text);
            docs_.queue(uri);
        } else if (method == "textDocument/didClose") {
            docs_.close(need_string(params["textDocument"], "uri", "didClose"));
        } else if (method == "workspace/didChangeWatchedFiles" || method == "workspace/didChangeConfiguration") {
            docs_.queue_all();
        }
        // Other notifications ($/cancelRequest, $/setTrace, initialized, ...): nothing to do.
    }

    void log(const std::string& text) {
        send(json_object{{"jsonrpc", "2.0"}, {"method", "window/logMessage"}, {"params", json_object{{"type", 2}, {"message", "fa: " + text}}}});
    }

    server_options options_;
    transport io_;
    documents docs_;
    bool initialized_ = false, shut_down_ = false;
    int exit_status_ = 1;  // input ended without exit: as exit without shutdown
};

}  // namespace

int run_server(const server_options& options, std::istream& in, std::ostream& out) {
    // std::cin flushes std::cout before each read: from the reading thread, racing the analysis thread's
    // writes. Every message is flushed whole under the transport's lock instead.
    in.tie(nullptr);
    return server(options, in, out).run();
}

}  // namespace fa::lsp
