#!/usr/bin/env bash
# Installs npusim's build and test dependencies from Debian's archive (nothing else is downloaded).
# usage: scripts/install-deps.sh [--with-torch]
#   --with-torch (or NPUSIM_WITH_TORCH=1): also python3-torch and python3-torchvision, about 140 MB to
#   download and 570 MB installed, for the PyTorch-export and ONNX ResNet-50 tests; without them those
#   two tests report "skipped". CI leaves them out to stay well inside its time budget.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
with_torch="${NPUSIM_WITH_TORCH:-0}"
for arg in "$@"; do
  case "$arg" in
    --with-torch) with_torch=1 ;;
    *) echo "usage: $0 [--with-torch]" >&2; exit 2 ;;
  esac
done
packages=(
  cmake make g++ pkg-config
  # .ci/run copies the checkout with git ls-files.
  git
  libsystemc-dev libboost-program-options-dev nlohmann-json3-dev libfmt-dev doctest-dev
  # ONNX import: libonnx-dev ships onnx-ml.pb.h already generated (no protoc needed) and libonnx_proto.
  libonnx-dev libprotobuf-dev
  # Script tests: ONNX models written at test time, trace schema validation, plots.
  python3 python3-onnx python3-jsonschema python3-pandas python3-matplotlib
  # libFuzzer targets: clang++ and its runtime (libclang-rt-14-dev on bookworm).
  clang libclang-rt-dev
)
if [ "$with_torch" = "1" ]; then
  packages+=(python3-torch python3-torchvision)
fi
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${packages[@]}"
