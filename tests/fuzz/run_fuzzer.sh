#!/usr/bin/env bash
# ctest driver: runs one libFuzzer target for a bounded time from a copy of its seed corpus. On a
# finding the work folder (crash input, corpus) is kept and named.
# usage: run_fuzzer.sh FUZZER SEED_DIR SECONDS
set -uo pipefail
fuzzer="$1" seeds="$2" seconds="$3"
work="$(mktemp -d "${TMPDIR:-/tmp}/npusim_fuzz.XXXXXX")"
mkdir -p "$work/corpus"
cp "$seeds"/* "$work/corpus/" 2>/dev/null
# -rss_limit_mb guards against allocation blow-ups; -timeout flags inputs that take seconds.
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=1024 -max_len=65536 -timeout=10 \
  -artifact_prefix="$work/" -print_final_stats=1 "$work/corpus"
status=$?
if [ "$status" -eq 0 ]; then
  rm -rf "$work"
else
  echo "run_fuzzer.sh: $(basename "$fuzzer") found a problem; inputs kept in $work" >&2
fi
exit "$status"
