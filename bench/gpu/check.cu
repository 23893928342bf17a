// GPU check harness: loads libcapxai_cpu.so and libcapxai_cuda.so side by side (same
// symbol names, so each through its own dlopen handle), runs every kernel on both on
// random inputs of odd shapes, and prints the max relative error per case with PASS/FAIL.
//
//   check [--cpu LIB] [--cuda LIB] [--quick]   correctness (--quick: small, for sanitizers)
//   check ... --bench                          timing table (markdown) on the paper's shapes
//   check ... --emulate                        no GPU needed: the CUDA kernels' per-element
//                                              index maths run on the host against the CPU library
//   check --cuda libcapxai_cuda_host.so --host-memory [--quick]
//                                              no GPU needed: the correctness checks against the
//                                              CUDA sources built for the host (simt_host.h)
// Exit status: 0 all passed, 1 a check failed, 2 no CUDA device (after checking that the
// CUDA library then fails cleanly), 3 a library could not load.
#include <cuda_runtime.h>
#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "capxai_kernels.h"
#include "../../cuda-kernels/channel_sweep.cuh"
#include "../../cuda-kernels/interp.cuh"
#include "../../cuda-kernels/moments.cuh"

// ---- the two libraries ---------------------------------------------------------------

struct Kernels {
  std::string path;
  void *handle = nullptr;
  decltype(&capxai_abi_version) abi_version;
  decltype(&capxai_last_error) last_error;
  decltype(&capxai_device_count) device_count;
  decltype(&capxai_moments_update) moments_update;
  decltype(&capxai_moments_merge) moments_merge;
  decltype(&capxai_resize_adjoint) resize_adjoint;
  decltype(&capxai_resize) resize;
  decltype(&capxai_weighted_sum) weighted_sum;
  decltype(&capxai_cross_moment) cross_moment;
  decltype(&capxai_surgery_apply) surgery_apply;
};

template <typename F>
static bool bind(Kernels &k, F &slot, const char *name) {
  slot = reinterpret_cast<F>(dlsym(k.handle, name));
  if (!slot) std::fprintf(stderr, "%s: missing symbol %s\n", k.path.c_str(), name);
  return slot != nullptr;
}

// RTLD_LOCAL keeps the two libraries' identical symbols apart.
static bool load(Kernels &k, const std::string &path) {
  k.path = path;
  k.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!k.handle) {
    std::fprintf(stderr, "cannot load %s: %s\n", path.c_str(), dlerror());
    return false;
  }
  return bind(k, k.abi_version, "capxai_abi_version") && bind(k, k.last_error, "capxai_last_error") &&
         bind(k, k.device_count, "capxai_device_count") && bind(k, k.moments_update, "capxai_moments_update") &&
         bind(k, k.moments_merge, "capxai_moments_merge") && bind(k, k.resize_adjoint, "capxai_resize_adjoint") &&
         bind(k, k.resize, "capxai_resize") && bind(k, k.weighted_sum, "capxai_weighted_sum") &&
         bind(k, k.cross_moment, "capxai_cross_moment") && bind(k, k.surgery_apply, "capxai_surgery_apply");
}

static Kernels cpu, gpu;
static int failures = 0;
// "Device" buffers in host memory, for the CUDA library built for the host emulator.
static bool host_memory = false;

// ---- data and comparison --------------------------------------------------------------

static std::mt19937_64 rng(20261123);

static std::vector<float> random_floats(int64_t count, double mean, double std) {
  std::normal_distribution<double> normal(mean, std);
  std::vector<float> v(static_cast<size_t>(count));
  for (auto &x : v) x = static_cast<float>(normal(rng));
  return v;
}

// max |got - want| / max |want|: the error relative to the size of the result.
template <typename T>
static double relative_error(const std::vector<T> &got, const std::vector<T> &want) {
  double err = 0, scale = 1e-300;
  for (size_t i = 0; i < want.size(); i++) {
    if (std::isnan(static_cast<double>(got[i])) != std::isnan(static_cast<double>(want[i]))) return INFINITY;
    err = std::max(err, std::fabs(static_cast<double>(got[i]) - static_cast<double>(want[i])));
    scale = std::max(scale, std::fabs(static_cast<double>(want[i])));
  }
  return err / scale;
}

static void report(const char *kernel, const std::string &shape, double err, double tolerance) {
  const bool ok = err <= tolerance;
  if (!ok) failures++;
  std::printf("%-16s %-44s max rel err %.3e (tol %.0e)  %s\n", kernel, shape.c_str(), err, tolerance,
              ok ? "PASS" : "FAIL");
}

static void expect(bool ok, const char *what) {
  if (!ok) failures++;
  std::printf("%-61s %s\n", what, ok ? "PASS" : "FAIL");
}

// Both libraries must succeed; a failure is reported with its message.
static bool both_ok(int32_t cpu_status, int32_t gpu_status, const char *kernel) {
  if (cpu_status == CAPXAI_OK && gpu_status == CAPXAI_OK) return true;
  failures++;
  std::printf("%-16s FAIL: cpu status %d (%s), cuda status %d (%s)\n", kernel, cpu_status, cpu.last_error(),
              gpu_status, gpu.last_error());
  return false;
}

static void cuda_check(cudaError_t err, const char *what) {
  if (err == cudaSuccess) return;
  std::fprintf(stderr, "harness: %s: %s\n", what, cudaGetErrorString(err));
  std::exit(1);
}

// A device copy of a host vector; get() copies it back.
template <typename T>
struct Device {
  T *ptr = nullptr;
  size_t count = 0;
  explicit Device(const std::vector<T> &host) : Device(host.size()) {
    if (host_memory) std::memcpy(ptr, host.data(), count * sizeof(T));
    else cuda_check(cudaMemcpy(ptr, host.data(), count * sizeof(T), cudaMemcpyHostToDevice), "copy to device");
  }
  explicit Device(size_t n) : count(n) {
    const size_t bytes = std::max<size_t>(n, 1) * sizeof(T);
    if (host_memory) ptr = static_cast<T *>(std::malloc(bytes));
    else cuda_check(cudaMalloc(&ptr, bytes), "cudaMalloc");
  }
  Device(const Device &) = delete;
  ~Device() {
    if (host_memory) std::free(ptr);
    else cudaFree(ptr);
  }
  std::vector<T> get() const {
    std::vector<T> host(count);
    if (host_memory) std::memcpy(host.data(), ptr, count * sizeof(T));
    else cuda_check(cudaMemcpy(host.data(), ptr, count * sizeof(T), cudaMemcpyDeviceToHost), "copy to host");
    return host;
  }
};

static std::string dims(std::initializer_list<int64_t> values) {
  std::string s;
  for (int64_t v : values) s += (s.empty() ? "" : "x") + std::to_string(v);
  return s;
}

// ---- correctness: CPU library vs CUDA library -------------------------------------------

static void check_moments(int64_t n, int64_t c, int64_t hw, double mean, double std) {
  // Two batches: the second merges into accumulators that already hold the first.
  std::vector<double> count(c, 0), mu(c, 0), m2(c, 0);
  Device<double> d_count(count), d_mu(mu), d_m2(m2);
  bool ok = true;
  for (int batch = 0; batch < 2 && ok; batch++) {
    const auto x = random_floats(n * c * hw, mean + batch, std);
    Device<float> d_x(x);
    ok = both_ok(cpu.moments_update(x.data(), n, c, hw, count.data(), mu.data(), m2.data(), nullptr),
                 gpu.moments_update(d_x.ptr, n, c, hw, d_count.ptr, d_mu.ptr, d_m2.ptr, nullptr), "moments_update");
  }
  if (!ok) return;
  const std::string shape = dims({n, c, hw}) + " mean " + std::to_string(static_cast<int>(mean));
  report("moments_update", shape + " count", relative_error(d_count.get(), count), 0);
  report("moments_update", shape + " mean", relative_error(d_mu.get(), mu), 1e-12);
  report("moments_update", shape + " m2", relative_error(d_m2.get(), m2), 1e-9);
}

static void check_moments_rejects_nonfinite() {
  const int64_t n = 2, c = 5, hw = 7;
  auto x = random_floats(n * c * hw, 3, 1);
  x[(1 * c + 3) * hw + 4] = NAN;  // image 1, channel 3, position 4
  x[(1 * c + 4) * hw + 0] = INFINITY;
  std::vector<double> count(c, 2), mu(c, 1), m2(c, 5);
  Device<float> d_x(x);
  Device<double> d_count(count), d_mu(mu), d_m2(m2);
  const int32_t s_cpu = cpu.moments_update(x.data(), n, c, hw, count.data(), mu.data(), m2.data(), nullptr);
  const std::string cpu_message = cpu.last_error();
  const int32_t s_gpu = gpu.moments_update(d_x.ptr, n, c, hw, d_count.ptr, d_mu.ptr, d_m2.ptr, nullptr);
  const std::string gpu_message = gpu.last_error();
  expect(s_cpu == CAPXAI_ERR_NONFINITE && s_gpu == CAPXAI_ERR_NONFINITE, "moments_update: NaN batch -> NONFINITE");
  expect(cpu_message == gpu_message, "moments_update: same message as the CPU library");
  std::printf("    cuda says: %s\n", gpu_message.c_str());
  expect(d_count.get() == count && d_mu.get() == mu && d_m2.get() == m2,
         "moments_update: rejected batch leaves accumulators untouched");
}

static void check_moments_merge(int64_t c) {
  std::uniform_real_distribution<double> uniform(0, 50);
  std::vector<double> ca(c), ma(c), va(c), cb(c), mb(c), vb(c);
  for (int64_t k = 0; k < c; k++) {
    ca[k] = k % 3 == 0 ? 0 : 1 + std::floor(uniform(rng));  // empty sets on either side
    cb[k] = k % 5 == 0 ? 0 : 1 + std::floor(uniform(rng));
    ma[k] = uniform(rng) - 25, mb[k] = uniform(rng) - 25, va[k] = uniform(rng), vb[k] = uniform(rng);
    if (ca[k] == 0) ma[k] = va[k] = 0;  // what an empty accumulator holds
    if (cb[k] == 0) mb[k] = vb[k] = 0;
  }
  Device<double> d_ca(ca), d_ma(ma), d_va(va), d_cb(cb), d_mb(mb), d_vb(vb);
  if (!both_ok(cpu.moments_merge(ca.data(), ma.data(), va.data(), cb.data(), mb.data(), vb.data(), c, nullptr),
               gpu.moments_merge(d_ca.ptr, d_ma.ptr, d_va.ptr, d_cb.ptr, d_mb.ptr, d_vb.ptr, c, nullptr),
               "moments_merge"))
    return;
  const double err = std::max({relative_error(d_ca.get(), ca), relative_error(d_ma.get(), ma),
                               relative_error(d_va.get(), va)});
  report("moments_merge", dims({c}), err, 1e-12);
  // A negative count is refused by both, and nothing changes.
  cb[c / 2] = -1;
  Device<double> d_bad(cb);
  const auto before = d_ca.get();
  const int32_t s_cpu = cpu.moments_merge(ca.data(), ma.data(), va.data(), cb.data(), mb.data(), vb.data(), c, nullptr);
  const std::string cpu_message = cpu.last_error();
  const int32_t s_gpu = gpu.moments_merge(d_ca.ptr, d_ma.ptr, d_va.ptr, d_bad.ptr, d_mb.ptr, d_vb.ptr, c, nullptr);
  expect(s_cpu == CAPXAI_ERR_INVALID && s_gpu == CAPXAI_ERR_INVALID && d_ca.get() == before &&
             cpu_message == gpu.last_error(),
         "moments_merge: negative count -> INVALID, same message, no change");
}

static void check_resize(int64_t n, int64_t c, int64_t ih, int64_t iw, int64_t oh, int64_t ow, int32_t mode) {
  const auto x = random_floats(n * c * ih * iw, 2, 3);
  std::vector<float> out(n * c * oh * ow);
  Device<float> d_x(x), d_out(out.size());
  if (!both_ok(cpu.resize(x.data(), n, c, ih, iw, out.data(), oh, ow, mode, nullptr),
               gpu.resize(d_x.ptr, n, c, ih, iw, d_out.ptr, oh, ow, mode, nullptr), "resize"))
    return;
  report("resize", dims({n, c, ih, iw}) + " -> " + dims({oh, ow}) + (mode ? " bicubic" : " bilinear"),
         relative_error(d_out.get(), out), 1e-5);
}

static void check_resize_adjoint(int64_t n, int64_t c, int64_t mh, int64_t mw, int64_t sh, int64_t sw, bool shifted) {
  const auto x = random_floats(n * c * mh * mw, 5, 2);
  const auto shift = random_floats(c, 5, 1);
  std::vector<float> out(n * c * sh * sw);
  Device<float> d_x(x), d_shift(shift), d_out(out.size());
  const float *cpu_shift = shifted ? shift.data() : nullptr;
  if (!both_ok(cpu.resize_adjoint(x.data(), n, c, mh, mw, cpu_shift, out.data(), sh, sw, nullptr),
               gpu.resize_adjoint(d_x.ptr, n, c, mh, mw, shifted ? d_shift.ptr : nullptr, d_out.ptr, sh, sw, nullptr),
               "resize_adjoint"))
    return;
  report("resize_adjoint", dims({n, c, mh, mw}) + " -> " + dims({sh, sw}) + (shifted ? " shifted" : ""),
         relative_error(d_out.get(), out), 1e-5);
}

static void check_weighted_sum(int64_t n, int64_t c, int64_t hw, bool shifted, bool weighted) {
  const auto x = random_floats(n * c * hw, 100, 2);
  const auto shift = random_floats(c, 100, 1), w = random_floats(hw, 1, 0.5);
  std::vector<double> acc(c, 0.25);
  Device<float> d_x(x), d_shift(shift), d_w(w);
  Device<double> d_acc(acc);
  if (!both_ok(cpu.weighted_sum(x.data(), n, c, hw, shifted ? shift.data() : nullptr, weighted ? w.data() : nullptr,
                                acc.data(), nullptr),
               gpu.weighted_sum(d_x.ptr, n, c, hw, shifted ? d_shift.ptr : nullptr, weighted ? d_w.ptr : nullptr,
                                d_acc.ptr, nullptr),
               "weighted_sum"))
    return;
  report("weighted_sum", dims({n, c, hw}) + (shifted ? " shifted" : "") + (weighted ? " weighted" : ""),
         relative_error(d_acc.get(), acc), 1e-10);
}

// Also against a float64 reference written here: the CPU library could share a mistake.
static void check_cross_moment(int64_t ca, int64_t cb, int64_t n, int64_t hw, double mean, bool shifted) {
  const auto a = random_floats(n * ca * hw, mean, 1), b = random_floats(n * cb * hw, -mean, 2);
  const auto sa = random_floats(ca, mean, 0.5), sb = random_floats(cb, -mean, 0.5);
  const float *pa = shifted ? sa.data() : nullptr, *pb = shifted ? sb.data() : nullptr;
  std::vector<double> x(ca * cb, 1.0), exact(ca * cb, 1.0);
  for (int64_t t = 0; t < n; t++)
    for (int64_t i = 0; i < ca; i++)
      for (int64_t j = 0; j < cb; j++) {
        double sum = 0;
        for (int64_t p = 0; p < hw; p++)
          sum += (static_cast<double>(a[(t * ca + i) * hw + p]) - (pa ? pa[i] : 0.0)) *
                 (static_cast<double>(b[(t * cb + j) * hw + p]) - (pb ? pb[j] : 0.0));
        exact[i * cb + j] += sum;
      }
  Device<float> d_a(a), d_b(b), d_sa(sa), d_sb(sb);
  Device<double> d_x(x);
  if (!both_ok(cpu.cross_moment(a.data(), pa, ca, b.data(), pb, cb, n, hw, x.data(), nullptr),
               gpu.cross_moment(d_a.ptr, shifted ? d_sa.ptr : nullptr, ca, d_b.ptr, shifted ? d_sb.ptr : nullptr, cb,
                                n, hw, d_x.ptr, nullptr),
               "cross_moment"))
    return;
  const auto got = d_x.get();
  const std::string shape = dims({ca, cb, n, hw}) + " mean " + std::to_string(static_cast<int>(mean)) +
                            (shifted ? " shifted" : "");
  report("cross_moment", shape, relative_error(got, x), 1e-5);
  report("cross_moment", shape + " vs f64", relative_error(got, exact), 1e-4);
}

struct Plan {
  std::vector<int32_t> dst, src;
};

// Every other CLIP channel, fed from standalone channels that repeat (many-to-one).
static Plan make_plan(int64_t cs, int64_t cd) {
  Plan plan;
  for (int64_t j = cd - 1; j >= 0; j -= 2) {
    plan.dst.push_back(static_cast<int32_t>(j));
    plan.src.push_back(static_cast<int32_t>((j * 7) % cs));
  }
  return plan;
}

static void check_surgery(int64_t n, int64_t cs, int64_t sh, int64_t sw, int64_t cd, int64_t dh, int64_t dw,
                          int32_t mode) {
  const auto src = random_floats(n * cs * sh * sw, 4, 3), dst0 = random_floats(n * cd * dh * dw, -1, 1);
  const auto src_mean = random_floats(cs, 4, 1), dst_mean = random_floats(cd, -1, 1);
  auto src_std = random_floats(cs, 3, 0.5), dst_std = random_floats(cd, 1, 0.2);
  for (auto &s : src_std) s = std::fabs(s) + 0.1f;
  const Plan plan = make_plan(cs, cd);
  const int64_t pairs = static_cast<int64_t>(plan.dst.size());
  std::vector<float> dst = dst0;
  Device<float> d_src(src), d_dst(dst0), d_sm(src_mean), d_ss(src_std), d_dm(dst_mean), d_ds(dst_std);
  Device<int32_t> d_pd(plan.dst), d_ps(plan.src);
  auto run_cpu = [&](const std::vector<int32_t> &pd, const std::vector<int32_t> &ps) {
    return cpu.surgery_apply(src.data(), n, cs, sh, sw, src_mean.data(), src_std.data(), dst.data(), cd, dh, dw,
                             dst_mean.data(), dst_std.data(), pd.data(), ps.data(), pairs, mode, 1e-5f, nullptr);
  };
  auto run_gpu = [&](const int32_t *pd, const int32_t *ps) {
    return gpu.surgery_apply(d_src.ptr, n, cs, sh, sw, d_sm.ptr, d_ss.ptr, d_dst.ptr, cd, dh, dw, d_dm.ptr, d_ds.ptr,
                             pd, ps, pairs, mode, 1e-5f, nullptr);
  };
  if (!both_ok(run_cpu(plan.dst, plan.src), run_gpu(d_pd.ptr, d_ps.ptr), "surgery_apply")) return;
  report("surgery_apply", dims({n, cs, sh, sw}) + " -> " + dims({cd, dh, dw}) + (mode ? " bicubic" : " bilinear"),
         relative_error(d_dst.get(), dst), 1e-5);

  // Broken plans: refused by both with the same message, and dst is left as it was.
  struct Broken {
    const char *what;
    std::function<void(Plan &)> breaks;
  };
  const Broken broken[] = {
      {"dst index out of range", [&](Plan &p) { p.dst[pairs / 2] = static_cast<int32_t>(cd); }},
      {"negative src index", [&](Plan &p) { p.src[pairs - 1] = -3; }},
      {"dst channel written twice", [&](Plan &p) { p.dst[pairs - 1] = p.dst[0]; }},
  };
  for (const Broken &b : broken) {
    if (pairs < 2) break;
    Plan bad = plan;
    b.breaks(bad);
    Device<int32_t> d_bd(bad.dst), d_bs(bad.src);
    const auto before = d_dst.get();
    const int32_t s_cpu = run_cpu(bad.dst, bad.src);
    const std::string cpu_message = cpu.last_error();
    const int32_t s_gpu = run_gpu(d_bd.ptr, d_bs.ptr);
    const std::string what = std::string("surgery_apply: ") + b.what + " -> INVALID, same message, dst intact";
    expect(s_cpu == CAPXAI_ERR_INVALID && s_gpu == CAPXAI_ERR_INVALID && cpu_message == gpu.last_error() &&
               d_dst.get() == before,
           what.c_str());
    if (cpu_message != gpu.last_error())
      std::printf("    cpu: %s\n    cuda: %s\n", cpu_message.c_str(), gpu.last_error());
  }
}

// Arguments the CUDA library must refuse before launching anything.
static void check_argument_validation() {
  std::vector<float> host(64, 1.f);
  std::vector<double> acc(4, 0);
  Device<double> d_acc(acc);
  expect(gpu.weighted_sum(nullptr, 1, 4, 16, nullptr, nullptr, d_acc.ptr, nullptr) == CAPXAI_ERR_INVALID,
         "weighted_sum: NULL x -> INVALID");
  if (!host_memory) {  // the host emulator treats all memory as device memory
    expect(gpu.weighted_sum(host.data(), 1, 4, 16, nullptr, nullptr, d_acc.ptr, nullptr) == CAPXAI_ERR_INVALID,
           "weighted_sum: host pointer -> INVALID (no kernel fault)");
    std::printf("    cuda says: %s\n", gpu.last_error());
  }
  Device<float> d_x(host);
  expect(gpu.resize(d_x.ptr, 1, 1, 8, 8, d_x.ptr, 4, 4, 7, nullptr) == CAPXAI_ERR_INVALID,
         "resize: bad mode -> INVALID");
  expect(gpu.resize_adjoint(d_x.ptr, 1, 1, 4, 4, nullptr, d_x.ptr, 8, 8, nullptr) == CAPXAI_ERR_INVALID,
         "resize_adjoint: small side larger -> INVALID");
  expect(gpu.cross_moment(d_x.ptr, nullptr, 0, d_x.ptr, nullptr, 1, 1, 1, d_acc.ptr, nullptr) == CAPXAI_ERR_INVALID,
         "cross_moment: ca = 0 -> INVALID");
  expect(gpu.moments_update(d_x.ptr, INT64_MAX / 2, 4, 1, d_acc.ptr, d_acc.ptr, d_acc.ptr, nullptr) ==
             CAPXAI_ERR_INVALID,
         "moments_update: overflowing size -> INVALID");
  if (!host_memory) expect(cudaDeviceSynchronize() == cudaSuccess, "the CUDA context is still healthy");
}

static void run_checks(bool quick) {
  std::printf("== correctness: %s vs %s\n", cpu.path.c_str(), gpu.path.c_str());
  check_moments(3, 37, 53, 1000, 3);
  check_moments(1, 3, 1, 0, 1);
  check_moments(quick ? 2 : 25, quick ? 9 : 64, quick ? 300 : 12544, 1e4, 1);
  check_moments_rejects_nonfinite();
  check_moments_merge(quick ? 37 : 1001);
  for (int32_t mode : {CAPXAI_RESIZE_BILINEAR, CAPXAI_RESIZE_BICUBIC}) {
    check_resize(2, 3, 7, 9, 13, 5, mode);
    check_resize(1, 2, 14, 14, 56, 56, mode);
    check_resize(1, 2, 112, 112, 7, 7, mode);
    check_resize(3, 1, 1, 1, 4, 3, mode);
  }
  check_resize_adjoint(2, 3, 13, 29, 5, 7, true);
  check_resize_adjoint(1, 4, 112, 112, 7, 7, false);
  check_resize_adjoint(2, 3, 28, 28, 14, 14, true);
  check_resize_adjoint(1, 2, 9, 9, 9, 9, true);
  check_resize_adjoint(1, 1, 5, 6, 1, 1, false);
  check_weighted_sum(3, 37, 53, true, true);
  check_weighted_sum(2, 5, 1, false, false);
  check_weighted_sum(quick ? 2 : 25, quick ? 7 : 256, quick ? 196 : 3136, true, false);
  check_cross_moment(133, 77, 5, 61, 0, false);
  check_cross_moment(130, 65, 3, 200, 50, true);
  check_cross_moment(1, 1, 1, 1, 0, false);
  check_cross_moment(64, 32, 3, 1100, 5, true);  // one output tile: split-K into segments
  check_cross_moment(quick ? 129 : 300, quick ? 65 : 200, quick ? 2 : 25, quick ? 49 : 49, 10, true);
  check_surgery(2, 11, 9, 9, 13, 14, 14, CAPXAI_RESIZE_BILINEAR);
  check_surgery(2, 11, 14, 14, 13, 7, 7, CAPXAI_RESIZE_BICUBIC);
  check_surgery(1, 5, 7, 7, 6, 7, 7, CAPXAI_RESIZE_BILINEAR);
  check_surgery(quick ? 1 : 4, quick ? 20 : 256, quick ? 28 : 56, quick ? 28 : 56, quick ? 17 : 512, 28, 28,
                CAPXAI_RESIZE_BICUBIC);
  check_argument_validation();
}

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

static int run_emulation() {
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

// ---- timing -----------------------------------------------------------------------------

// Milliseconds per call of f (after one warm-up call), timed with CUDA events.
static float time_ms(const std::function<void()> &f, int repeats) {
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  f();
  cudaEventRecord(start);
  for (int i = 0; i < repeats; i++) f();
  cudaEventRecord(stop);
  cuda_check(cudaEventSynchronize(stop), "timing");
  float ms = 0;
  cudaEventElapsedTime(&ms, start, stop);
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return ms / repeats;
}

static void must(int32_t status, const char *what) {
  if (status == CAPXAI_OK) return;
  std::fprintf(stderr, "%s failed: %s\n", what, gpu.last_error());
  std::exit(1);
}

static void run_bench() {
  cudaDeviceProp prop;
  cudaGetDeviceProperties(&prop, 0);
  std::printf("\n## capxai CUDA kernels on %s\n\n", prop.name);

  // Bandwidth: a device-to-device copy reads and writes every byte.
  const size_t copy_bytes = size_t{512} << 20;
  Device<char> from(copy_bytes), to(copy_bytes);
  const float copy_ms = time_ms([&] { cudaMemcpy(to.ptr, from.ptr, copy_bytes, cudaMemcpyDeviceToDevice); }, 10);
  const double copy_gbs = 2.0 * copy_bytes / copy_ms / 1e6;
  std::printf("| moments_update [n, c, hw] | MB read | ms | GB/s | share of cudaMemcpy D2D (%.0f GB/s, read+write) |\n",
              copy_gbs);
  std::printf("|---|---|---|---|---|\n");
  const int64_t moment_shapes[][3] = {{25, 64, 12544}, {25, 256, 3136}, {25, 1024, 196}, {25, 2048, 49}};
  for (const auto &s : moment_shapes) {
    const int64_t n = s[0], c = s[1], hw = s[2];
    Device<float> x(random_floats(n * c * hw, 3, 1));
    Device<double> count(std::vector<double>(c, 0)), mean(std::vector<double>(c, 0)), m2(std::vector<double>(c, 0));
    const float ms = time_ms(
        [&] { must(gpu.moments_update(x.ptr, n, c, hw, count.ptr, mean.ptr, m2.ptr, nullptr), "moments"); }, 10);
    const double bytes = 4.0 * n * c * hw, gbs = bytes / ms / 1e6;
    std::printf("| %s | %.1f | %.3f | %.0f | %.0f %% |\n", dims({n, c, hw}).c_str(), bytes / 1e6, ms, gbs,
                100 * gbs / copy_gbs);
  }

  std::printf("\n| cross_moment (n = 25) ca x cb @ hw | GFLOP | ms | GFLOP/s |\n|---|---|---|---|\n");
  const int64_t gemm_shapes[][3] = {{9472, 1024, 196}, {3200, 512, 784}, {1280, 256, 3136}, {8704, 2048, 49}};
  for (const auto &s : gemm_shapes) {
    const int64_t n = 25, ca = s[0], cb = s[1], hw = s[2];
    Device<float> a(random_floats(n * ca * hw, 1, 1)), b(random_floats(n * cb * hw, 1, 1));
    Device<float> sa(random_floats(ca, 1, 0.1)), sb(random_floats(cb, 1, 0.1));
    Device<double> x(std::vector<double>(ca * cb, 0));
    const float ms = time_ms([&] {
      must(gpu.cross_moment(a.ptr, sa.ptr, ca, b.ptr, sb.ptr, cb, n, hw, x.ptr, nullptr), "cross_moment");
    }, 3);
    const double gflop = 2.0 * ca * cb * n * hw / 1e9;
    std::printf("| %lld x %lld @ %lld | %.1f | %.2f | %.0f |\n", (long long)ca, (long long)cb, (long long)hw, gflop,
                ms, gflop / ms * 1e3);
  }

  std::printf("\n| other kernels (n = 25) | ms |\n|---|---|\n");
  {
    const int64_t n = 25, c = 64;
    Device<float> big(random_floats(n * c * 112 * 112, 1, 1)), small(n * c * 7 * 7);
    std::printf("| resize_adjoint %s -> 7x7 | %.3f |\n", dims({n, c, 112, 112}).c_str(),
                time_ms([&] {
                  must(gpu.resize_adjoint(big.ptr, n, c, 112, 112, nullptr, small.ptr, 7, 7, nullptr), "adjoint");
                }, 10));
    Device<float> x(random_floats(n * 1024 * 196, 1, 1));
    Device<double> acc(std::vector<double>(1024, 0));
    Device<float> w(random_floats(196, 1, 0.1));
    std::printf("| weighted_sum %s | %.3f |\n", dims({n, 1024, 196}).c_str(),
                time_ms([&] {
                  must(gpu.weighted_sum(x.ptr, n, 1024, 196, nullptr, w.ptr, acc.ptr, nullptr), "weighted_sum");
                }, 10));
    // Surgery of all of layer4 (2048 channels at 7x7) from 14x14 standalone maps, bilinear.
    const int64_t cs = 1024, cd = 2048;
    Device<float> src(random_floats(n * cs * 196, 0, 1)), dst(n * cd * 49);
    Device<float> ones(std::vector<float>(std::max(cs, cd), 1.f)), zeros(std::vector<float>(std::max(cs, cd), 0.f));
    std::vector<int32_t> pd(cd), ps(cd);
    for (int64_t j = 0; j < cd; j++) pd[j] = static_cast<int32_t>(j), ps[j] = static_cast<int32_t>((j * 7) % cs);
    Device<int32_t> d_pd(pd), d_ps(ps);
    std::printf("| surgery_apply %s -> %s, %lld pairs | %.3f |\n", dims({n, cs, 14, 14}).c_str(),
                dims({cd, 7, 7}).c_str(),
                (long long)cd, time_ms([&] {
                  must(gpu.surgery_apply(src.ptr, n, cs, 14, 14, zeros.ptr, ones.ptr, dst.ptr, cd, 7, 7, zeros.ptr,
                                         ones.ptr, d_pd.ptr, d_ps.ptr, cd, CAPXAI_RESIZE_BILINEAR, 1e-5f, nullptr),
                       "surgery");
                }, 10));
  }
}

// ---- without a device --------------------------------------------------------------------
// The CUDA library must still load, count 0 devices, refuse bad arguments as INVALID and
// everything else as DEVICE with a message: never crash.
static bool check_without_device() {
  std::vector<float> f(64, 1.f);
  std::vector<double> d(64, 0);
  std::vector<int32_t> idx(4, 0);
  const float *x = f.data();
  float *out = f.data();
  double *acc = d.data();
  const int failures_before = failures;
  auto device_error = [](int32_t status, const char *what) {
    const bool ok = status == CAPXAI_ERR_DEVICE && std::strlen(gpu.last_error()) > 0;
    expect(ok, (std::string("no device: ") + what + " -> DEVICE with a message").c_str());
    if (ok) std::printf("    %s\n", gpu.last_error());
  };
  expect(gpu.device_count() == 0, "no device: capxai_device_count() = 0");
  device_error(gpu.moments_update(x, 1, 2, 3, acc, acc, acc, nullptr), "moments_update");
  device_error(gpu.moments_merge(acc, acc, acc, acc, acc, acc, 4, nullptr), "moments_merge");
  device_error(gpu.resize_adjoint(x, 1, 1, 4, 4, nullptr, out, 2, 2, nullptr), "resize_adjoint");
  device_error(gpu.resize(x, 1, 1, 4, 4, out, 2, 2, CAPXAI_RESIZE_BICUBIC, nullptr), "resize");
  device_error(gpu.weighted_sum(x, 1, 2, 3, nullptr, nullptr, acc, nullptr), "weighted_sum");
  device_error(gpu.cross_moment(x, nullptr, 2, x, nullptr, 2, 1, 3, acc, nullptr), "cross_moment");
  device_error(gpu.surgery_apply(x, 1, 2, 2, 2, x, x, out, 2, 2, 2, x, x, idx.data(), idx.data(), 1,
                                 CAPXAI_RESIZE_BILINEAR, 1e-5f, nullptr),
               "surgery_apply");
  expect(gpu.cross_moment(x, nullptr, -1, x, nullptr, 2, 1, 3, acc, nullptr) == CAPXAI_ERR_INVALID,
         "no device: cross_moment with ca = -1 -> INVALID");
  expect(gpu.resize(nullptr, 1, 1, 4, 4, out, 2, 2, 0, nullptr) == CAPXAI_ERR_INVALID,
         "no device: resize with x = NULL -> INVALID");
  std::printf("    %s\n", gpu.last_error());
  return failures == failures_before;
}

// ---- main ---------------------------------------------------------------------------------

int main(int argc, char **argv) {
  std::string cpu_path = "libcapxai_cpu.so", cuda_path = "libcapxai_cuda.so";
  bool quick = false, bench = false, emulate = false;
  for (int i = 1; i < argc; i++) {
    const std::string arg = argv[i];
    if (arg == "--cpu" && i + 1 < argc) cpu_path = argv[++i];
    else if (arg == "--cuda" && i + 1 < argc) cuda_path = argv[++i];
    else if (arg == "--quick") quick = true;
    else if (arg == "--bench") bench = true;
    else if (arg == "--emulate") emulate = true;
    else if (arg == "--host-memory") host_memory = true;
    else {
      std::fprintf(stderr, "usage: %s [--cpu LIB] [--cuda LIB] [--quick] [--bench | --emulate | --host-memory]\n",
                   argv[0]);
      return 3;
    }
  }
  if (!load(cpu, cpu_path)) return 3;
  if (emulate) return run_emulation();
  if (!load(gpu, cuda_path)) return 3;
  if (gpu.abi_version() != cpu.abi_version()) {
    std::fprintf(stderr, "ABI mismatch: cpu %d, cuda %d\n", cpu.abi_version(), gpu.abi_version());
    return 3;
  }
  if (host_memory) {
    run_checks(true);
    std::printf("%s (host emulation of %s): %d failure(s)\n", failures ? "FAILED" : "ALL PASSED", cuda_path.c_str(),
                failures);
    return failures ? 1 : 0;
  }
  int devices = 0;
  const cudaError_t err = cudaGetDeviceCount(&devices);
  if (gpu.device_count() == 0 || err != cudaSuccess || devices == 0) {
    std::printf("no CUDA device: capxai_device_count() = %d, cudaGetDeviceCount: %s; nothing to check "
                "(run with --emulate for the host-side checks)\n",
                gpu.device_count(), err == cudaSuccess ? "0 devices" : cudaGetErrorString(err));
    return check_without_device() ? 2 : 1;
  }
  if (bench) {
    run_bench();
    return 0;
  }
  run_checks(quick);
  std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "ALL PASSED", failures);
  return failures ? 1 : 0;
}
