#!/usr/bin/env bash
# Runs every zoo network on every NPU preset and writes result.json/layers.csv per pair under OUTDIR,
# or, given a second folder, compares two such output trees byte for byte.
# usage: scripts/compare-outputs.sh run NPUSIM OUTDIR   |   scripts/compare-outputs.sh diff DIR_A DIR_B
# Used to show that a refactoring changed no number: run it before and after, then diff.
set -euo pipefail
mode="${1:-}"
case "$mode" in
  run)
    npusim="$2"; out="$3"; mkdir -p "$out"
    presets=$("$npusim" list | awk '/^NPU presets/{p=1; next} /^$/{p=0} p{print $1}')
    workloads="resnet50 mobilenetv2 yolov5s bert-base bert-large gpt2 vit-b16 llama2-7b:seq=128 llama3.1-8b:seq=128"
    for p in $presets; do
      for w in $workloads; do
        dir="$out/$p/${w//[:=,]/_}"; mkdir -p "$out/$p"
        "$npusim" run --npu "$p" --workload "$w" --quiet --out "$dir" >/dev/null 2>"$dir.err" || true
      done
    done
    ;;
  diff)
    a="$2"; b="$3"; same=0; differ=0
    while IFS= read -r f; do
      if cmp -s "$a/$f" "$b/$f"; then same=$((same + 1)); else differ=$((differ + 1)); echo "differs: $f"; fi
    done < <(cd "$a" && find . -type f | sort)
    echo "$same identical, $differ different"
    [ "$differ" -eq 0 ]
    ;;
  *) echo "usage: $0 run NPUSIM OUTDIR | diff DIR_A DIR_B" >&2; exit 2 ;;
esac
