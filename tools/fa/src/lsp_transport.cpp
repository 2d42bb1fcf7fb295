#include "lsp_transport.hpp"

#include <cctype>
#include <istream>
#include <ostream>

namespace fa::lsp {
namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

frame transport::read() {
    frame f;
    std::string line, error;
    bool have_length = false, any_line = false;
    std::size_t length = 0;
    while (true) {
        if (!std::getline(in_, line)) {
            f.what = frame::kind::end;
            return f;
        }
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) {
            if (!any_line) continue;  // stray blank lines between messages
            break;
        }
        // A body shorter than its Content-Length said leaves its tail in front of the next header:
        // start reading again at the header.
        if (const auto at = lower(line).find("content-length:"); at != std::string::npos && at > 0) {
            if (error.empty()) error = "data before a Content-Length header";
            line.erase(0, at);
        }
        any_line = true;
        const auto colon = line.find(':');
        if (colon == std::string::npos) {
            if (error.empty()) error = "a header line without a colon";
            continue;
        }
        const std::string name = lower(trim(line.substr(0, colon)));
        const std::string value = trim(line.substr(colon + 1));
        if (name != "content-length") continue;  // Content-Type and others: nothing to do
        std::size_t n = 0;
        bool ok = !value.empty() && value.size() <= 12;
        for (const char c : value) {
            if (c < '0' || c > '9') ok = false;
            else n = n * 10 + static_cast<std::size_t>(c - '0');
        }
        if (!ok) {
            if (error.empty()) error = "Content-Length '" + value + "' is not a byte count";
        } else if (n > max_body) {
            if (error.empty()) error = "Content-Length " + value + " is over the limit of 64 MiB";
        } else {
            length = n;
            have_length = true;
        }
    }
    if (error.empty() && !have_length) error = "no Content-Length header";
    if (!error.empty()) {
        f.what = frame::kind::bad_header;
        f.error = error;
        return f;
    }
    f.body.resize(length);
    in_.read(f.body.data(), static_cast<std::streamsize>(length));
    if (static_cast<std::size_t>(in_.gcount()) != length) {
        f.what = frame::kind::end;
        return f;
    }
    f.what = frame::kind::message;
    return f;
}

void transport::write(const std::string& body) {
    std::lock_guard g(write_lock_);
    out_ << "Content-Length: " << body.size() << "\r\n\r\n" << body;
    out_.flush();
}

}  // namespace fa::lsp
