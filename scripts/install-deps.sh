#!/usr/bin/env bash
# Installs npusim's build and test dependencies from Debian's archive (nothing else is downloaded).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
  cmake make g++ pkg-config \
  libsystemc-dev libboost-program-options-dev nlohmann-json3-dev libfmt-dev doctest-dev
