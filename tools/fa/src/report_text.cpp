// Text output as clang prints it, so editors and CI log parsers pick it up:
//   FILE:LINE:COL: warning: FA601 message [fa-dirtymem]
//   FILE:LINE:COL: note: frame memory allocated here
//     hint: ...
#include "registry_bridge.hpp"
#include "report.hpp"

#include <ostream>

namespace fa {

void write_text(std::ostream& out, const run_report& r, bool verbose) {
    std::size_t shown = 0;
    for (const finding& f : r.findings) {
        if (f.suppressed) continue;
        ++shown;
        out << f.where.file << ':' << f.where.line << ':' << f.where.column << ": "
            << (f.denied ? "error: " : "warning: ") << f.code << ' ' << f.message << " [" << group_of(f.code) << "]\n";
        if (f.origin.line != 0)
            out << f.origin.file << ':' << f.origin.line << ':' << f.origin.column << ": note: " << f.origin_note << '\n';
        if (verbose) {
            registry_entry e;
            if (find_registry_entry(f.code, e)) out << "  " << e.code << ' ' << e.title << ": " << e.explanation << '\n';
        }
        if (!f.hint.empty()) out << "  hint: " << f.hint << '\n';
    }
    if (shown != 0) out << shown << (shown == 1 ? " finding" : " findings") << " in " << r.files.size()
                        << (r.files.size() == 1 ? " file\n" : " files\n");
}

}  // namespace fa
