// snapshot_json: a snapshot as JSON text, schema version 2 (docs/snapshot.schema.json).
//
// Members are written in the declaration order of the model (:snapshot), nested objects and arrays
// included, so two snapshots with the same values give the same bytes. Optional members that are
// empty are written as null, never left out: every field of the schema is always present.
// Complexity O(size of the snapshot); no shared state, callable from any thread.
module;
#include <chrono>
#include <string>
export module framealloc.report:snapshot_json;

import :json_writer;
import :snapshot;

export namespace framealloc {

// The whole snapshot as one JSON document (ends with a newline).
[[nodiscard]] std::string to_json(const snapshot& s);
// Writes the snapshot as the next value of `out` (inside an array of snapshots, for instance).
void write_json(json_writer& out, const snapshot& s);
// RFC 3339 UTC with milliseconds: "2026-11-25T21:17:03.042Z". Times before 1970 are written as such.
[[nodiscard]] std::string format_timestamp(std::chrono::system_clock::time_point t);

}  // namespace framealloc
