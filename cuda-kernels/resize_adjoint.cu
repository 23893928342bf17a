// resize_adjoint: out = Ut(x - shift), the transpose of bilinear upsampling [sh, sw] ->
// [mh, mw], as a gather: each low-resolution output sums the few high-resolution samples
// it feeds under U (a contiguous window per axis), so no atomics are needed.
#include "common.cuh"
#include "interp.cuh"

namespace {

__global__ void resize_adjoint_kernel(const float *__restrict__ x, int64_t c, int64_t planes, int64_t mh,
                                      int64_t mw, const float *__restrict__ shift, float *__restrict__ out,
                                      int64_t sh, int64_t sw) {
  const int64_t plane_size = sh * sw, total = planes * plane_size;
  for (int64_t e = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; e < total;
       e += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t plane = e / plane_size, within = e - plane * plane_size;
    const int64_t row = within / sw, col = within - row * sw;
    const float s = shift ? shift[plane % c] : 0.f;
    out[e] = capxai_adjoint_at(x + plane * mh * mw, mh, mw, sh, sw, row, col, s);
  }
}

}  // namespace

extern "C" int32_t capxai_resize_adjoint(const float *x, int64_t n, int64_t c, int64_t mh, int64_t mw,
                                         const float *shift, float *out, int64_t sh, int64_t sw,
                                         void *stream) {
  CAPXAI_REQUIRE_POSITIVE(n);
  CAPXAI_REQUIRE_POSITIVE(c);
  CAPXAI_REQUIRE_POSITIVE(mh);
  CAPXAI_REQUIRE_POSITIVE(mw);
  CAPXAI_REQUIRE_POSITIVE(sh);
  CAPXAI_REQUIRE_POSITIVE(sw);
  CAPXAI_REQUIRE(sh <= mh && sw <= mw, "the small size %lld x %lld must not exceed the large size %lld x %lld",
                 (long long)sh, (long long)sw, (long long)mh, (long long)mw);
  CAPXAI_REQUIRE_SIZE("x", n, c, mh, mw);
  CAPXAI_REQUIRE_DEVICE_PTR(x);
  CAPXAI_REQUIRE_DEVICE_PTR(out);
  if (shift) CAPXAI_REQUIRE_DEVICE_PTR(shift);
  const int64_t total = n * c * sh * sw;
  CAPXAI_LAUNCH(resize_adjoint_kernel, capxai_blocks(total), CAPXAI_THREADS, 0, as_stream(stream))
      (x, c, n * c, mh, mw, shift, out, sh, sw);
  return capxai_check_launch("capxai_resize_adjoint");
}
