/* cross_moment: X[i, j] += sum over images t and positions p of
 *               (a[t, i, p] - shift_a[i]) * (b[t, j, p] - shift_b[j])      (X of docs/method.md#matching-in-one-pass)
 *
 * A GEMM X += A B^T with K = n * hw; the K index runs over the positions of image 0,
 * then image 1, ... It is organised like a GotoBLAS/BLIS SGEMM:
 *
 *   for each K block of at most KC = 256 positions        (float32 sums span one block)
 *     pack this thread's rows of A, shifted, into MR-row panels   [MR][KC]
 *     for each block of NC columns of X
 *       pack B's columns, shifted, into NR-column panels          [KC][NR], in L2
 *       for each MR x NR tile of X: the micro-kernel sums the block in float32
 *         registers and adds the tile into float64 X
 *
 * Threads split X into disjoint stripes of rows (or columns when rows are few), so
 * every X element has one writer. The micro-kernel is picked at run time: AVX-512
 * (12 x 32), AVX2 (6 x 16) or portable C (4 x 4). */
#include "reference.h"
#include "simd.h"

#include <immintrin.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define KC 256 /* the header's float32 block length */
#define NC 512 /* a packed B block of KC x NC floats is 512 KB: stays in a core's L2 */
#define PREFETCH_AHEAD 16 /* rows: a row's few cache lines per K block are too short a stream
                            for the hardware prefetcher, so packing asks for them early */

/* Adds the float32 sum over kc positions of the packed panels ap [mr][KC] and
 * bp [kc][nr] into the tile of X at x (row stride ldx); only rows < rows and
 * columns < cols are real (the panels are zero-padded). */
typedef void (*tile_kernel)(int64_t kc, const float *ap, const float *bp, double *x, int64_t ldx,
                            int rows, int cols);

typedef struct {
  int mr, nr;
  tile_kernel kernel;
} kernel_shape;

/* One operand: m[t, c, p] of [n, channels, hw], minus shift[c] (shift may be NULL). */
typedef struct {
  const float *data, *shift;
  int64_t channels, hw;
} operand;

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t round_up(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

/* Positions k .. k + len - 1 of the K index that lie in one image: image t, p .. p + len - 1. */
typedef struct {
  int64_t t, p, len;
} run;

static run run_at(const operand *op, int64_t k, int64_t max_len) {
  const run u = {k / op->hw, k % op->hw, min64(op->hw - k % op->hw, max_len)};
  return u;
}

/* A side, the broadcast operand: channels [c0, c0 + count) over positions [k0, k0 + kc)
 * into panels of `width` channels, each [width][KC] row-major (one shifted row per
 * channel: a plain vectorised copy, no transpose). Rows past count are zero. */
static void pack_rows(const operand *op, int64_t c0, int64_t count, int64_t k0, int64_t kc, int width,
                      float *dst) {
  for (int64_t r = 0; r < round_up(count, width); r++) {
    float *row = dst + (r / width) * width * KC + (r % width) * KC;
    if (r >= count) {
      memset(row, 0, (size_t)kc * sizeof *row);
      continue;
    }
    const float shift = op->shift ? op->shift[c0 + r] : 0.f;
    for (int64_t kk = 0; kk < kc;) {
      const run u = run_at(op, k0 + kk, kc - kk);
      const float *src = op->data + (u.t * op->channels + c0 + r) * op->hw + u.p;
      if (r + PREFETCH_AHEAD < count)
        for (int64_t l = 0; l < u.len; l += 16) __builtin_prefetch(src + PREFETCH_AHEAD * op->hw + l);
      for (int64_t l = 0; l < u.len; l++) row[kk + l] = src[l] - shift;
      kk += u.len;
    }
  }
}

/* B side, the vector operand: channels [c0, c0 + count) over positions [k0, k0 + kc)
 * into panels of `width` channels, each [kc][width] (a transpose), zero-padded. Done
 * in strips of 16 positions so the strided writes stay within a few cache lines. */
static void pack_cols(const operand *op, int64_t c0, int64_t count, int64_t k0, int64_t kc, int width,
                      float *dst) {
  for (int64_t first = 0; first < count; first += width) {
    float *panel = dst + first / width * kc * width;
    const int64_t valid = min64(width, count - first);
    for (int64_t kk = 0; kk < kc;) {
      const run u = run_at(op, k0 + kk, kc - kk);
      for (int64_t l0 = 0; l0 < u.len; l0 += 16) {
        const int64_t strip = min64(16, u.len - l0);
        for (int64_t r = 0; r < width; r++) {
          float *out = panel + (kk + l0) * width + r;
          if (r >= valid) {
            for (int64_t l = 0; l < strip; l++) out[l * width] = 0;
            continue;
          }
          const float *src = op->data + (u.t * op->channels + c0 + first + r) * op->hw + u.p + l0;
          const float shift = op->shift ? op->shift[c0 + first + r] : 0.f;
          for (int64_t l = 0; l < strip; l++) out[l * width] = src[l] - shift;
        }
      }
      kk += u.len;
    }
  }
}

/* ---- micro-kernels ----------------------------------------------------------------- */

static void add_partial_tile(const float *tile, int nr, double *x, int64_t ldx, int rows, int cols) {
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < cols; j++) x[r * ldx + j] += tile[r * nr + j];
}

static void kernel_scalar_4x4(int64_t kc, const float *ap, const float *bp, double *x, int64_t ldx,
                              int rows, int cols) {
  float c[4][4] = {{0}};
  for (int64_t k = 0; k < kc; k++)
    for (int r = 0; r < 4; r++)
      for (int j = 0; j < 4; j++) c[r][j] += ap[r * KC + k] * bp[4 * k + j];
  add_partial_tile(&c[0][0], 4, x, ldx, rows, cols);
}

__attribute__((target("avx2,fma")))
static void kernel_avx2_6x16(int64_t kc, const float *ap, const float *bp, double *x, int64_t ldx,
                             int rows, int cols) {
  __m256 c[6][2];
#pragma GCC unroll 6
  for (int r = 0; r < 6; r++) c[r][0] = c[r][1] = _mm256_setzero_ps();
  for (int64_t k = 0; k < kc; k++) {
    const __m256 b0 = _mm256_loadu_ps(bp + 16 * k), b1 = _mm256_loadu_ps(bp + 16 * k + 8);
#pragma GCC unroll 6
    for (int r = 0; r < 6; r++) {
      const __m256 av = _mm256_broadcast_ss(ap + r * KC + k);
      c[r][0] = _mm256_fmadd_ps(av, b0, c[r][0]);
      c[r][1] = _mm256_fmadd_ps(av, b1, c[r][1]);
    }
  }
  if (rows == 6 && cols == 16) {
#pragma GCC unroll 6
    for (int r = 0; r < 6; r++) {
      double *row = x + r * ldx;
      for (int h = 0; h < 2; h++) {
        const __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(c[r][h]));
        const __m256d hi = _mm256_cvtps_pd(_mm256_extractf128_ps(c[r][h], 1));
        _mm256_storeu_pd(row + 8 * h, _mm256_add_pd(_mm256_loadu_pd(row + 8 * h), lo));
        _mm256_storeu_pd(row + 8 * h + 4, _mm256_add_pd(_mm256_loadu_pd(row + 8 * h + 4), hi));
      }
    }
  } else {
    float tile[6 * 16];
    for (int r = 0; r < 6; r++) {
      _mm256_storeu_ps(tile + 16 * r, c[r][0]);
      _mm256_storeu_ps(tile + 16 * r + 8, c[r][1]);
    }
    add_partial_tile(tile, 16, x, ldx, rows, cols);
  }
}

__attribute__((target("avx512f,avx512dq,fma")))
static void kernel_avx512_12x32(int64_t kc, const float *ap, const float *bp, double *x, int64_t ldx,
                                int rows, int cols) {
  /* X's tile is needed only after the K loop: fetch it meanwhile. */
  for (int r = 0; r < rows; r++)
    for (int l = 0; l < 4; l++) _mm_prefetch((const char *)(x + r * ldx + 8 * l), _MM_HINT_T0);
  __m512 c[12][2];
#pragma GCC unroll 12
  for (int r = 0; r < 12; r++) c[r][0] = c[r][1] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kc; k++) {
    const __m512 b0 = _mm512_loadu_ps(bp + 32 * k), b1 = _mm512_loadu_ps(bp + 32 * k + 16);
#pragma GCC unroll 12
    for (int r = 0; r < 12; r++) {
      const __m512 av = _mm512_set1_ps(ap[r * KC + k]);
      c[r][0] = _mm512_fmadd_ps(av, b0, c[r][0]);
      c[r][1] = _mm512_fmadd_ps(av, b1, c[r][1]);
    }
  }
  if (rows == 12 && cols == 32) {
#pragma GCC unroll 12
    for (int r = 0; r < 12; r++) {
      double *row = x + r * ldx;
      for (int h = 0; h < 2; h++) {
        const __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(c[r][h]));
        const __m512d hi = _mm512_cvtps_pd(_mm512_extractf32x8_ps(c[r][h], 1));
        _mm512_storeu_pd(row + 16 * h, _mm512_add_pd(_mm512_loadu_pd(row + 16 * h), lo));
        _mm512_storeu_pd(row + 16 * h + 8, _mm512_add_pd(_mm512_loadu_pd(row + 16 * h + 8), hi));
      }
    }
  } else {
    float tile[12 * 32];
    for (int r = 0; r < 12; r++) {
      _mm512_storeu_ps(tile + 32 * r, c[r][0]);
      _mm512_storeu_ps(tile + 32 * r + 16, c[r][1]);
    }
    add_partial_tile(tile, 32, x, ldx, rows, cols);
  }
}

static kernel_shape pick_kernel(void) {
  switch (capxai_best_isa()) {
    case CAPXAI_ISA_AVX512: return (kernel_shape){12, 32, kernel_avx512_12x32};
    case CAPXAI_ISA_AVX2: return (kernel_shape){6, 16, kernel_avx2_6x16};
    default: return (kernel_shape){4, 4, kernel_scalar_4x4};
  }
}

/* ---- driver ------------------------------------------------------------------------ */

/* One thread's stripe: rows [m0, m1) x columns [n0, n1) of X, over all K positions. */
static void stripe(const kernel_shape *ks, const operand *a, const operand *b, int64_t m0, int64_t m1,
                   int64_t n0, int64_t n1, int64_t positions, double *x, int64_t ldx, float *apack,
                   float *bpack) {
  for (int64_t k0 = 0; k0 < positions; k0 += KC) {
    const int64_t kc = min64(KC, positions - k0);
    pack_rows(a, m0, m1 - m0, k0, kc, ks->mr, apack);
    for (int64_t j0 = n0; j0 < n1; j0 += NC) {
      const int64_t nc = min64(NC, n1 - j0);
      pack_cols(b, j0, nc, k0, kc, ks->nr, bpack);
      for (int64_t i = m0; i < m1; i += ks->mr)
        for (int64_t j = 0; j < nc; j += ks->nr)
          ks->kernel(kc, apack + (i - m0) * KC, bpack + j / ks->nr * kc * ks->nr,
                     x + i * ldx + j0 + j, ldx, (int)min64(ks->mr, m1 - i), (int)min64(ks->nr, nc - j));
    }
  }
}

/* Thread `id` of `threads` gets a stripe of whole MR-row panels, or of NR-column
 * panels when X has too few row panels to go round. */
static void thread_stripe(const kernel_shape *ks, int64_t ca, int64_t cb, int id, int threads,
                          int64_t *m0, int64_t *m1, int64_t *n0, int64_t *n1) {
  const int64_t row_panels = (ca + ks->mr - 1) / ks->mr, col_panels = (cb + ks->nr - 1) / ks->nr;
  *m0 = 0, *m1 = ca, *n0 = 0, *n1 = cb;
  if (row_panels >= 2 * threads || row_panels >= col_panels) {
    *m0 = min64(row_panels * id / threads * ks->mr, ca);
    *m1 = min64(row_panels * (id + 1) / threads * ks->mr, ca);
  } else {
    *n0 = min64(col_panels * id / threads * ks->nr, cb);
    *n1 = min64(col_panels * (id + 1) / threads * ks->nr, cb);
  }
}

int32_t capxai_cross_moment(const float *a, const float *shift_a, int64_t ca,
                            const float *b, const float *shift_b, int64_t cb,
                            int64_t n, int64_t hw, double *x, void *stream) {
  (void)stream;
  CAPXAI_REQUIRE_PTR(a);
  CAPXAI_REQUIRE_PTR(b);
  CAPXAI_REQUIRE_PTR(x);
  CAPXAI_REQUIRE_POSITIVE(ca);
  CAPXAI_REQUIRE_POSITIVE(cb);
  CAPXAI_REQUIRE_POSITIVE(n);
  CAPXAI_REQUIRE_POSITIVE(hw);
  CAPXAI_REQUIRE_SIZE("a", n, ca, hw, 1);
  CAPXAI_REQUIRE_SIZE("b", n, cb, hw, 1);
  CAPXAI_REQUIRE_SIZE("x", ca, cb, 1, 1);

  const kernel_shape ks = pick_kernel();
  const operand opa = {a, shift_a, ca, hw}, opb = {b, shift_b, cb, hw};
  const int64_t positions = n * hw;
  const double flops = 2.0 * (double)ca * (double)cb * (double)positions;
  int failed = 0;
#pragma omp parallel if (flops > 4e6)
  {
    int64_t m0, m1, n0, n1;
    thread_stripe(&ks, ca, cb, omp_get_thread_num(), omp_get_num_threads(), &m0, &m1, &n0, &n1);
    if (m1 > m0 && n1 > n0) {
      const size_t abytes = (size_t)(round_up(m1 - m0, ks.mr) * KC) * sizeof(float);
      const size_t bbytes = (size_t)(round_up(min64(NC, n1 - n0), ks.nr) * KC) * sizeof(float);
      float *apack = aligned_alloc(64, round_up((int64_t)abytes, 64));
      float *bpack = aligned_alloc(64, round_up((int64_t)bbytes, 64));
      if (apack && bpack)
        stripe(&ks, &opa, &opb, m0, m1, n0, n1, positions, x, cb, apack, bpack);
      else {
#pragma omp atomic write
        failed = 1;
      }
      free(apack);
      free(bpack);
    }
  }
  return failed ? CAPXAI_OUT_OF_MEMORY("the packed panels (X is incomplete)") : capxai_ok();
}

void capxai_ref_cross_moment(const float *a, const float *shift_a, int64_t ca,
                             const float *b, const float *shift_b, int64_t cb,
                             int64_t n, int64_t hw, double *x) {
  for (int64_t i = 0; i < ca; i++)
    for (int64_t j = 0; j < cb; j++) {
      double sum = 0;
      for (int64_t t = 0; t < n; t++)
        for (int64_t p = 0; p < hw; p++)
          sum += ((double)a[(t * ca + i) * hw + p] - (shift_a ? shift_a[i] : 0.0)) *
                 ((double)b[(t * cb + j) * hw + p] - (shift_b ? shift_b[j] : 0.0));
      x[i * cb + j] += sum;
    }
}
