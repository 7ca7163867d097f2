#!/usr/bin/env bash
# The sanitizer job: builds npusim and its tests with AddressSanitizer + UndefinedBehaviorSanitizer in
# BUILD_DIR (default build-asan) and runs the unit tests, the SystemC tests and the CLI tests under them.
# Any report fails the job (halt_on_error; UBSan does not recover).
# usage: scripts/sanitize.sh [BUILD_DIR]
#
# Suppressed, and why (nothing else is):
#  - detect_stack_use_after_return=0: SystemC runs every process on a coroutine stack of its own
#    (QuickThreads in Debian's libsystemc); ASan's fake stacks for use-after-return do not follow those
#    switches and report frames of the other stack. The rest of stack checking stays on.
#  - tests/sanitize/lsan.supp: allocations SystemC's kernel makes once per process and frees never
#    (the simulation context and its process handles, reachable only from SystemC's own statics).
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$src/build-asan}"
cmake -S "$src" -B "$build" -DNPUSIM_SANITIZE=ON -DNPUSIM_FUZZ=OFF -DCMAKE_BUILD_TYPE=Sanitize >/dev/null
cmake --build "$build" -j2
export ASAN_OPTIONS="detect_stack_use_after_return=0:halt_on_error=1:abort_on_error=0:detect_leaks=1"
export LSAN_OPTIONS="suppressions=$src/tests/sanitize/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The unit and SystemC tests (every doctest case) and the CLI tests; the long script tests (sweeps over
# Slurm, 10k-operator traces, plots, ONNX models, kill -9) run in the plain build.
ctest --test-dir "$build" --output-on-failure -j2 -E '^(slurm_sweep|fuzz_.*|trace_.*|onnx_.*|plots|kill_result_set|layering)$'
