/* Run-time choice of the instruction set: the library is compiled for baseline x86-64,
 * and hot loops have AVX2/AVX-512 variants built with per-function target attributes. */
#ifndef CAPXAI_SIMD_H
#define CAPXAI_SIMD_H

#include <stdlib.h>
#include <string.h>

typedef enum { CAPXAI_ISA_SCALAR = 0, CAPXAI_ISA_AVX2 = 1, CAPXAI_ISA_AVX512 = 2 } capxai_isa;

/* The best instruction set this CPU runs, lowered by the environment variable
 * CAPXAI_ISA=scalar|avx2|avx512 (for tests and benchmarks of the fallbacks). */
static inline capxai_isa capxai_best_isa(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  capxai_isa isa = CAPXAI_ISA_SCALAR;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) isa = CAPXAI_ISA_AVX2;
  if (isa == CAPXAI_ISA_AVX2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq"))
    isa = CAPXAI_ISA_AVX512;
  const char *want = getenv("CAPXAI_ISA");
  if (want && !strcmp(want, "scalar")) isa = CAPXAI_ISA_SCALAR;
  if (want && !strcmp(want, "avx2") && isa > CAPXAI_ISA_AVX2) isa = CAPXAI_ISA_AVX2;
  return isa;
#else
  return CAPXAI_ISA_SCALAR;
#endif
}

#endif
