#!/usr/bin/env python3
"""Speed of npusim's SCALE-Sim drop-in against SCALE-Sim v2 itself, on one config and topology.

  scripts/bench_scalesim.py --npusim build/npusim --cfg X.cfg --topology T.csv \\
      [--scalesim-dir /path/to/scale-sim-v2] [--scalesim-seconds S] [--repeat 5]

npusim: best wall time of --repeat runs of `npusim run --npu X.cfg --workload T.csv
--scalesim-reports DIR`. SCALE-Sim: one run of scale-sim-v2 from --scalesim-dir (its own
scalesim.scale_sim API, save_disk_space=True, no traces), or the seconds given by --scalesim-seconds
(a measured or published figure). With both reports at hand it also checks they are identical.
Prints one JSON object: npusim_s, scalesim_s, speedup, reports_identical."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPORTS = ['COMPUTE_REPORT.csv', 'BANDWIDTH_REPORT.csv', 'DETAILED_ACCESS_REPORT.csv']


def run_npusim(npusim, cfg, topology, out, repeat):
    best = float('inf')
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([npusim, 'run', '--npu', cfg, '--workload', topology, '--scalesim-reports', out],
                       check=True)
        best = min(best, time.perf_counter() - start)
    return best


def run_scalesim(scalesim_dir, cfg, topology, out):
    gemm = len([f for f in open(topology).readline().split(',') if f.strip()]) == 4
    code = ('import sys; sys.path.insert(0, %r)\n'
            'from scalesim.scale_sim import scalesim\n'
            's = scalesim(save_disk_space=True, verbose=False, config=%r, topology=%r, input_type_gemm=%r)\n'
            's.run_scale(top_path=%r)\n') % (scalesim_dir, cfg, topology, gemm, out)
    start = time.perf_counter()
    subprocess.run([sys.executable, '-c', code], check=True)
    seconds = time.perf_counter() - start
    run_dir = os.path.join(out, os.listdir(out)[0])
    return seconds, run_dir


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--npusim', required=True)
    parser.add_argument('--cfg', required=True)
    parser.add_argument('--topology', required=True)
    parser.add_argument('--scalesim-dir')
    parser.add_argument('--scalesim-seconds', type=float)
    parser.add_argument('--repeat', type=int, default=5)
    args = parser.parse_args()
    work = tempfile.mkdtemp()
    try:
        ours = os.path.join(work, 'npusim')
        result = {'npusim_s': run_npusim(args.npusim, args.cfg, args.topology, ours, args.repeat)}
        if args.scalesim_dir:
            result['scalesim_s'], theirs = run_scalesim(args.scalesim_dir, args.cfg, args.topology,
                                                        os.path.join(work, 'scalesim'))
            result['reports_identical'] = all(
                open(os.path.join(ours, f)).read() == open(os.path.join(theirs, f)).read() for f in REPORTS)
        elif args.scalesim_seconds:
            result['scalesim_s'] = args.scalesim_seconds
        if 'scalesim_s' in result:
            result['speedup'] = result['scalesim_s'] / result['npusim_s']
        print(json.dumps(result))
    finally:
        shutil.rmtree(work)


if __name__ == '__main__':
    main()
