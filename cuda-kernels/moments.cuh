// Chan et al.'s merge of two (count, mean, M2) summaries, shared by moments_update and
// moments_merge.
#pragma once

// Merges (count_b, mean_b, m2_b) into (*count, *mean, *m2) as if both data sets had been
// seen in one pass. The CPU library's formula, operation for operation, so that both
// libraries give the same bits (an empty set a, all zeros, gives b back).
__host__ __device__ inline void capxai_chan_merge(double *count, double *mean, double *m2,
                                                  double count_b, double mean_b, double m2_b) {
  if (count_b == 0) return;
  const double total = *count + count_b;
  const double delta = mean_b - *mean;
  *mean += delta * (count_b / total);
  *m2 += m2_b + delta * delta * (*count * (count_b / total));
  *count = total;
}

// Merges a batch given as shifted sums (sum of x - shift and of (x - shift)^2 over `values`
// values) into (*count, *mean, *m2).
__host__ __device__ inline void capxai_merge_shifted_sums(double *count, double *mean, double *m2, double values,
                                                          double shift, double sum, double sum_sq) {
  const double batch_m2 = sum_sq - sum * (sum / values);
  capxai_chan_merge(count, mean, m2, values, shift + sum / values,
                    batch_m2 > 0 ? batch_m2 : 0);  // rounding can push a zero variance below 0
}
