#!/usr/bin/env bash
# Configures and builds the `fuzz` preset (build/fuzz), then runs alloc_fuzz for a bounded time on a
# copy of the seed corpus in build/fuzz/fuzz-run/corpus (the corpus grows there between runs; the
# seeds in test/fuzz/corpus are never written). Exits non-zero when the fuzzer reports a crash, a
# leak, a timeout or an out-of-memory; the input that caused it is in build/fuzz/fuzz-run/artifacts/.
#
#   test/fuzz/run.sh [seconds] [extra libFuzzer flags...]     default 60 seconds
#
# Environment: FRAMEALLOC_FUZZ_INJECT=<mode> builds the harness with an injected fault (it must crash:
# see test/fuzz/CMakeLists.txt); every run without it rebuilds the normal harness.
# FRAMEALLOC_FUZZ_UPSTREAM_SCRIBBLE=0 and FRAMEALLOC_FUZZ_TRACE=1 are passed through to the harness.
# Reproduce a crash: build/fuzz/test/fuzz/alloc_fuzz <artifact>  (FRAMEALLOC_FUZZ_TRACE=1 prints each step).
set -euo pipefail

seconds="${1:-60}"
shift $(( $# > 0 ? 1 : 0 ))
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || (( seconds == 0 )); then
  echo "usage: $0 [seconds > 0] [libFuzzer flags...]" >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

cmake --preset fuzz -DFRAMEALLOC_FUZZ_INJECT="${FRAMEALLOC_FUZZ_INJECT:-none}" >/dev/null
cmake --build --preset fuzz --target alloc_fuzz

build="$root/build/fuzz"
fuzzer="$build/test/fuzz/alloc_fuzz"
work="$build/fuzz-run"
mkdir -p "$work/corpus" "$work/artifacts"
cp -f "$root"/test/fuzz/corpus/* "$work/corpus/"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

# Known reproducers first: every bug the fuzzer found stays fixed.
if compgen -G "$root/test/fuzz/repro/*" >/dev/null; then
  "$fuzzer" "$root"/test/fuzz/repro/*
fi

echo "run.sh: fuzzing $fuzzer for ${seconds}s; corpus $work/corpus, crash artifacts $work/artifacts/"
status=0
"$fuzzer" "$work/corpus" \
  -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=20 -max_len=4096 \
  -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$@" || status=$?

if (( status != 0 )); then
  echo "run.sh: alloc_fuzz FAILED (exit $status); reproducer(s):" >&2
  ls -t "$work/artifacts/" | head -n 5 | sed "s|^|  $work/artifacts/|" >&2
  exit "$status"
fi
echo "run.sh: no crash in ${seconds}s"
