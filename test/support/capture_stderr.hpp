// Runs a callable with stderr redirected to a temporary file and returns what it wrote: for tests of
// `warn` policies and reports printed with an FA code.
#pragma once

#include <cstdio>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace framealloc_test {

// Runs f with stderr captured; returns what was written.
template <class F>
inline std::string capture_stderr(F&& f) {
    std::fflush(stderr);
    char path[] = "/tmp/framealloc_stderr_XXXXXX";
    const int fd = mkstemp(path);
    const int saved = dup(2);
    dup2(fd, 2);
    f();
    std::fflush(stderr);
    dup2(saved, 2);
    close(saved);
    std::string out;
    lseek(fd, 0, SEEK_SET);
    char buf[512];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, std::size_t(n));
    close(fd);
    unlink(path);
    return out;
}

}  // namespace framealloc_test

using framealloc_test::capture_stderr;
