/* resize: bilinear / bicubic resize of every plane, align_corners = false, no
 * antialiasing, the same numbers as torch.nn.functional.interpolate. Separable: a
 * width pass into a scratch [ih, ow], then a height pass over whole rows. */
#include "interp.h"

#include <stdlib.h>

int32_t capxai_resize(const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw,
                      float *out, int64_t oh, int64_t ow, int32_t mode, void *stream) {
  (void)stream;
  CAPXAI_REQUIRE_PTR(x);
  CAPXAI_REQUIRE_PTR(out);
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
  CAPXAI_REQUIRE_SIZE("the scratch plane", ih, ow, 1, 1);

  capxai_axis rows, cols;
  if (capxai_axis_init(&rows, ih, oh, mode)) return CAPXAI_OUT_OF_MEMORY("the row taps");
  if (capxai_axis_init(&cols, iw, ow, mode)) {
    capxai_axis_free(&rows);
    return CAPXAI_OUT_OF_MEMORY("the column taps");
  }
  const int64_t planes = n * c;
  int failed = 0;
#pragma omp parallel if (planes * oh * ow > (1 << 15))
  {
    float *tmp = malloc((size_t)capxai_resize_scratch(&rows, &cols) * sizeof *tmp);
    if (!tmp) {
#pragma omp atomic write
      failed = 1;
    }
#pragma omp for schedule(static)
    for (int64_t plane = 0; plane < planes; plane++)
      if (tmp) capxai_resize_plane(x + plane * ih * iw, &rows, &cols, 0.f, 1.f, 1.f, 0.f, tmp, out + plane * oh * ow);
    free(tmp);
  }
  capxai_axis_free(&rows);
  capxai_axis_free(&cols);
  return failed ? CAPXAI_OUT_OF_MEMORY("a scratch plane") : capxai_ok();
}
