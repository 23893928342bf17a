package io.capxai.selection;

import io.capxai.matching.ScoreMatrix;

/**
 * One-to-one selection: every standalone row feeds at most one CLIP column and the total score
 * of the chosen pairs is maximal (a rectangular linear assignment).
 *
 * <p><b>Exact dense solve</b> ({@code candidates == 0}, and always for small matrices): shortest
 * augmenting paths over the whole matrix ({@link LinearAssignment}). On a random 3,840 x 22,720
 * matrix this takes about a second, but on matrices where a few standalone channels are every
 * column's favourite (as in real audits: ~1,400 distinct argmax rows) the paths get long and it
 * took 10 minutes here.
 *
 * <p><b>Candidate-restricted solve</b> ({@code candidates = K}, default 64): each CLIP column may
 * only take one of its K best rows; the sparse problem is solved exactly
 * ({@link SparseAssignment}). Then:
 * <ul>
 *   <li>if some columns cannot be matched within their candidates (their candidates are all
 *       taken by other columns), the matched pairs are kept and the open columns are solved
 *       again, in rounds, each restricted to its K best rows <em>still free</em>, until every
 *       column has a row. The plan stays feasible; with more than one round it is not proven
 *       optimal (the rule says so);</li>
 *   <li>otherwise the dual potentials of the sparse solve are checked against <em>every</em>
 *       entry of the full matrix in one streaming pass; if none is violated the plan is
 *       <b>proven optimal</b> for the full matrix.</li>
 * </ul>
 * The plan's rule says which happened, e.g. {@code one-to-one(top-64, proven optimal)}.
 * Measured on 3,840 x 22,720 (2 shared cores): random scores 1.1 s, proven optimal (dense exact
 * 2.3 s); a matrix with hub rows (130 distinct argmax rows) 5 s in 6 rounds, total 687.38 vs
 * the exact 687.64 (0.04 % lower; the dense exact solve needed 10 minutes there).
 *
 * <p>With fewer rows than columns only {@code rows} columns are replaced (dense exact solve);
 * the others keep CLIP's own map.
 */
public record OneToOne(int candidates) implements Selection {
    /** Below this many matrix entries the dense exact solve is always used. */
    static final long DENSE_LIMIT = 4_000_000L;
    private static final double DUAL_TOLERANCE = 1e-5;

    public OneToOne {
        if (candidates < 0) {
            throw new IllegalArgumentException("one-to-one candidates must be >= 0 (0 = dense exact), got " + candidates);
        }
    }

    @Override
    public SurgeryPlan select(ScoreMatrix matrix) {
        int rows = matrix.rowCount();
        int cols = matrix.colCount();
        boolean dense = candidates == 0 || candidates >= rows || cols > rows || (long) rows * cols <= DENSE_LIMIT;
        return dense ? denseExact(matrix) : restricted(matrix);
    }

    @Override
    public String describe() {
        return candidates == 0 ? "one-to-one" : "one-to-one(top-" + candidates + ")";
    }

    private SurgeryPlan denseExact(ScoreMatrix matrix) {
        int rows = matrix.rowCount();
        int cols = matrix.colCount();
        int[][] sources = new int[cols][0];
        float[][] scores = new float[cols][0];
        if (cols <= rows) {
            // Workers are the CLIP columns: solve on the transposed matrix (cols x rows).
            int[] rowOfCol = LinearAssignment.maximise(transpose(matrix.values(), rows, cols), cols, rows);
            for (int j = 0; j < cols; j++) {
                sources[j] = new int[] {rowOfCol[j]};
                scores[j] = new float[] {matrix.score(rowOfCol[j], j)};
            }
        } else {
            int[] colOfRow = LinearAssignment.maximise(matrix.values(), rows, cols);
            for (int i = 0; i < rows; i++) {
                int j = colOfRow[i];
                sources[j] = new int[] {i};
                scores[j] = new float[] {matrix.score(i, j)};
            }
        }
        return new SurgeryPlan("one-to-one(exact)", matrix.rows(), matrix.cols(), sources, scores);
    }

    SurgeryPlan restricted(ScoreMatrix matrix) {
        int rows = matrix.rowCount();
        int cols = matrix.colCount();
        int[] rowOfCol = new int[cols];
        java.util.Arrays.fill(rowOfCol, -1);
        boolean[] rowUsed = new boolean[rows];
        int[] open = java.util.stream.IntStream.range(0, cols).toArray();
        Round first = null;
        int rounds = 0;
        while (open.length > 0) {
            Round round = solveRound(matrix, open, rowUsed);
            rounds++;
            if (first == null) {
                first = round;
            }
            for (int a = 0; a < open.length; a++) {
                int row = round.rowOf[a];
                if (row >= 0) {
                    rowOfCol[open[a]] = row;
                    rowUsed[row] = true;
                }
            }
            open = java.util.Arrays.stream(open).filter(j -> rowOfCol[j] < 0).toArray();
        }
        String outcome;
        if (rounds == 1) {
            outcome = dualsHoldEverywhere(matrix, first) ? "proven optimal" : "optimal within candidates only";
        } else {
            outcome = (cols - first.matched) + " columns matched in " + (rounds - 1)
                    + " more rounds on the free rows, optimality not proven";
        }
        int[][] sources = new int[cols][];
        float[][] scores = new float[cols][];
        for (int j = 0; j < cols; j++) {
            sources[j] = new int[] {rowOfCol[j]};
            scores[j] = new float[] {matrix.score(rowOfCol[j], j)};
        }
        return new SurgeryPlan("one-to-one(top-" + candidates + ", " + outcome + ")", matrix.rows(), matrix.cols(), sources, scores);
    }

    /** One candidate-restricted solve: {@code rowOf[a]} for column {@code open[a]}, or -1; plus the duals. */
    private record Round(int[] rowOf, int matched, SparseAssignment.Result duals, int[] jobOfRow) {}

    /**
     * Assigns the {@code open} columns among the rows not yet used, each column restricted to its
     * best {@code candidates} free rows. Columns whose candidates all go to others stay open
     * (the sparse solve maximises how many are matched first, then the total score).
     */
    private Round solveRound(ScoreMatrix matrix, int[] open, boolean[] rowUsed) {
        int rows = matrix.rowCount();
        int free = 0;
        for (boolean used : rowUsed) {
            free += used ? 0 : 1;
        }
        ColumnScan.Result top = ColumnScan.topK(matrix, Math.min(candidates, free), open, rowUsed);
        // Compact the union of candidate rows into job indices.
        int[] jobOfRow = new int[rows];
        java.util.Arrays.fill(jobOfRow, -1);
        int jobs = 0;
        int[][] candidateJobs = new int[open.length][];
        for (int a = 0; a < open.length; a++) {
            int[] r = top.rows()[a];
            candidateJobs[a] = new int[r.length];
            for (int k = 0; k < r.length; k++) {
                if (jobOfRow[r[k]] < 0) {
                    jobOfRow[r[k]] = jobs++;
                }
                candidateJobs[a][k] = jobOfRow[r[k]];
            }
        }
        int[] rowOfJob = new int[jobs];
        for (int i = 0; i < rows; i++) {
            if (jobOfRow[i] >= 0) {
                rowOfJob[jobOfRow[i]] = i;
            }
        }
        SparseAssignment.Result solved = new SparseAssignment(jobs, candidateJobs, top.scores()).solve();
        int[] rowOf = new int[open.length];
        int matched = 0;
        for (int a = 0; a < open.length; a++) {
            int job = solved.jobOfWorker()[a];
            rowOf[a] = job < 0 ? -1 : rowOfJob[job];
            matched += job < 0 ? 0 : 1;
        }
        return new Round(rowOf, matched, solved, jobOfRow);
    }

    /**
     * LP duality: with cost = -score, the sparse solution is optimal for the full matrix when
     * {@code -score(i, j) - u[j] - v[i] >= 0} for every entry (v = 0 for rows that are nobody's
     * candidate, which are all unassigned).
     */
    private static boolean dualsHoldEverywhere(ScoreMatrix matrix, Round round) {
        SparseAssignment.Result solved = round.duals();
        int[] jobOfRow = round.jobOfRow();
        float[] values = matrix.values();
        int cols = matrix.colCount();
        double[] u = solved.u();
        for (int i = 0; i < matrix.rowCount(); i++) {
            double vi = jobOfRow[i] >= 0 ? solved.v()[jobOfRow[i]] : 0.0;
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                if (-values[base + j] - u[j] - vi < -DUAL_TOLERANCE) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Cache-blocked transpose of a row-major {@code rows x cols} array. */
    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        final int block = 64;
        for (int i0 = 0; i0 < rows; i0 += block) {
            int i1 = Math.min(rows, i0 + block);
            for (int j0 = 0; j0 < cols; j0 += block) {
                int j1 = Math.min(cols, j0 + block);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        t[j * rows + i] = a[i * cols + j];
                    }
                }
            }
        }
        return t;
    }
}
