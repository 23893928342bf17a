// The GPU check harness's --emulate mode (see check.cu): no GPU needed.
#include "harness.cuh"

#include "../../cuda-kernels/channel_sweep.cuh"
#include "../../cuda-kernels/interp.cuh"
#include "../../cuda-kernels/moments.cuh"

// ---- emulation: no GPU needed ---------------------------------------------------------
// The kernels compute each output with the __host__ __device__ functions of interp.cuh;
// here those same functions run on the host and are compared with the CPU library, and
// the adjoint is checked against the forward resize: <U x, y> = <x, Ut y>.

static void emulate_resize(int64_t ih, int64_t iw, int64_t oh, int64_t ow, int32_t mode) {
  const auto x = random_floats(ih * iw, 1, 2);
  std::vector<float> want(oh * ow), got(oh * ow);
  if (cpu.resize(x.data(), 1, 1, ih, iw, want.data(), oh, ow, mode, nullptr) != CAPXAI_OK) {
    std::printf("resize (cpu) failed: %s\n", cpu.last_error());
    failures++;
    return;
  }
  for (int64_t r = 0; r < oh; r++)
    for (int64_t c = 0; c < ow; c++) got[r * ow + c] = capxai_resize_at(x.data(), ih, iw, oh, ow, r, c, mode, 0.f, 1.f);
  report("emulated resize", dims({ih, iw}) + " -> " + dims({oh, ow}) + (mode ? " bicubic" : " bilinear"),
         relative_error(got, want), 1e-5);
}

static void emulate_resize_adjoint(int64_t mh, int64_t mw, int64_t sh, int64_t sw) {
  const auto y = random_floats(mh * mw, 0.5, 2), x = random_floats(sh * sw, -1, 1);
  std::vector<float> want(sh * sw), got(sh * sw);
  if (cpu.resize_adjoint(y.data(), 1, 1, mh, mw, nullptr, want.data(), sh, sw, nullptr) != CAPXAI_OK) {
    std::printf("resize_adjoint (cpu) failed: %s\n", cpu.last_error());
    failures++;
    return;
  }
  for (int64_t r = 0; r < sh; r++)
    for (int64_t c = 0; c < sw; c++) got[r * sw + c] = capxai_adjoint_at(y.data(), mh, mw, sh, sw, r, c, 0.f);
  report("emulated adjoint", dims({mh, mw}) + " -> " + dims({sh, sw}), relative_error(got, want), 1e-5);
  // <U x, y> against <x, Ut y>, both in float64.
  double forward = 0, adjoint = 0, scale = 0;
  for (int64_t r = 0; r < mh; r++)
    for (int64_t c = 0; c < mw; c++) {
      const double term = static_cast<double>(capxai_resize_at(x.data(), sh, sw, mh, mw, r, c, CAPXAI_RESIZE_BILINEAR,
                                                                0.f, 1.f)) * y[r * mw + c];
      forward += term;
      scale += std::fabs(term);
    }
  for (int64_t i = 0; i < sh * sw; i++) adjoint += static_cast<double>(x[i]) * got[i];
  report("emulated <Ux,y>", dims({sh, sw}) + " -> " + dims({mh, mw}) + " = <x,Uty>",
         std::fabs(forward - adjoint) / scale, 1e-6);
}

// The threads of the blocks of all slices of a channel visit each (image, position) once.
static void emulate_walk(int64_t n, int64_t hw, int64_t c, int64_t sms, int64_t threads) {
  const int64_t chunks = capxai_chunks_for(c, n * hw, sms);
  std::vector<int> visits(n * hw, 0);
  bool in_range = true;
  for (int64_t g = 0; g < chunks; g++) {
    int64_t begin, end;
    capxai_slice_bounds(n * hw, g, chunks, &begin, &end);
    for (int64_t t = 0; t < threads; t++)
      capxai_walk(begin + t, end, threads, hw, [&](int64_t image, int64_t position) {
        if (image < 0 || image >= n || position < 0 || position >= hw) in_range = false;
        else visits[image * hw + position]++;
      });
  }
  const bool once = in_range && std::all_of(visits.begin(), visits.end(), [](int v) { return v == 1; });
  const std::string what = "emulated walk " + dims({n, c, hw}) + ", " + std::to_string(chunks) + " slices of " +
                           std::to_string(threads) + " threads: each value once";
  expect(once, what.c_str());
}

// moments_update's arithmetic (slices of shifted sums, then the merge) on the host, two
// batches, against the CPU library.
static void emulate_moments(int64_t n, int64_t c, int64_t hw, double mean) {
  std::vector<double> count(c, 0), mu(c, 0), m2(c, 0), e_count(c, 0), e_mu(c, 0), e_m2(c, 0);
  for (int batch = 0; batch < 2; batch++) {
    const auto x = random_floats(n * c * hw, mean + batch, 2);
    if (cpu.moments_update(x.data(), n, c, hw, count.data(), mu.data(), m2.data(), nullptr) != CAPXAI_OK) {
      std::printf("moments_update (cpu) failed: %s\n", cpu.last_error());
      failures++;
      return;
    }
    const int64_t chunks = capxai_chunks_for(c, n * hw, 132);
    for (int64_t k = 0; k < c; k++) {
      const double shift = x[k * hw];
      double sum = 0, sum_sq = 0;
      for (int64_t g = 0; g < chunks; g++) {
        int64_t begin, end;
        capxai_slice_bounds(n * hw, g, chunks, &begin, &end);
        capxai_walk(begin, end, 1, hw, [&](int64_t image, int64_t position) {
          const double d = static_cast<double>(x[(image * c + k) * hw + position]) - shift;
          sum += d;
          sum_sq += d * d;
        });
      }
      capxai_merge_shifted_sums(&e_count[k], &e_mu[k], &e_m2[k], static_cast<double>(n * hw), shift, sum, sum_sq);
    }
  }
  const std::string shape = dims({n, c, hw}) + " mean " + std::to_string(static_cast<int>(mean));
  report("emulated moments", shape + " mean", relative_error(e_mu, mu), 1e-12);
  report("emulated moments", shape + " m2", relative_error(e_m2, m2), 1e-9);
  report("emulated moments", shape + " count", relative_error(e_count, count), 0);
}

int run_emulation() {
  std::printf("== emulation on the host (no GPU): cuda-kernels/interp.cuh vs %s\n", cpu.path.c_str());
  for (int32_t mode : {CAPXAI_RESIZE_BILINEAR, CAPXAI_RESIZE_BICUBIC}) {
    emulate_resize(7, 9, 13, 5, mode);
    emulate_resize(14, 14, 56, 56, mode);
    emulate_resize(112, 112, 7, 7, mode);
    emulate_resize(1, 1, 4, 3, mode);
    emulate_resize(9, 9, 9, 9, mode);
  }
  emulate_resize_adjoint(13, 29, 5, 7);
  emulate_resize_adjoint(112, 112, 7, 7);
  emulate_resize_adjoint(224, 224, 7, 7);
  emulate_resize_adjoint(56, 56, 28, 28);
  emulate_resize_adjoint(28, 28, 14, 14);
  emulate_resize_adjoint(9, 9, 9, 9);
  emulate_resize_adjoint(5, 6, 1, 1);
  emulate_resize_adjoint(100, 3, 99, 2);
  for (int64_t hw : {1, 7, 49, 255, 256, 257, 3136})
    for (int64_t c : {1, 64, 1000}) emulate_walk(hw < 100 ? 25 : 3, hw, c, 132, 256);
  emulate_walk(1, 1, 1, 108, 256);
  emulate_walk(25, 12544, 64, 108, 256);
  emulate_moments(3, 37, 53, 1000);
  emulate_moments(25, 4, 3136, 1e4);
  emulate_moments(1, 3, 1, 0);
  std::printf("%s\n", failures ? "EMULATION FAILED" : "EMULATION PASSED");
  return failures ? 1 : 0;
}
