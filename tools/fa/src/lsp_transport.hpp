// The language server's framing (the LSP base protocol): "Content-Length: N\r\n" headers, a blank line,
// N bytes of JSON. Reading never trusts the client: a header block without a usable length, or a length
// over the limit, is reported as a framing error and reading goes on with the next block.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <mutex>
#include <string>

namespace fa::lsp {

struct frame {
    enum class kind { message, bad_header, end } what = kind::end;
    std::string body;   // message: the JSON text
    std::string error;  // bad_header: why
};

class transport {
public:
    static constexpr std::size_t max_body = 64u << 20;

    transport(std::istream& in, std::ostream& out) : in_(in), out_(out) {}

    // The next frame; kind::end at the end of input (or input cut inside a body).
    [[nodiscard]] frame read();
    // Writes one message whole; safe from several threads.
    void write(const std::string& body);

private:
    std::istream& in_;
    std::ostream& out_;
    std::mutex write_lock_;
};

}  // namespace fa::lsp
