#!/usr/bin/env bash
# Regenerates the FFM bindings of native/include/capxai_kernels.h with jextract (22+):
#   java/io/capxai/kernels/ffm/cpu/capxai_kernels_h.java   -> libcapxai_cpu.so
#   java/io/capxai/kernels/ffm/cuda/capxai_kernels_h.java  -> libcapxai_cuda.so
# Usage: native/jextract.sh [path/to/jextract]   (jextract is in no registry reachable from
# the build machines, so the generated sources are committed; BindingsTest checks them
# against the header on every build).
#
# Both libraries export the same symbols, so each class must look up its own library by
# absolute path. jextract's --library emits
#     SymbolLookup.libraryLookup(System.mapLibraryName("capxai_cpu"), LIBRARY_ARENA)
# which searches the system paths; the sed below swaps exactly that expression for
#     SymbolLookup.libraryLookup(io.capxai.kernels.NativeLibraries.path("capxai_cpu"), Arena.global())
# (NativeLibraries finds the file via -Dcapxai.native.dir or extracts it from the jar).
# A second sed puts @SuppressWarnings("restricted") on the class (the pom compiles with
# -Xlint:all, and linking native code is what this class is for).
set -euo pipefail

JEXTRACT=${1:-jextract}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HEADER="$ROOT/native/include/capxai_kernels.h"
OUT="$ROOT/java"

# Only the contract's own declarations: its functions and its CAPXAI_* constants.
functions=$(grep -oE '^CAPXAI_API[^(]*\b(capxai_[a-z0-9_]+)\(' "$HEADER" | grep -oE 'capxai_[a-z0-9_]+' )
constants=$(grep -oE '^#define (CAPXAI_(OK|ERR_[A-Z_]+|RESIZE_[A-Z_]+))\b' "$HEADER" | awk '{print $2}')
filters=()
for f in $functions; do filters+=(--include-function "$f"); done
for c in $constants; do filters+=(--include-constant "$c"); done

for backend in cpu cuda; do
  lib="capxai_$backend"
  pkg="io.capxai.kernels.ffm.$backend"
  dir="$OUT/${pkg//.//}"
  rm -f "$dir"/*.java
  "$JEXTRACT" --output "$OUT" --target-package "$pkg" --header-class-name capxai_kernels_h \
      --library "$lib" "${filters[@]}" -I "$ROOT/native/include" "$HEADER"
  sed -i "s|SymbolLookup.libraryLookup(System.mapLibraryName(\"$lib\"), LIBRARY_ARENA)|SymbolLookup.libraryLookup(io.capxai.kernels.NativeLibraries.path(\"$lib\"), Arena.global())|" \
      "$dir/capxai_kernels_h.java"
  sed -i 's|^public class capxai_kernels_h {|@SuppressWarnings("restricted") // added by native/jextract.sh: FFM linking is this class'"'"'s purpose\npublic class capxai_kernels_h {|' \
      "$dir/capxai_kernels_h.java"
  grep -q "NativeLibraries.path(\"$lib\")" "$dir/capxai_kernels_h.java" \
      || { echo "jextract.sh: the library lookup line changed shape; update the sed" >&2; exit 1; }
done
echo "regenerated bindings for:" $functions
