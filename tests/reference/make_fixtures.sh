#!/usr/bin/env bash
# Writes the model parity fixtures (random weights, inputs, PyTorch outputs) into target/fixtures/
# (or $1). Needs Debian's python3-torch and python3-torchvision (CPU PyTorch 1.13, torchvision 0.14).
# The Java parity tests call this themselves when the fixtures are missing or older than the script.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../../target/fixtures}"
mkdir -p "$out"
PYTHON="${CAPXAI_REFERENCE_PYTHON:-/usr/bin/python3}"
"$PYTHON" "$here/make_fixtures.py" "$out"
# the stamp records which script version made these files
cat "$here/make_fixtures.py" "$here/clip_reference.py" | sha256sum | cut -d' ' -f1 > "$out/STAMP"
