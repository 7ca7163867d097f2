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
# Not suppressed but corrected: SystemC 2.3.4 tells ASan of its coroutine switches with the main stack
# as (nullptr, 0) and not of a finished process's; arch/sanitizer_fibers.cpp gives ASan the real bounds.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$src/build-asan}"
# Warnings are gated by the plain build; -O1 with the sanitizers warns differently (no -Werror here).
cmake -S "$src" -B "$build" -DNPUSIM_SANITIZE=ON -DNPUSIM_FUZZ=OFF -DNPUSIM_WERROR=OFF \
  -DCMAKE_BUILD_TYPE=Sanitize >/dev/null
cmake --build "$build" -j2
export ASAN_OPTIONS="detect_stack_use_after_return=0:halt_on_error=1:abort_on_error=0:detect_leaks=1"
export LSAN_OPTIONS="suppressions=$src/tests/sanitize/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The unit and SystemC tests (every doctest case) and the CLI tests, bad input included. These run in
# the plain build only, as they repeat code paths covered here many times over and would take an hour
# under ASan: the long script tests (sweeps over Slurm, 10k-operator traces, plots, ONNX models,
# kill -9, the mapper's monotonicity sweep, the golden suite), the regression-gate cases that re-run whole
# suites, and the cases that replay every zoo model or serve LLM traffic end to end (each over a minute
# in the plain build, ten times that under ASan).
long_script_tests='slurm_sweep|fuzz_.*|trace_.*|onnx_.*|plots|serving_plots|kill_result_set|layering'
long_script_tests+='|mapper_monotonic|scalesim_reference|fleet|regression'
long_cases='regress: (a 1% change|integers compare|a golden folder that does not match)'
long_cases+='|serve at (a rate so low|saturation)|serve multichip|serve reports the NPU and the GPU'
long_cases+='|serve --preemption swap|cli sweep: (serve points|a serve point with a TP axis)'
long_cases+='|streams beside LLM requests|trace cli: every zoo model|cli multichip: Llama-3.1-405B'
ctest --test-dir "$build" --output-on-failure -j2 -E "^(($long_script_tests)\$|$long_cases)"
