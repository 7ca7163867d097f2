#!/usr/bin/env bash
# Runs every libFuzzer target for longer than ctest does (default 600 s each, one after another) from its
# seed corpus, and prints each one's final stats (executions, coverage). Needs a build configured with
# NPUSIM_FUZZ=ON (the default when clang++ can link -fsanitize=fuzzer).
# usage: scripts/fuzz-long.sh [SECONDS] [BUILD_DIR] ["TARGET ..."]   (targets without fuzz_, e.g. "cli fleet")
set -uo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-600}" build="${2:-$src/build}"
cmake --build "$build" --target npusim_fuzz >/dev/null || exit 1
status=0
targets="${3:-trace_json onnx config scalesim workload_spec sweep_files traffic fleet golden cli}"
for name in $targets; do
  seeds="$name"
  [ "$name" = trace_json ] && seeds=trace
  fuzzer="$build/fuzz/fuzz_$name"
  [ -x "$fuzzer" ] || { echo "fuzz_$name: not built (no ONNX support?), skipped"; continue; }
  echo "== fuzz_$name, $seconds s"
  "$src/tests/fuzz/run_fuzzer.sh" "$fuzzer" "$src/tests/fuzz/seeds_$seeds" "$seconds" 2>&1 \
    | grep -E '^(stat::|#[0-9]+[[:space:]]+DONE|==[0-9]+==ERROR|run_fuzzer)'
  # The fuzzer's own status (PIPESTATUS must be read before any other command replaces it).
  fuzzer_status="${PIPESTATUS[0]}"
  [ "$fuzzer_status" -eq 0 ] || status=1
done
exit "$status"
