/* C test harness: every fast kernel against its float64 reference (the interpolation
 * kernels against their algebra, see test_resize) on fresh random inputs of awkward shapes (1x1 maps, 7x7 <-> 112x112, C = 1, n = 1 and 3, sizes that
 * are no multiple of any block, means of 1e4 with std 1), plus argument validation.
 * Prints the max relative error of every case; exits 1 if any case fails.
 * Run with CAPXAI_ISA=avx2 or CAPXAI_ISA=scalar to test the fallbacks. */
#include "capxai_kernels.h"
#include "reference.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

/* ---- random numbers (splitmix64, Box-Muller) ---------------------------------------- */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static double uniform(void) {
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return ((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}
static double normal(void) { return sqrt(-2 * log(1 - uniform())) * cos(6.283185307179586 * uniform()); }

static float *random_floats(int64_t count, double mean, double std) {
  float *v = malloc((size_t)count * sizeof *v);
  for (int64_t i = 0; i < count; i++) v[i] = (float)(mean + std * normal());
  return v;
}
static double *random_doubles(int64_t count, double lo, double hi) {
  double *v = malloc((size_t)count * sizeof *v);
  for (int64_t i = 0; i < count; i++) v[i] = lo + (hi - lo) * uniform();
  return v;
}

/* ---- comparisons --------------------------------------------------------------------- */
/* max |fast - ref| / max |ref|: the error relative to the size of the result. */
static double rel_err_f(const float *fast, const float *ref, int64_t count) {
  double err = 0, scale = 1e-300;
  for (int64_t i = 0; i < count; i++) {
    err = fmax(err, fabs((double)fast[i] - ref[i]));
    scale = fmax(scale, fabs((double)ref[i]));
    if (isnan(fast[i]) != isnan(ref[i])) return INFINITY;
  }
  return err / scale;
}
static double rel_err_d(const double *fast, const double *ref, int64_t count) {
  double err = 0, scale = 1e-300;
  for (int64_t i = 0; i < count; i++) {
    err = fmax(err, fabs(fast[i] - ref[i]));
    scale = fmax(scale, fabs(ref[i]));
    if (isnan(fast[i]) != isnan(ref[i])) return INFINITY;
  }
  return err / scale;
}

static void report(const char *name, const char *shape, double err, double tol) {
  const int ok = err <= tol;
  printf("%-4s %-16s %-34s max rel err %.2e (tol %.0e)\n", ok ? "ok" : "FAIL", name, shape, err, tol);
  if (!ok) failures++;
}
/* Quiet when it holds: the error tables above are what the reader wants to see. */
static void expect(int cond, const char *what) {
  if (cond) return;
  printf("FAIL %s\n", what);
  failures++;
}
static void expect_status(int32_t got, int32_t want, const char *needle, const char *what) {
  const char *msg = capxai_last_error();
  const int ok = got == want && (needle == NULL || strstr(msg, needle) != NULL);
  printf("%-4s %s -> %d \"%s\"\n", ok ? "ok" : "FAIL", what, got, msg);
  if (!ok) failures++;
}

/* ---- moments ------------------------------------------------------------------------- */
static void test_moments(int64_t n, int64_t c, int64_t hw, double mean, double std) {
  char shape[64];
  snprintf(shape, sizeof shape, "%lldx%lldx%lld mean %g", (long long)n, (long long)c, (long long)hw, mean);
  float *x1 = random_floats(n * c * hw, mean, std), *x2 = random_floats(n * c * hw, mean, std);
  double *cf = calloc(c, 8), *mf = calloc(c, 8), *sf = calloc(c, 8);
  double *cr = calloc(c, 8), *mr = calloc(c, 8), *sr = calloc(c, 8);
  /* two batches into one set */
  int32_t status = capxai_moments_update(x1, n, c, hw, cf, mf, sf, NULL);
  status |= capxai_moments_update(x2, n, c, hw, cf, mf, sf, NULL);
  capxai_ref_moments_update(x1, n, c, hw, cr, mr, sr);
  capxai_ref_moments_update(x2, n, c, hw, cr, mr, sr);
  expect(status == CAPXAI_OK, "moments_update returns OK");
  report("moments count", shape, rel_err_d(cf, cr, c), 0);
  report("moments mean", shape, rel_err_d(mf, mr, c), 1e-13);
  report("moments M2", shape, rel_err_d(sf, sr, c), 1e-9);
  /* the same two batches in two sets, then merged */
  double *cb = calloc(c, 8), *mb = calloc(c, 8), *sb = calloc(c, 8);
  double *ca = calloc(c, 8), *ma = calloc(c, 8), *sa = calloc(c, 8);
  capxai_moments_update(x1, n, c, hw, ca, ma, sa, NULL);
  capxai_moments_update(x2, n, c, hw, cb, mb, sb, NULL);
  status = capxai_moments_merge(ca, ma, sa, cb, mb, sb, c, NULL);
  expect(status == CAPXAI_OK, "moments_merge returns OK");
  report("merge mean", shape, rel_err_d(ma, mr, c), 1e-13);
  report("merge M2", shape, rel_err_d(sa, sr, c), 1e-9);
  free(x1), free(x2), free(cf), free(mf), free(sf), free(cr), free(mr), free(sr);
  free(ca), free(ma), free(sa), free(cb), free(mb), free(sb);
}

static void test_moments_merge_edge_cases(void) {
  const int64_t c = 37;
  double *na = random_doubles(c, 1, 1000), *ma = random_doubles(c, -5, 5), *sa = random_doubles(c, 0, 100);
  double *nb = random_doubles(c, 1, 1000), *mb = random_doubles(c, 1e4, 1e4 + 1), *sb = random_doubles(c, 0, 100);
  na[0] = 0, ma[0] = 0, sa[0] = 0; /* empty a */
  nb[1] = 0, mb[1] = 0, sb[1] = 0; /* empty b */
  na[2] = nb[2] = ma[2] = mb[2] = sa[2] = sb[2] = 0; /* both empty */
  double r[3][37];
  memcpy(r[0], na, sizeof r[0]), memcpy(r[1], ma, sizeof r[1]), memcpy(r[2], sa, sizeof r[2]);
  capxai_ref_moments_merge(r[0], r[1], r[2], nb, mb, sb, c);
  expect(capxai_moments_merge(na, ma, sa, nb, mb, sb, c, NULL) == CAPXAI_OK, "moments_merge with empty sets");
  report("merge count", "37 random sets", rel_err_d(na, r[0], c), 0);
  report("merge mean", "37 random sets", rel_err_d(ma, r[1], c), 1e-14);
  report("merge M2", "37 random sets", rel_err_d(sa, r[2], c), 1e-11);
  free(na), free(ma), free(sa), free(nb), free(mb), free(sb);
}

static void test_moments_rejects_nonfinite(float bad, const char *name) {
  const int64_t n = 3, c = 4, hw = 10;
  float *x = random_floats(n * c * hw, 0, 1);
  x[(1 * c + 2) * hw + 5] = bad; /* image 1, channel 2, position 5 */
  double count[4] = {1, 2, 3, 4}, mean[4] = {5, 6, 7, 8}, m2[4] = {9, 10, 11, 12};
  double before[12];
  memcpy(before, count, 32), memcpy(before + 4, mean, 32), memcpy(before + 8, m2, 32);
  char what[64];
  snprintf(what, sizeof what, "moments_update rejects %s", name);
  expect_status(capxai_moments_update(x, n, c, hw, count, mean, m2, NULL), CAPXAI_ERR_NONFINITE,
                "channel 2 (image 1, position 5)", what);
  expect(!memcmp(before, count, 32) && !memcmp(before + 4, mean, 32) && !memcmp(before + 8, m2, 32),
         "  ... and leaves the accumulators untouched");
  free(x);
}

/* ---- weighted_sum -------------------------------------------------------------------- */
static void test_weighted_sum(int64_t n, int64_t c, int64_t hw, int with_shift, int with_w) {
  char shape[64];
  snprintf(shape, sizeof shape, "%lldx%lldx%lld%s%s", (long long)n, (long long)c, (long long)hw,
           with_shift ? " shift" : "", with_w ? " w" : "");
  float *x = random_floats(n * c * hw, 1e4, 1), *shift = random_floats(c, 1e4, 0.5), *w = random_floats(hw, 1, 0.3);
  double *fast = random_doubles(c, -1, 1), *ref = malloc(c * 8);
  memcpy(ref, fast, c * 8);
  expect(capxai_weighted_sum(x, n, c, hw, with_shift ? shift : NULL, with_w ? w : NULL, fast, NULL) == CAPXAI_OK,
         "weighted_sum returns OK");
  capxai_ref_weighted_sum(x, n, c, hw, with_shift ? shift : NULL, with_w ? w : NULL, ref);
  report("weighted_sum", shape, rel_err_d(fast, ref, c), 1e-12);
  free(x), free(shift), free(w), free(fast), free(ref);
}

/* ---- resize and its adjoint ---------------------------------------------------------- */
/* The interpolation taps are checked against PyTorch (kernels_vs_torch) and against the Java
 * float64 reference (CpuKernelsTest); here, what the planes, threads and shifts must satisfy:
 * resize is linear per plane, so plane p = (p + 1) * base comes out as (p + 1) * R(base)
 * (a mixed-up plane or thread split shows), and a constant map stays constant. */
static void test_resize(int64_t n, int64_t c, int64_t ih, int64_t iw, int64_t oh, int64_t ow, int32_t mode) {
  char shape[64];
  snprintf(shape, sizeof shape, "%lldx%lld %lldx%lld->%lldx%lld %s", (long long)n, (long long)c, (long long)ih,
           (long long)iw, (long long)oh, (long long)ow, mode ? "bicubic" : "bilinear");
  const int64_t in = ih * iw, out = oh * ow, planes = n * c;
  float *base = random_floats(in, 3, 2), *x = malloc(planes * in * 4), *fast = malloc(planes * out * 4);
  float *want = malloc(planes * out * 4);
  for (int64_t p = 0; p < planes; p++)
    for (int64_t i = 0; i < in; i++) x[p * in + i] = (float)(p + 1) * base[i];
  expect(capxai_resize(x, n, c, ih, iw, fast, oh, ow, mode, NULL) == CAPXAI_OK, "resize returns OK");
  for (int64_t p = 0; p < planes; p++)
    for (int64_t o = 0; o < out; o++) want[p * out + o] = (float)(p + 1) * fast[o];
  report("resize (p+1)*x", shape, rel_err_f(fast, want, planes * out), 2e-6);
  for (int64_t i = 0; i < planes * in; i++) x[i] = 3.25f;
  for (int64_t o = 0; o < planes * out; o++) want[o] = 3.25f;
  capxai_resize(x, n, c, ih, iw, fast, oh, ow, mode, NULL);
  report("resize constant", shape, rel_err_f(fast, want, planes * out), 2e-6);
  free(base), free(x), free(fast), free(want);
}

static double dot_f(const float *u, const float *v, int64_t count) {
  double s = 0;
  for (int64_t i = 0; i < count; i++) s += (double)u[i] * v[i];
  return s;
}

/* The shift is subtracted as if from the input, and <U x, y> = <x, Ut y> with the two fast kernels. */
static void test_resize_adjoint(int64_t n, int64_t c, int64_t sh, int64_t sw, int64_t mh, int64_t mw, int with_shift) {
  char shape[64];
  snprintf(shape, sizeof shape, "%lldx%lld %lldx%lld<-%lldx%lld%s", (long long)n, (long long)c, (long long)sh,
           (long long)sw, (long long)mh, (long long)mw, with_shift ? " shift" : "");
  const int64_t small = n * c * sh * sw, large = n * c * mh * mw;
  float *y = random_floats(large, with_shift ? 100 : 0, 1), *shift = random_floats(c, 100, 0.5);
  float *fast = malloc(small * 4), *unshifted = malloc(small * 4);
  expect(capxai_resize_adjoint(y, n, c, mh, mw, with_shift ? shift : NULL, fast, sh, sw, NULL) == CAPXAI_OK,
         "resize_adjoint returns OK");
  if (with_shift) {
    float *centred = malloc(large * 4);
    for (int64_t i = 0; i < large; i++) centred[i] = y[i] - shift[(i / (mh * mw)) % c];
    capxai_resize_adjoint(centred, n, c, mh, mw, NULL, unshifted, sh, sw, NULL);
    report("resize_adjoint shift", shape, rel_err_f(fast, unshifted, small), 2e-6);
    memcpy(y, centred, large * 4);
    free(centred);
  } else {
    memcpy(unshifted, fast, small * 4);
  }
  float *x = random_floats(small, 0, 1), *ux = malloc(large * 4);
  capxai_resize(x, n, c, sh, sw, ux, mh, mw, CAPXAI_RESIZE_BILINEAR, NULL);
  const double lhs = dot_f(ux, y, large), rhs = dot_f(x, unshifted, small);
  report("<Ux,y>=<x,Uty>", shape, fabs(lhs - rhs) / sqrt(dot_f(ux, ux, large) * dot_f(y, y, large)), 1e-6);
  free(x), free(ux), free(y), free(shift), free(fast), free(unshifted);
}

static void test_adjoint_weight_map(int64_t s, int64_t m) {
  /* w = Ut(1): its entries sum to m * m, because <1, Ut 1> = <U 1, 1> and U(1) = 1. */
  float *ones = malloc(m * m * 4), *w = malloc(s * s * 4);
  for (int64_t i = 0; i < m * m; i++) ones[i] = 1;
  capxai_resize_adjoint(ones, 1, 1, m, m, NULL, w, s, s, NULL);
  double total = 0;
  for (int64_t i = 0; i < s * s; i++) total += w[i];
  char shape[64];
  snprintf(shape, sizeof shape, "%lldx%lld<-%lldx%lld", (long long)s, (long long)s, (long long)m, (long long)m);
  report("sum Ut(1)=m*m", shape, fabs(total - (double)(m * m)) / (double)(m * m), 1e-6);
  free(ones), free(w);
}

/* ---- cross_moment -------------------------------------------------------------------- */
static void test_cross_moment(int64_t ca, int64_t cb, int64_t n, int64_t hw, double mean, int with_shift) {
  char shape[64];
  snprintf(shape, sizeof shape, "%lldx%lld n%lld hw%lld mean %g%s", (long long)ca, (long long)cb, (long long)n,
           (long long)hw, mean, with_shift ? " shift" : "");
  float *a = random_floats(n * ca * hw, mean, 1), *b = random_floats(n * cb * hw, -mean, 1);
  float *sa = random_floats(ca, mean, 0.3), *sb = random_floats(cb, -mean, 0.3);
  double *fast = random_doubles(ca * cb, -10, 10), *ref = malloc(ca * cb * 8);
  memcpy(ref, fast, ca * cb * 8);
  expect(capxai_cross_moment(a, with_shift ? sa : NULL, ca, b, with_shift ? sb : NULL, cb, n, hw, fast, NULL) == CAPXAI_OK,
         "cross_moment returns OK");
  capxai_ref_cross_moment(a, with_shift ? sa : NULL, ca, b, with_shift ? sb : NULL, cb, n, hw, ref);
  report("cross_moment", shape, rel_err_d(fast, ref, ca * cb), 1e-5);
  free(a), free(b), free(sa), free(sb), free(fast), free(ref);
}

/* ---- surgery_apply ------------------------------------------------------------------- */
static void test_surgery(int64_t n, int64_t sh, int64_t dh, int32_t mode) {
  const int64_t cs = 9, cd = 5, pairs = 3, sw = sh + (sh > 1), dw = dh + (dh > 2);
  const int32_t dst_channel[3] = {4, 0, 2}, src_channel[3] = {8, 3, 3}; /* map 3 feeds two channels */
  char shape[64];
  snprintf(shape, sizeof shape, "n%lld %lldx%lld->%lldx%lld %s", (long long)n, (long long)sh, (long long)sw,
           (long long)dh, (long long)dw, mode ? "bicubic" : "bilinear");
  float *src = random_floats(n * cs * sh * sw, 1e4, 1), *src_mean = random_floats(cs, 1e4, 0.1);
  float *src_std = random_floats(cs, 1, 0.1), *dst_mean = random_floats(cd, 0.5, 1), *dst_std = random_floats(cd, 2, 0.1);
  float *fast = random_floats(n * cd * dh * dw, 0, 1), *ref = malloc(n * cd * dh * dw * 4), *before = malloc(n * cd * dh * dw * 4);
  memcpy(ref, fast, n * cd * dh * dw * 4);
  memcpy(before, fast, n * cd * dh * dw * 4);
  expect(capxai_surgery_apply(src, n, cs, sh, sw, src_mean, src_std, fast, cd, dh, dw, dst_mean, dst_std,
                              dst_channel, src_channel, pairs, mode, 1e-5f, NULL) == CAPXAI_OK,
         "surgery_apply returns OK");
  /* Expected: each planned channel is the resize (checked above) of its standardised source map. */
  float *z = malloc(n * sh * sw * 4), *rz = malloc(n * dh * dw * 4);
  for (int64_t q = 0; q < pairs; q++) {
    const int64_t j = dst_channel[q], k = src_channel[q];
    for (int64_t t = 0; t < n; t++)
      for (int64_t i = 0; i < sh * sw; i++)
        z[t * sh * sw + i] = (float)(((double)src[(t * cs + k) * sh * sw + i] - src_mean[k]) / ((double)src_std[k] + 1e-5));
    capxai_resize(z, n, 1, sh, sw, rz, dh, dw, mode, NULL);
    for (int64_t t = 0; t < n; t++)
      for (int64_t i = 0; i < dh * dw; i++)
        ref[(t * cd + j) * dh * dw + i] = (float)((double)rz[t * dh * dw + i] * dst_std[j] + dst_mean[j]);
  }
  free(z), free(rz);
  report("surgery_apply", shape, rel_err_f(fast, ref, n * cd * dh * dw), 5e-5);
  int untouched = 1; /* channels 1 and 3 are not in the plan */
  for (int64_t t = 0; t < n; t++)
    for (int64_t j = 1; j < cd; j += 2)
      untouched &= !memcmp(fast + (t * cd + j) * dh * dw, before + (t * cd + j) * dh * dw, dh * dw * 4);
  expect(untouched, "  ... channels outside the plan are left as they were");
  free(src), free(src_mean), free(src_std), free(dst_mean), free(dst_std), free(fast), free(ref), free(before);
}

/* ---- validation ---------------------------------------------------------------------- */
static void test_validation(void) {
  float f[64] = {0}, out[64];
  double d[64] = {0}, e[64] = {0}, g[64] = {0};
  const float ones[8] = {1, 1, 1, 1, 1, 1, 1, 1};
  expect_status(capxai_moments_update(NULL, 1, 1, 1, d, e, g, NULL), CAPXAI_ERR_INVALID, "x must not be NULL",
                "moments_update(x = NULL)");
  expect_status(capxai_moments_update(f, 1, 0, 1, d, e, g, NULL), CAPXAI_ERR_INVALID, "c must be positive",
                "moments_update(c = 0)");
  expect_status(capxai_moments_update(f, 1, 1, 4, d, e, g, NULL), CAPXAI_OK, NULL, "moments_update OK clears the message");
  expect(capxai_last_error()[0] == '\0', "  ... capxai_last_error() is empty");
  expect_status(capxai_moments_update(f, INT64_MAX / 2, 4, 4, d, e, g, NULL), CAPXAI_ERR_INVALID,
                "too many elements", "moments_update(n huge)");
  d[0] = -1;
  expect_status(capxai_moments_merge(e, e, e, d, d, d, 1, NULL), CAPXAI_ERR_INVALID, "count_b[0]",
                "moments_merge(count_b = -1)");
  expect_status(capxai_moments_merge(NULL, e, e, d, d, d, 1, NULL), CAPXAI_ERR_INVALID, "count_a", "moments_merge(NULL)");
  expect_status(capxai_weighted_sum(f, 1, 1, -3, NULL, NULL, d, NULL), CAPXAI_ERR_INVALID, "hw must be positive",
                "weighted_sum(hw = -3)");
  expect_status(capxai_weighted_sum(f, 1, 1, 3, NULL, NULL, NULL, NULL), CAPXAI_ERR_INVALID, "acc",
                "weighted_sum(acc = NULL)");
  expect_status(capxai_resize(f, 1, 1, 4, 4, out, 2, 2, 7, NULL), CAPXAI_ERR_INVALID, "mode", "resize(mode = 7)");
  expect_status(capxai_resize(f, 1, 1, 4, 4, NULL, 2, 2, 0, NULL), CAPXAI_ERR_INVALID, "out", "resize(out = NULL)");
  expect_status(capxai_resize_adjoint(f, 1, 1, 4, 4, NULL, out, 5, 4, NULL), CAPXAI_ERR_INVALID, "must not exceed",
                "resize_adjoint(sh > mh)");
  expect_status(capxai_cross_moment(f, NULL, 2, NULL, NULL, 2, 1, 4, d, NULL), CAPXAI_ERR_INVALID, "b must not be NULL",
                "cross_moment(b = NULL)");
  expect_status(capxai_cross_moment(f, NULL, 2, f, NULL, 0, 1, 4, d, NULL), CAPXAI_ERR_INVALID, "cb must be positive",
                "cross_moment(cb = 0)");
  int32_t dst_ch[2] = {0, 1}, src_ch[2] = {0, 2};
  expect_status(capxai_surgery_apply(f, 1, 2, 2, 2, ones, ones, out, 2, 2, 2, ones, ones, dst_ch, src_ch, 2, 0, 1e-5f, NULL),
                CAPXAI_ERR_INVALID, "src_channel[1] = 2", "surgery_apply(src channel out of range)");
  dst_ch[1] = 0, src_ch[1] = 1;
  expect_status(capxai_surgery_apply(f, 1, 2, 2, 2, ones, ones, out, 2, 2, 2, ones, ones, dst_ch, src_ch, 2, 0, 1e-5f, NULL),
                CAPXAI_ERR_INVALID, "repeats", "surgery_apply(dst channel twice)");
  dst_ch[1] = -1;
  expect_status(capxai_surgery_apply(f, 1, 2, 2, 2, ones, ones, out, 2, 2, 2, ones, ones, dst_ch, src_ch, 2, 0, 1e-5f, NULL),
                CAPXAI_ERR_INVALID, "dst_channel[1] = -1", "surgery_apply(dst channel -1)");
  dst_ch[1] = 1;
  expect_status(capxai_surgery_apply(f, 1, 2, 2, 2, ones, ones, out, 2, 2, 2, ones, ones, dst_ch, src_ch, 2, 0, NAN, NULL),
                CAPXAI_ERR_INVALID, "eps", "surgery_apply(eps = NaN)");
  expect_status(capxai_surgery_apply(f, 1, 2, 2, 2, ones, NULL, out, 2, 2, 2, ones, ones, dst_ch, src_ch, 2, 0, 0, NULL),
                CAPXAI_ERR_INVALID, "src_std", "surgery_apply(src_std = NULL)");
  expect(capxai_abi_version() == 1 && capxai_device_count() == 1, "abi version 1, one device");
}

/* Sizes above ~32k output values run multithreaded; OMP_NUM_THREADS=1/3 vary the split. */
int main(void) {
  test_moments(1, 1, 1, 0, 1);
  test_moments(3, 5, 49, 0, 1);
  test_moments(1, 3, 12544, 2, 3);
  test_moments(3, 7, 196, 1e4, 1);
  test_moments(2, 1, 3, -1e4, 1);
  test_moments(4, 64, 17, 0.1, 1e-3);
  test_moments_merge_edge_cases();
  test_moments_rejects_nonfinite(NAN, "NaN");
  test_moments_rejects_nonfinite(-INFINITY, "-Inf");

  test_weighted_sum(1, 1, 1, 1, 1);
  test_weighted_sum(3, 5, 49, 1, 1);
  test_weighted_sum(2, 3, 196, 0, 0);
  test_weighted_sum(1, 70, 33, 1, 0);

  for (int32_t mode = 0; mode <= 1; mode++) {
    test_resize(1, 1, 7, 7, 112, 112, mode);
    test_resize(3, 2, 112, 112, 7, 7, mode);
    test_resize(3, 2, 14, 14, 28, 28, mode);
    test_resize(1, 3, 1, 1, 5, 5, mode);
    test_resize(1, 3, 5, 5, 1, 1, mode);
    test_resize(2, 1, 3, 8, 7, 2, mode);
    test_resize(1, 2, 9, 9, 9, 9, mode);
    test_resize(3, 4, 28, 28, 56, 56, mode); /* big enough to run on all threads */
  }

  test_resize_adjoint(1, 1, 7, 7, 112, 112, 0);
  test_resize_adjoint(3, 2, 7, 7, 112, 112, 1);
  test_resize_adjoint(3, 4, 14, 14, 28, 28, 0);
  test_resize_adjoint(1, 1, 1, 1, 1, 1, 0);
  test_resize_adjoint(2, 1, 1, 1, 5, 5, 0);
  test_resize_adjoint(1, 3, 3, 5, 9, 11, 1);
  test_resize_adjoint(1, 1, 28, 28, 28, 28, 0);
  test_adjoint_weight_map(7, 112);
  test_adjoint_weight_map(14, 56);
  test_adjoint_weight_map(28, 28);

  test_cross_moment(1, 1, 1, 1, 0, 0);
  test_cross_moment(13, 33, 3, 49, 0, 0);
  test_cross_moment(25, 70, 1, 300, 1e4, 1);
  test_cross_moment(40, 17, 3, 196, 1e4, 1);
  test_cross_moment(100, 64, 2, 7, 0, 1);
  test_cross_moment(5, 130, 3, 1, 1, 1);
  test_cross_moment(131, 97, 1, 520, 0, 0);
  test_cross_moment(5, 600, 3, 520, 0, 1); /* few rows: threads split the columns */

  test_surgery(1, 7, 14, CAPXAI_RESIZE_BILINEAR);
  test_surgery(3, 112, 7, CAPXAI_RESIZE_BICUBIC);
  test_surgery(3, 14, 14, CAPXAI_RESIZE_BILINEAR);
  test_surgery(1, 1, 3, CAPXAI_RESIZE_BICUBIC);
  test_surgery(4, 28, 56, CAPXAI_RESIZE_BICUBIC);

  test_validation();

  printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
  return failures ? 1 : 0;
}
