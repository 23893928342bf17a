// resize: bilinear or bicubic, align_corners = false, the numbers of
// torch.nn.functional.interpolate. One thread per output element.
#include "common.cuh"
#include "interp.cuh"

namespace {

__global__ void resize_kernel(const float *__restrict__ x, int64_t planes, int64_t ih, int64_t iw,
                              float *__restrict__ out, int64_t oh, int64_t ow, int32_t mode) {
  const int64_t plane_size = oh * ow, total = planes * plane_size;
  for (int64_t e = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; e < total;
       e += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t plane = e / plane_size, within = e - plane * plane_size;
    const int64_t row = within / ow, col = within - row * ow;
    out[e] = capxai_resize_at(x + plane * ih * iw, ih, iw, oh, ow, row, col, mode, 0.f, 1.f);
  }
}

}  // namespace

extern "C" int32_t capxai_resize(const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw,
                                 float *out, int64_t oh, int64_t ow, int32_t mode, void *stream) {
  CAPXAI_REQUIRE_POSITIVE(n);
  CAPXAI_REQUIRE_POSITIVE(c);
  CAPXAI_REQUIRE_POSITIVE(ih);
  CAPXAI_REQUIRE_POSITIVE(iw);
  CAPXAI_REQUIRE_POSITIVE(oh);
  CAPXAI_REQUIRE_POSITIVE(ow);
  CAPXAI_REQUIRE(mode == CAPXAI_RESIZE_BILINEAR || mode == CAPXAI_RESIZE_BICUBIC,
                 "mode must be CAPXAI_RESIZE_BILINEAR (0) or CAPXAI_RESIZE_BICUBIC (1), got %d", mode);
  CAPXAI_REQUIRE_SIZE("x", n, c, ih, iw);
  CAPXAI_REQUIRE_SIZE("out", n, c, oh, ow);
  CAPXAI_REQUIRE_DEVICE_PTR(x);
  CAPXAI_REQUIRE_DEVICE_PTR(out);
  const int64_t total = n * c * oh * ow;
  CAPXAI_LAUNCH(resize_kernel, capxai_blocks(total), CAPXAI_THREADS, 0, as_stream(stream))
      (x, n * c, ih, iw, out, oh, ow, mode);
  return capxai_check_launch("capxai_resize");
}
