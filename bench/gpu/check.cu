// GPU check harness: loads libcapxai_cpu.so and libcapxai_cuda.so side by side (same
// symbol names, so each through its own dlopen handle), runs every kernel on both on
// random inputs of odd shapes, and prints the max relative error per case with PASS/FAIL.
// This file: the correctness checks and main; emulation.cu: --emulate; timing.cu: --bench;
// harness.cuh: what they share.
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
#include "harness.cuh"

#include <functional>

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

void run_checks(bool quick) {
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

// ---- without a device --------------------------------------------------------------------
// The CUDA library must still load, count 0 devices, refuse bad arguments as INVALID and
// everything else as DEVICE with a message: never crash.
bool check_without_device() {
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
