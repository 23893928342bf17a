package io.capxai.selection;

import java.util.Arrays;

/**
 * Exact rectangular linear assignment: give each of {@code workers} a distinct job (workers <=
 * jobs) so that the total score is <b>maximal</b>.
 *
 * <p>Shortest augmenting paths with dual potentials (Jonker-Volgenant style, in the rectangular
 * form of D. F. Crouse, "On implementing 2D rectangular assignment algorithms", IEEE TAES 2016,
 * the algorithm behind SciPy's {@code linear_sum_assignment}). One Dijkstra search per worker,
 * each O(jobs) per step; when most workers' favourite jobs differ (the usual case with many more
 * standalone channels than CLIP channels) a search ends after a step or two.
 */
public final class LinearAssignment {
    private LinearAssignment() {}

    /**
     * @param score row-major {@code workers x jobs} scores (finite)
     * @return for every worker the index of its job
     */
    public static int[] maximise(float[] score, int workers, int jobs) {
        if (workers < 0 || jobs < workers) {
            throw new IllegalArgumentException("need 0 <= workers <= jobs, got " + workers + " workers and " + jobs + " jobs");
        }
        if ((long) workers * jobs != score.length) {
            throw new IllegalArgumentException("score array has " + score.length + " values, expected "
                    + workers + " x " + jobs);
        }
        for (int i = 0; i < score.length; i++) {
            if (!Float.isFinite(score[i])) {
                throw new IllegalArgumentException("score of worker " + i / jobs + ", job " + i % jobs + " is " + score[i]);
            }
        }
        return new Solver(score, workers, jobs).solve();
    }

    /** State of one solve; costs are {@code -score} so that the search minimises. */
    private static final class Solver {
        private final float[] score;
        private final int workers;
        private final int jobs;
        private final double[] u;          // worker potentials
        private final double[] v;          // job potentials
        private final double[] pathCost;   // shortest reduced path cost to each job
        private final int[] pathWorker;    // predecessor worker of each job on the shortest path
        private final int[] jobOfWorker;
        private final int[] workerOfJob;
        private final boolean[] visitedWorker;
        private final boolean[] visitedJob;
        private final int[] remaining;     // jobs not yet reached by the current search

        Solver(float[] score, int workers, int jobs) {
            this.score = score;
            this.workers = workers;
            this.jobs = jobs;
            u = new double[workers];
            v = new double[jobs];
            pathCost = new double[jobs];
            pathWorker = new int[jobs];
            jobOfWorker = new int[workers];
            workerOfJob = new int[jobs];
            visitedWorker = new boolean[workers];
            visitedJob = new boolean[jobs];
            remaining = new int[jobs];
            Arrays.fill(jobOfWorker, -1);
            Arrays.fill(workerOfJob, -1);
        }

        int[] solve() {
            for (int worker = 0; worker < workers; worker++) {
                double[] minCost = new double[1];
                int sink = shortestAugmentingPath(worker, minCost);
                updatePotentials(worker, minCost[0]);
                augment(worker, sink);
            }
            return jobOfWorker.clone();
        }

        /** Dijkstra on reduced costs from {@code start} to the nearest free job; returns that job. */
        private int shortestAugmentingPath(int start, double[] minCostOut) {
            Arrays.fill(visitedWorker, false);
            Arrays.fill(visitedJob, false);
            Arrays.fill(pathCost, Double.POSITIVE_INFINITY);
            int left = jobs;
            for (int k = 0; k < jobs; k++) {
                remaining[k] = jobs - 1 - k;
            }
            double minCost = 0;
            int worker = start;
            while (true) {
                visitedWorker[worker] = true;
                int base = worker * jobs;
                double uw = u[worker];
                int best = -1;
                double lowest = Double.POSITIVE_INFINITY;
                for (int k = 0; k < left; k++) {
                    int job = remaining[k];
                    double r = minCost - score[base + job] - uw - v[job];
                    if (r < pathCost[job]) {
                        pathWorker[job] = worker;
                        pathCost[job] = r;
                    }
                    double c = pathCost[job];
                    if (c < lowest || (c == lowest && workerOfJob[job] == -1)) {
                        lowest = c;
                        best = k;
                    }
                }
                minCost = lowest;
                int job = remaining[best];
                visitedJob[job] = true;
                remaining[best] = remaining[--left];
                if (workerOfJob[job] == -1) {
                    minCostOut[0] = minCost;
                    return job;
                }
                worker = workerOfJob[job];
            }
        }

        private void updatePotentials(int start, double minCost) {
            u[start] += minCost;
            for (int w = 0; w < workers; w++) {
                if (visitedWorker[w] && w != start) {
                    u[w] += minCost - pathCost[jobOfWorker[w]];
                }
            }
            for (int j = 0; j < jobs; j++) {
                if (visitedJob[j]) {
                    v[j] -= minCost - pathCost[j];
                }
            }
        }

        /** Flips the assignment along the path that ends at {@code sink}. */
        private void augment(int start, int sink) {
            int job = sink;
            while (true) {
                int worker = pathWorker[job];
                workerOfJob[job] = worker;
                int previous = jobOfWorker[worker];
                jobOfWorker[worker] = job;
                job = previous;
                if (worker == start) {
                    return;
                }
            }
        }
    }
}
