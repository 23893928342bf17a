// surgery_apply (docs/method.md#surgery): CLIP channel j of every image becomes the resized,
// standardised standalone map k, rescaled to j's statistics. The plan (index arrays, on
// the device) is checked on the device first: an index out of range, a CLIP channel
// written twice or an unusable std sets a flag, and then nothing is written. Reporting
// the check needs one device -> host sync per call. Then one thread per output element
// gathers, standardises, resizes and rescales in one pass.
#include "common.cuh"
#include "interp.cuh"

#include <climits>
#include <cmath>

namespace {

// Why pair q of the plan is unusable (checked in this order, like the CPU library).
enum PlanFault : unsigned { DST_OUT_OF_RANGE = 1, SRC_OUT_OF_RANGE = 2, DST_REPEATED = 3, BAD_STD = 4 };

// first_writer[j] = the smallest pair q that writes CLIP channel j.
__global__ void first_writer_kernel(const int32_t *dst_channel, int64_t pairs, int64_t cd, int32_t *first_writer) {
  for (int64_t q = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; q < pairs;
       q += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int32_t j = dst_channel[q];
    if (j >= 0 && j < cd) atomicMin(first_writer + j, static_cast<int32_t>(q));
  }
}

// Records the first unusable pair as q * 8 + fault in *first_fault (the smallest wins).
__global__ void check_plan_kernel(const int32_t *dst_channel, const int32_t *src_channel, int64_t pairs,
                                  int64_t cs, int64_t cd, const float *src_std, float eps,
                                  const int32_t *first_writer, unsigned long long *first_fault) {
  for (int64_t q = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; q < pairs;
       q += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int32_t j = dst_channel[q], k = src_channel[q];
    unsigned fault = 0;
    if (j < 0 || j >= cd) fault = DST_OUT_OF_RANGE;
    else if (k < 0 || k >= cs) fault = SRC_OUT_OF_RANGE;
    else if (first_writer[j] != q) fault = DST_REPEATED;
    else if (!(src_std[k] + eps > 0)) fault = BAD_STD;
    if (fault) atomicMin(first_fault, static_cast<unsigned long long>(q) * 8 + fault);
  }
}

__global__ void surgery_kernel(const float *__restrict__ src, int64_t n, int64_t cs, int64_t sh, int64_t sw,
                               const float *__restrict__ src_mean, const float *__restrict__ src_std,
                               float *__restrict__ dst, int64_t cd, int64_t dh, int64_t dw,
                               const float *__restrict__ dst_mean, const float *__restrict__ dst_std,
                               const int32_t *__restrict__ dst_channel, const int32_t *__restrict__ src_channel,
                               int64_t pairs, int32_t mode, float eps) {
  const int64_t dst_plane = dh * dw, total = n * pairs * dst_plane;
  const bool same_size = sh == dh && sw == dw;
  for (int64_t e = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; e < total;
       e += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t job = e / dst_plane, p = e - job * dst_plane;  // job = image * pairs + pair
    const int64_t t = job / pairs, q = job - t * pairs;
    const int64_t j = dst_channel[q], k = src_channel[q];
    const float *in = src + (t * cs + k) * sh * sw;
    const float mean = src_mean[k], inv_std = 1.f / (src_std[k] + eps);
    float z;
    if (same_size) {
      z = (in[p] - mean) * inv_std;
    } else {
      const int64_t row = p / dw, col = p - row * dw;
      z = capxai_resize_at(in, sh, sw, dh, dw, row, col, mode, mean, inv_std);
    }
    dst[(t * cd + j) * dst_plane + p] = z * dst_std[j] + dst_mean[j];
  }
}

// Turns a recorded plan fault into the CPU library's message (copies a few values back).
int32_t report_plan_fault(unsigned long long fault, const int32_t *dst_channel, const int32_t *src_channel,
                          int64_t cs, int64_t cd, const float *src_std, float eps, const int32_t *first_writer) {
  const char *caller = "capxai_surgery_apply";
  const long long q = static_cast<long long>(fault / 8);
  int32_t j = 0, k = 0;
  CAPXAI_CUDA_TRY(cudaMemcpy(&j, dst_channel + q, sizeof j, cudaMemcpyDeviceToHost), "reading dst_channel");
  CAPXAI_CUDA_TRY(cudaMemcpy(&k, src_channel + q, sizeof k, cudaMemcpyDeviceToHost), "reading src_channel");
  switch (fault % 8) {
    case DST_OUT_OF_RANGE:
      return capxai_fail(CAPXAI_ERR_INVALID, "%s: dst_channel[%lld] = %lld is outside [0, cd = %lld)", caller, q,
                         static_cast<long long>(j), static_cast<long long>(cd));
    case SRC_OUT_OF_RANGE:
      return capxai_fail(CAPXAI_ERR_INVALID, "%s: src_channel[%lld] = %lld is outside [0, cs = %lld)", caller, q,
                         static_cast<long long>(k), static_cast<long long>(cs));
    case DST_REPEATED: {
      int32_t first = 0;
      CAPXAI_CUDA_TRY(cudaMemcpy(&first, first_writer + j, sizeof first, cudaMemcpyDeviceToHost), "reading the plan");
      return capxai_fail(CAPXAI_ERR_INVALID, "%s: dst_channel[%lld] = %lld repeats dst_channel[%lld]", caller, q,
                         static_cast<long long>(j), static_cast<long long>(first));
    }
    default: {
      float std_k = 0;
      CAPXAI_CUDA_TRY(cudaMemcpy(&std_k, src_std + k, sizeof std_k, cudaMemcpyDeviceToHost), "reading src_std");
      return capxai_fail(CAPXAI_ERR_INVALID, "%s: src_std[%lld] + eps = %g must be positive", caller,
                         static_cast<long long>(k), static_cast<double>(std_k + eps));
    }
  }
}

}  // namespace

extern "C" int32_t capxai_surgery_apply(const float *src, int64_t n, int64_t cs, int64_t sh, int64_t sw,
                                        const float *src_mean, const float *src_std,
                                        float *dst, int64_t cd, int64_t dh, int64_t dw,
                                        const float *dst_mean, const float *dst_std,
                                        const int32_t *dst_channel, const int32_t *src_channel, int64_t pairs,
                                        int32_t mode, float eps, void *stream) {
  CAPXAI_REQUIRE_POSITIVE(n);
  CAPXAI_REQUIRE_POSITIVE(cs);
  CAPXAI_REQUIRE_POSITIVE(sh);
  CAPXAI_REQUIRE_POSITIVE(sw);
  CAPXAI_REQUIRE_POSITIVE(cd);
  CAPXAI_REQUIRE_POSITIVE(dh);
  CAPXAI_REQUIRE_POSITIVE(dw);
  CAPXAI_REQUIRE_POSITIVE(pairs);
  CAPXAI_REQUIRE(mode == CAPXAI_RESIZE_BILINEAR || mode == CAPXAI_RESIZE_BICUBIC,
                 "mode must be CAPXAI_RESIZE_BILINEAR (0) or CAPXAI_RESIZE_BICUBIC (1), got %d", mode);
  CAPXAI_REQUIRE(std::isfinite(eps) && eps >= 0, "eps must be finite and >= 0, got %g", static_cast<double>(eps));
  CAPXAI_REQUIRE(pairs <= cd, "pairs = %lld exceeds the %lld channels of dst", (long long)pairs, (long long)cd);
  CAPXAI_REQUIRE(cd <= INT32_MAX, "cd = %lld channels cannot be named by int32 indices", (long long)cd);
  CAPXAI_REQUIRE_SIZE("src", n, cs, sh, sw);
  CAPXAI_REQUIRE_SIZE("dst", n, cd, dh, dw);
  CAPXAI_REQUIRE_SIZE("the output", n, pairs, dh, dw);
  CAPXAI_REQUIRE_DEVICE_PTR(src);
  CAPXAI_REQUIRE_DEVICE_PTR(src_mean);
  CAPXAI_REQUIRE_DEVICE_PTR(src_std);
  CAPXAI_REQUIRE_DEVICE_PTR(dst);
  CAPXAI_REQUIRE_DEVICE_PTR(dst_mean);
  CAPXAI_REQUIRE_DEVICE_PTR(dst_std);
  CAPXAI_REQUIRE_DEVICE_PTR(dst_channel);
  CAPXAI_REQUIRE_DEVICE_PTR(src_channel);
  const cudaStream_t s = as_stream(stream);

  // Check the plan on the device, then wait for the verdict before writing anything.
  DeviceScratch<int32_t> first_writer;
  DeviceScratch<unsigned long long> first_fault;
  CAPXAI_CUDA_TRY(first_writer.allocate(cd, s), "allocating the plan check");
  CAPXAI_CUDA_TRY(first_fault.allocate(1, s), "allocating the plan check flag");
  CAPXAI_CUDA_TRY(cudaMemsetAsync(first_writer.ptr, 0x7f, static_cast<size_t>(cd) * sizeof(int32_t), s),
                  "clearing the plan check");
  CAPXAI_CUDA_TRY(cudaMemsetAsync(first_fault.ptr, 0xff, sizeof(unsigned long long), s), "clearing the flag");
  CAPXAI_LAUNCH(first_writer_kernel, capxai_blocks(pairs), CAPXAI_THREADS, 0, s)
      (dst_channel, pairs, cd, first_writer.ptr);
  int32_t status = capxai_check_launch("capxai_surgery_apply: first_writer_kernel");
  if (status != CAPXAI_OK) return status;
  CAPXAI_LAUNCH(check_plan_kernel, capxai_blocks(pairs), CAPXAI_THREADS, 0, s)
      (dst_channel, src_channel, pairs, cs, cd, src_std, eps, first_writer.ptr, first_fault.ptr);
  status = capxai_check_launch("capxai_surgery_apply: check_plan_kernel");
  if (status != CAPXAI_OK) return status;
  unsigned long long fault = 0;
  CAPXAI_CUDA_TRY(cudaMemcpyAsync(&fault, first_fault.ptr, sizeof fault, cudaMemcpyDeviceToHost, s),
                  "reading the plan check");
  CAPXAI_CUDA_TRY(cudaStreamSynchronize(s), "waiting for the plan check");
  if (fault != CAPXAI_NO_FAULT)
    return report_plan_fault(fault, dst_channel, src_channel, cs, cd, src_std, eps, first_writer.ptr);

  const int64_t total = n * pairs * dh * dw;
  CAPXAI_LAUNCH(surgery_kernel, capxai_blocks(total), CAPXAI_THREADS, 0, s)
      (src, n, cs, sh, sw, src_mean, src_std, dst, cd, dh, dw, dst_mean, dst_std, dst_channel, src_channel, pairs, mode,
      eps);
  return capxai_check_launch("capxai_surgery_apply");
}
