#!/usr/bin/env bash
# Regenerates the FFM bindings of native/include/capxai_kernels.h with jextract:
#   java/io/capxai/kernels/ffm/cpu/   -> libcapxai_cpu.so
#   java/io/capxai/kernels/ffm/cuda/  -> libcapxai_cuda.so
# each as capxai_kernels_h.java plus capxai_kernels_h$shared.java (its layouts and helpers).
# Usage: native/jextract.sh [path/to/jextract [output root]]
#   jextract defaults to $CAPXAI_JEXTRACT, else ../shared/tools/jextract/jextract beside the
#   repository, else jextract on the PATH; the output root defaults to java/.
# The sources are committed exactly as jextract writes them; BindingsTest regenerates them
# into a temporary folder and compares (jextract needs libclang: apt-get install libclang-14-dev).
#
# Both libraries export the same symbols, and jextract's --library makes each class look its
# library up by name (dlopen("libcapxai_cpu.so")). NativeLibraries.load opens the library by
# its absolute path first; the dynamic loader then resolves that name to the copy already
# loaded (it matches the library's SONAME), so each class binds to its own library.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
default_jextract=jextract
[[ -x "$ROOT/../shared/tools/jextract/jextract" ]] && default_jextract="$ROOT/../shared/tools/jextract/jextract"
JEXTRACT=${1:-${CAPXAI_JEXTRACT:-$default_jextract}}
OUT=${2:-$ROOT/java}
HEADER="$ROOT/native/include/capxai_kernels.h"

# Only the contract's own declarations: its functions and its CAPXAI_* constants.
functions=$(grep -oE '^CAPXAI_API[^(]*\b(capxai_[a-z0-9_]+)\(' "$HEADER" | grep -oE 'capxai_[a-z0-9_]+')
constants=$(grep -oE '^#define (CAPXAI_(OK|ERR_[A-Z_]+|RESIZE_[A-Z_]+))\b' "$HEADER" | awk '{print $2}')
filters=()
for f in $functions; do filters+=(--include-function "$f"); done
for c in $constants; do filters+=(--include-constant "$c"); done

for backend in cpu cuda; do
  pkg="io.capxai.kernels.ffm.$backend"
  rm -f "$OUT/${pkg//.//}"/*.java
  "$JEXTRACT" --output "$OUT" --target-package "$pkg" --header-class-name capxai_kernels_h \
      --library "capxai_$backend" "${filters[@]}" -I "$ROOT/native/include" "$HEADER"
done
echo "regenerated bindings for:" $functions
