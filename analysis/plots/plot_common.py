"""Shared plumbing for the plot scripts: imports (pandas + matplotlib from Debian, headless Agg backend
unless MPLBACKEND says otherwise), reading npusim's result files, one-line errors, atomic PNG writes."""

import argparse
import json
import os
import sys

EXIT_BAD_INPUT = 2
EXIT_SKIPPED = 77  # a dependency is missing


def argument_parser(doc, input_name, default_out):
    """What every plot script takes: its input file and --out PNG; the caller adds its own options."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument(input_name)
    parser.add_argument("--out", default=default_out)
    return parser


def fail(message):
    message = " ".join(str(message).split())  # one line, whatever the parser said
    print(f"{os.path.basename(sys.argv[0])}: error: {message}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


def skip(message):
    """Nothing to plot (an optional section is absent): say so and exit 0 without writing a file."""
    print(f"{os.path.basename(sys.argv[0])}: skipped: {message}")
    sys.exit(0)


def imports():
    """(pandas, matplotlib.pyplot); exit 77 with the Debian packages to install when missing."""
    try:
        import matplotlib
        if "MPLBACKEND" not in os.environ:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import pandas as pd
    except ImportError as error:
        print(f"{os.path.basename(sys.argv[0])}: {error}; install python3-pandas python3-matplotlib",
              file=sys.stderr)
        sys.exit(EXIT_SKIPPED)
    return pd, plt


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as error:
        fail(f"{path}: {error.strerror}")
    except json.JSONDecodeError as error:
        fail(f"{path}: line {error.lineno}, column {error.colno}: expected JSON ({error.msg})")


def load_csv(pd, path, required, what="an npusim layers.csv or sweep results.csv"):
    try:
        frame = pd.read_csv(path)
    except OSError as error:
        fail(f"{path}: {error.strerror}")
    except Exception as error:  # pandas' parser errors
        fail(f"{path}: expected a CSV file ({error})")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        fail(f"{path}: expected columns {', '.join(missing)} ({what})")
    if frame.empty:
        fail(f"{path}: expected at least one row")
    return frame


def save(fig, out):
    """Writes the PNG whole or not at all."""
    tmp = out + ".tmp.png"
    fig.savefig(tmp, dpi=120, bbox_inches="tight")
    os.replace(tmp, out)
    print(f"wrote {out}")
