#!/usr/bin/env python3
"""SCALE-Sim drop-in regression: runs `npusim run --npu CFG --workload TOPO --scalesim-reports DIR`
on every case in tests/data/scalesim-reference/ and compares the three reports with SCALE-Sim v2's
own files (README there: commit and command). Byte-identical files pass; any difference fails and is
shown number by number (cycles and counts must be equal, bandwidths within 0.1%).
Also checks bad input: exit code 2, one line naming file and line, no report file written."""
import argparse
import os
import subprocess
import sys
import tempfile

REPORTS = ['COMPUTE_REPORT.csv', 'BANDWIDTH_REPORT.csv', 'DETAILED_ACCESS_REPORT.csv']


def numbers(text):
    rows = [r for r in text.splitlines()[1:] if r.strip()]
    return [[float(x) for x in r.split(',')[:-1]] for r in rows]


def compare_case(npusim, case_dir):
    cfg = [f for f in os.listdir(case_dir) if f.endswith('.cfg')][0]
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run([npusim, 'run', '--npu', os.path.join(case_dir, cfg), '--workload',
                              os.path.join(case_dir, 'topology.csv'), '--scalesim-reports', out],
                             capture_output=True, text=True)
        if run.returncode != 0:
            return 0, 1, ['npusim failed: ' + run.stderr.strip()]
        layers = bad_layers = 0
        problems = []
        for name in REPORTS:
            want = open(os.path.join(case_dir, name)).read()
            got = open(os.path.join(out, name)).read()
            if name == REPORTS[0]:
                layers = len(numbers(want))
            if want == got:
                continue
            if want.splitlines()[0] != got.splitlines()[0]:
                problems.append(name + ': header differs')
            for lid, (w, g) in enumerate(zip(numbers(want), numbers(got))):
                tol = 1e-3 if name == REPORTS[1] else 0.0   # bandwidths within 0.1%, the rest exact
                diff = [(i, a, b) for i, (a, b) in enumerate(zip(w, g)) if abs(a - b) > tol * abs(a)]
                if diff or len(w) != len(g):
                    bad_layers += 1
                    problems.append('%s layer %d: (column, SCALE-Sim, npusim) %s' % (name, lid, diff[:4]))
            if len(numbers(want)) != len(numbers(got)):
                problems.append(name + ': layer count differs')
            if not problems:
                problems.append(name + ': same numbers, different text')
        return layers, bad_layers, problems


BAD_CFG = ('[general]\nrun_name = bad\n[architecture_presets]\nArrayHeight: 8\nArrayWidth: 8\n'
           'IfmapSramSzkB: 4\nFilterSramSzkB: 4\nOfmapSramSzkB: 4\nDataflow: os\nBandwidth: 4\n'
           '[run_presets]\nInterfaceBandwidth: USER\n')
BAD_INPUTS = [  # (what, cfg text, topology text, fragments the one-line message must contain)
    ('unknown key', BAD_CFG.replace('Bandwidth: 4', 'Bandwidth: 4\nArrayDepth: 3'), None,
     ['bad.cfg', 'line 11', 'architecture_presets.arraydepth', 'unknown key']),
    ('missing section', BAD_CFG.replace('[run_presets]\nInterfaceBandwidth: USER\n', ''), None,
     ['bad.cfg', '[run_presets]', 'missing section']),
    ('zero size', BAD_CFG.replace('IfmapSramSzkB: 4', 'IfmapSramSzkB: 0'), None,
     ['bad.cfg', 'line 6', 'architecture_presets.IfmapSramSzkB', 'positive integer']),
    ('non-numeric', BAD_CFG.replace('ArrayWidth: 8', 'ArrayWidth: eight'), None,
     ['bad.cfg', 'line 5', 'architecture_presets.ArrayWidth', "'eight'"]),
    ('sparsity on', BAD_CFG + '[sparsity]\nSparsitySupport: true\n', None,
     ['bad.cfg', 'line 14', 'sparsity.SparsitySupport', 'expected False']),
    ('missing column', None, 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, '
     'Num Filter, Strides,\nC1, 8, 8, 3, 3, 4,\n', ['topo.csv', 'line 2', 'expected']),
    ('negative dimension', None, 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, '
     'Num Filter, Strides,\nC1, 8, -8, 3, 3, 4, 8, 1,\n', ['topo.csv', 'line 2', 'IFMAP Width', "'-8'"]),
]
GOOD_TOPO = ('Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, '
             'Strides,\nC1, 8, 8, 3, 3, 4, 8, 1,\n')


def check_bad_inputs(npusim):
    failures = 0
    for what, cfg, topo, fragments in BAD_INPUTS:
        with tempfile.TemporaryDirectory() as work:
            cfg_path, topo_path = os.path.join(work, 'bad.cfg'), os.path.join(work, 'topo.csv')
            open(cfg_path, 'w').write(cfg or BAD_CFG)
            open(topo_path, 'w').write(topo or GOOD_TOPO)
            out = os.path.join(work, 'reports')
            run = subprocess.run([npusim, 'run', '--npu', cfg_path, '--workload', topo_path,
                                  '--scalesim-reports', out], capture_output=True, text=True)
            message = run.stderr.strip()
            ok = (run.returncode == 2 and len(message.splitlines()) == 1 and not os.path.exists(out)
                  and all(f in message for f in fragments))
            print('bad input %-18s %s  (%s)' % (what, 'ok' if ok else 'FAILED rc=%d' % run.returncode, message))
            failures += 0 if ok else 1
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--npusim', required=True)
    parser.add_argument('--data', default=os.path.join(os.path.dirname(__file__), '..', 'data',
                                                       'scalesim-reference'))
    args = parser.parse_args()
    cases = sorted(d for d in os.listdir(args.data) if os.path.isdir(os.path.join(args.data, d)))
    total = bad = failed_cases = 0
    for case in cases:
        layers, bad_layers, problems = compare_case(args.npusim, os.path.join(args.data, case))
        total += layers
        bad += bad_layers
        failed_cases += 1 if problems else 0
        print('%-22s %3d layers  %s' % (case, layers, 'identical' if not problems else 'DIFFERS'))
        for p in problems[:6]:
            print('    ' + p)
    print('%d cases, %d layers: %d cases differ, %d layer rows differ' % (len(cases), total, failed_cases, bad))
    bad_input_failures = check_bad_inputs(args.npusim)
    return 1 if failed_cases or bad_input_failures or not cases else 0


if __name__ == '__main__':
    sys.exit(main())
