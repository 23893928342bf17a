#!/usr/bin/env bash
# GPU check of the capxai kernels, for a machine with an NVIDIA GPU. Self-contained: needs
# only nvcc, CMake, compute-sanitizer (and ncu, optional) and Python with PyTorch; no Java,
# no Maven, no network.
#
#   bench/gpu/run.sh            build, check CPU vs CUDA, sanitizers, timing table
#
# Steps: 1. build libcapxai_cpu.so and libcapxai_cuda.so with CMake;
#        2. with them the harness bench/gpu/check.cu + emulation.cu + timing.cu (dlopen()s both libraries);
#        3. correctness: every kernel on both libraries, max relative error, PASS/FAIL;
#        4. compute-sanitizer memcheck, racecheck, initcheck and synccheck on a quick run;
#        5. timing: moments GB/s vs a device-to-device copy, cross_moment GFLOP/s on the
#           paper's shapes vs cuBLAS sgemm (torch.matmul, TF32 off); ncu summary if present.
# The report goes to stdout and, when $OUT is set, to $OUT/gpu_results.md.
# Environment: BUILD_DIR (default target/gpu-check), CUDA_ARCHS (default "80;90"),
#              PYTHON (default python3), NCU=0 to skip the Nsight Compute summary,
#              SANITIZER_TIMEOUT (seconds per compute-sanitizer tool, default 180).
# Exit status: 0 when every check passed, 1 otherwise, 2 without a CUDA device.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BUILD_DIR:-$root/target/gpu-check}"
archs="${CUDA_ARCHS:-80;90}"
python="${PYTHON:-python3}"
# The report is written as it grows, straight into $OUT when set, so that a run stopped at a
# time limit still returns what it measured.
if [[ -n "${OUT:-}" ]]; then mkdir -p "$OUT"; report="$OUT/gpu_results.md"; : >"$report"; else report="$(mktemp)"; fi
status=0

say() { printf '%s\n' "$*" | tee -a "$report"; }
section() { say ""; say "## $1"; say ""; }
fail() { say "**FAIL**: $*"; status=1; }
finish() {
  if [[ -n "${OUT:-}" ]]; then echo "report written to $report"; else rm -f "$report"; fi
  exit "$status"
}

for tool in nvcc cmake; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 1; }
done

# 1-2. Build the two libraries and the harness.
say "# capxai GPU check ($(date -u '+%Y-%m-%d %H:%M UTC'))"
say ""
say "- commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
say "- nvcc: $(nvcc --version | tail -n 1)"
if command -v nvidia-smi >/dev/null; then
  say "- GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -n 1)"
fi
mkdir -p "$build"
if ! { cmake -S "$root/cmake" -B "$build" -DCAPXAI_CUDA=ON -DCAPXAI_GPU_CHECK=ON -DBUILD_TESTING=OFF \
         -DCMAKE_CUDA_ARCHITECTURES="$archs" && cmake --build "$build" -j "$(nproc)"; } >"$build/cmake.log" 2>&1; then
  cat "$build/cmake.log"
  fail "native build (log above)"
  finish
fi
lib="$build/lib"
harness="$build/capxai_gpu_check"
check=("$harness" --cpu "$lib/libcapxai_cpu.so" --cuda "$lib/libcapxai_cuda.so")

# 3. Correctness, CPU library vs CUDA library.
section "Correctness: CPU library vs CUDA library"
if "$harness" --cpu "$lib/libcapxai_cpu.so" --emulate >"$build/emulate.log" 2>&1; then
  say "- host emulation of the kernels' index maths vs the CPU library: PASS"
else
  cat "$build/emulate.log"
  fail "host emulation of the kernels' index maths (log above)"
fi
"${check[@]}" >"$build/check.log" 2>&1
check_status=$?
say '```'
tee -a "$report" <"$build/check.log"
say '```'
if [[ $check_status -eq 2 ]]; then
  status=2
  say "No CUDA device: stopping here."
  finish
fi
[[ $check_status -eq 0 ]] || fail "correctness (exit status $check_status)"

# 4. Sanitizers on a quick run (small shapes: racecheck is slow).
section "compute-sanitizer (check --quick)"
if command -v compute-sanitizer >/dev/null; then
  for tool in memcheck racecheck initcheck synccheck; do
    log="$build/sanitizer-$tool.log"
    if timeout "${SANITIZER_TIMEOUT:-180}" compute-sanitizer --tool "$tool" --error-exitcode 99 "${check[@]}" --quick >"$log" 2>&1; then
      say "- $tool: clean ($(grep -m 1 -o 'ERROR SUMMARY: [0-9]* errors' "$log" || echo 'no summary'))"
    else
      fail "$tool: see below"
      say '```'
      grep -E 'ERROR|Invalid|Race|Uninitialized|=========' "$log" | head -n 40 | tee -a "$report" >/dev/null
      say '```'
    fi
  done
else
  fail "compute-sanitizer not found"
fi

# 5. Timing.
section "Timing"
"${check[@]}" --bench >"$build/bench.log" 2>&1 || fail "benchmark run"
tee -a "$report" <"$build/bench.log"

say ""
"$python" - "$build/bench.log" >"$build/torch.log" 2>&1 <<'EOF'
# cuBLAS sgemm (torch.matmul, TF32 off) on the cross_moment shapes, side by side with the
# capxai numbers that check --bench wrote (argv[1]).
import re
import sys

import torch

torch.backends.cuda.matmul.allow_tf32 = False
torch.set_float32_matmul_precision("highest")
ours = {}
for line in open(sys.argv[1]):
    m = re.match(r"\| (\d+) x (\d+) @ (\d+) \| [\d.]+ \| [\d.]+ \| (\d+) \|", line)
    if m:
        ours[tuple(int(g) for g in m.groups()[:3])] = float(m.group(4))
print("| cross_moment vs cuBLAS sgemm, ca x cb @ hw (K = 25 hw) | capxai GFLOP/s | cuBLAS GFLOP/s | capxai / cuBLAS |")
print("|---|---|---|---|")
for ca, cb, hw in [(9472, 1024, 196), (3200, 512, 784), (1280, 256, 3136), (8704, 2048, 49)]:
    k = 25 * hw
    a = torch.randn(ca, k, device="cuda")
    b = torch.randn(k, cb, device="cuda")
    for _ in range(3):
        torch.matmul(a, b)
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    repeats = 10
    start.record()
    for _ in range(repeats):
        torch.matmul(a, b)
    stop.record()
    torch.cuda.synchronize()
    cublas = 2.0 * ca * cb * k / (start.elapsed_time(stop) / repeats) / 1e6
    mine = ours.get((ca, cb, hw))
    ratio = f"{mine / cublas:.2f}" if mine else "n/a"
    print(f"| {ca} x {cb} @ {hw} | {mine:.0f} | {cublas:.0f} | {ratio} |" if mine else
          f"| {ca} x {cb} @ {hw} | n/a | {cublas:.0f} | n/a |")
EOF
torch_status=$?
tee -a "$report" <"$build/torch.log"
[[ $torch_status -eq 0 ]] || fail "torch.matmul timing (is PyTorch with CUDA installed for $python?)"

if [[ "${NCU:-1}" != 0 ]] && command -v ncu >/dev/null; then
  section "Nsight Compute: one cross_moment launch"
  say '```'
  # Clocks left as they are (--clock-control none), so the figures match the timing above.
  ncu --clock-control none --kernel-name regex:cross_moment_kernel --launch-count 1 --section SpeedOfLight \
    --section Occupancy --section LaunchStats --section WarpStateStats --section ComputeWorkloadAnalysis \
    "${check[@]}" --bench >"$build/ncu.log" 2>&1
  grep -E 'Throughput|Occupancy|Registers|Duration|Warp Cycles|Issued|Stall|==ERR|==PROF' "$build/ncu.log" \
    | head -n 40 | tee -a "$report" >/dev/null
  say '```'
fi

section "Verdict"
if [[ $status -eq 0 ]]; then say "ALL CHECKS PASSED"; else say "SOME CHECKS FAILED"; fi
finish
