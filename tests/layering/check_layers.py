#!/usr/bin/env python3
"""The layering rule, executable: every C++ file's project includes must point down the floors

    arch/spec  <  arch/isa  <  arch/timing  <  arch models (compute/ memory/ dma/ noc/ core/ npu*)
               <  workloads/  <  analysis/  <  sim/

(arch models and workloads sit side by side and never see each other), and only the arch models and
sim/ may include SystemC. Prints one line per violation and exits 1 when there is any.

    python3 tests/layering/check_layers.py --source-dir .  [--self-test]
"""

import argparse
import os
import re
import sys

# Each part and the parts its files may include (besides itself).
ALLOWED = {
    "spec": set(),
    "isa": {"spec"},
    "timing": {"spec", "isa"},  # reservation servers record timeline spans
    "models": {"spec", "isa", "timing"},
    "workloads": {"spec", "isa", "timing"},
    "analysis": {"spec", "isa", "timing", "workloads"},
    "program": {"spec", "isa", "timing", "models", "workloads", "analysis"},
}
SYSTEMC_PARTS = {"models", "program"}
MODEL_FOLDERS = ("arch/compute/", "arch/memory/", "arch/dma/", "arch/noc/", "arch/core/")
SOURCE_SUFFIXES = (".h", ".hpp", ".cpp", ".cc")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SYSTEMC_HEADERS = {"systemc", "systemc.h", "tlm", "tlm.h"}


def part_of(path):
    """The part a repository-relative path belongs to, or None outside the layered folders."""
    for prefix, part in (("arch/spec/", "spec"), ("arch/isa/", "isa"), ("arch/timing/", "timing"),
                         ("workloads/", "workloads"), ("analysis/", "analysis"), ("sim/", "program")):
        if path.startswith(prefix):
            return part
    if path.startswith(MODEL_FOLDERS) or (path.startswith("arch/") and path.count("/") == 1):
        return "models"
    return None


def violations_in(path, lines):
    """(line number, message) for each include in `lines` (the text of `path`) that breaks the rule."""
    part = part_of(path)
    found = []
    for number, line in enumerate(lines, 1):
        match = INCLUDE.match(line)
        if not match:
            continue
        target = match.group(2)
        if target.split("/")[-1] in SYSTEMC_HEADERS and target.split("/")[0] in ("systemc", "tlm", target):
            if part not in SYSTEMC_PARTS:
                found.append((number, f"{part} must not include SystemC <{target}>"))
            continue
        target_part = part_of(target) if match.group(1) == '"' else None
        if target_part is None or target_part == part:
            continue
        if target_part not in ALLOWED[part]:
            found.append((number, f"{part} must not include {target_part} (\"{target}\")"))
    return found


def check_tree(source_dir):
    problems = []
    for top in ("arch", "workloads", "analysis", "sim"):
        for root, _, files in os.walk(os.path.join(source_dir, top)):
            for name in sorted(files):
                if not name.endswith(SOURCE_SUFFIXES):
                    continue
                full = os.path.join(root, name)
                rel = os.path.relpath(full, source_dir).replace(os.sep, "/")
                with open(full, encoding="utf-8") as f:
                    for number, message in violations_in(rel, f.read().splitlines()):
                        problems.append(f"{rel}:{number}: {message}")
    return sorted(problems)


def self_test():
    """The rule must catch a wrong include of each kind, and let the right ones pass."""
    cases = [
        ("arch/spec/npu_config.h", '#include "workloads/ir/operator.h"', True),
        ("arch/isa/layer_stats.h", '#include "arch/timing/dma_timing.h"', True),
        ("workloads/mapper/mapper.cpp", '#include "arch/npu.h"', True),
        ("workloads/mapper/mapper.cpp", "#include <systemc>", True),
        ("analysis/energy/npu_energy.cpp", '#include "sim/run/run_job.h"', True),
        ("arch/memory/sram.cpp", '#include "workloads/mapper/mapper.h"', True),
        ("arch/timing/dma_timing.cpp", '#include "arch/core/npu_core.h"', True),
        ("workloads/mapper/mapper.cpp", '#include "arch/isa/command_stream.h"', False),
        ("analysis/energy/npu_energy.cpp", '#include "workloads/ir/operator.h"', False),
        ("arch/memory/sram.cpp", "#include <systemc>", False),
        ("sim/run/run_job.cpp", '#include "arch/npu.h"', False),
    ]
    failed = 0
    for path, line, wrong in cases:
        if bool(violations_in(path, [line])) != wrong:
            print(f"self-test: {path}: {line}: expected {'a violation' if wrong else 'no violation'}")
            failed += 1
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--self-test", action="store_true", help="also check the rule on known cases")
    args = parser.parse_args()
    failed = self_test() if args.self_test else 0
    problems = check_tree(args.source_dir)
    for problem in problems:
        print(problem)
    print(f"layering: {len(problems)} include(s) against the floors")
    return 1 if problems or failed else 0


if __name__ == "__main__":
    sys.exit(main())
