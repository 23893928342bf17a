package io.capxai.selection;

import java.util.Arrays;

/**
 * Maximum-score assignment of workers to distinct jobs when each worker may only take one of its
 * few candidate jobs (a sparse bipartite graph). Same shortest-augmenting-path method as
 * {@link LinearAssignment}, with a binary heap for Dijkstra, so one search costs about
 * O(steps * candidates * log) instead of O(steps * jobs).
 *
 * <p>Every worker also gets a private "unmatched" fallback job whose score is so low that it is
 * only used when no assignment of the candidate jobs covers all workers; such workers come back
 * as {@code -1}. The final dual potentials are returned too: they let the caller prove that the
 * sparse optimum is also the optimum of the full matrix (see {@link OneToOne}).
 */
final class SparseAssignment {
    /** {@code jobOfWorker[w]} is a job index or -1 (unmatched); {@code u}, {@code v} the potentials (cost = -score). */
    record Result(int[] jobOfWorker, double[] u, double[] v) {}

    private final int workers;
    private final int jobs;              // real jobs; fallback job of worker w is jobs + w
    private final int[][] candidates;    // [worker][k] real job index
    private final float[][] scores;      // [worker][k]
    private final double fallbackCost;

    private final double[] u;
    private final double[] v;
    private final double[] pathCost;
    private final int[] pathWorker;
    private final boolean[] visitedJob;
    private final int[] jobOfWorker;
    private final int[] workerOfJob;
    private final int[] touchedJobs;
    private final int[] visitedWorkers;
    private double[] heapKey = new double[1024];
    private int[] heapJob = new int[1024];
    private int heapSize;

    SparseAssignment(int jobs, int[][] candidates, float[][] scores) {
        this.workers = candidates.length;
        this.jobs = jobs;
        this.candidates = candidates;
        this.scores = scores;
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float[] s : scores) {
            for (float x : s) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        double range = workers == 0 ? 1 : (double) hi - lo + 1;
        // Larger than any total score difference: an extra matched worker always wins.
        this.fallbackCost = 4.0 * (workers + 1) * range + Math.abs(lo) + Math.abs(hi);
        int all = jobs + workers;
        u = new double[workers];
        v = new double[all];
        pathCost = new double[all];
        pathWorker = new int[all];
        visitedJob = new boolean[all];
        jobOfWorker = new int[workers];
        workerOfJob = new int[all];
        touchedJobs = new int[all];
        visitedWorkers = new int[workers];
        Arrays.fill(pathCost, Double.POSITIVE_INFINITY);
        Arrays.fill(jobOfWorker, -1);
        Arrays.fill(workerOfJob, -1);
    }

    Result solve() {
        for (int start = 0; start < workers; start++) {
            augmentFrom(start);
        }
        int[] result = jobOfWorker.clone();
        for (int w = 0; w < workers; w++) {
            if (result[w] >= jobs) {
                result[w] = -1;
            }
        }
        return new Result(result, u.clone(), Arrays.copyOf(v, jobs));
    }

    private void augmentFrom(int start) {
        int touched = 0;
        int visitedCount = 0;
        heapSize = 0;
        double minCost = 0;
        int worker = start;
        int sink;
        while (true) {
            visitedWorkers[visitedCount++] = worker;
            int[] cand = candidates[worker];
            float[] sc = scores[worker];
            for (int k = 0; k <= cand.length; k++) {
                int job = k < cand.length ? cand[k] : jobs + worker;
                double cost = k < cand.length ? -sc[k] : fallbackCost;
                if (visitedJob[job]) {
                    continue;
                }
                double r = minCost + cost - u[worker] - v[job];
                if (r < pathCost[job]) {
                    if (pathCost[job] == Double.POSITIVE_INFINITY) {
                        touchedJobs[touched++] = job;
                    }
                    pathCost[job] = r;
                    pathWorker[job] = worker;
                    push(r, job);
                }
            }
            int job = popNearest();
            minCost = pathCost[job];
            visitedJob[job] = true;
            if (workerOfJob[job] == -1) {
                sink = job;
                break;
            }
            worker = workerOfJob[job];
        }
        // Potentials (as in LinearAssignment), then flip the path.
        u[start] += minCost;
        for (int k = 1; k < visitedCount; k++) {
            int w = visitedWorkers[k];
            u[w] += minCost - pathCost[jobOfWorker[w]];
        }
        for (int k = 0; k < touched; k++) {
            int j = touchedJobs[k];
            if (visitedJob[j]) {
                v[j] -= minCost - pathCost[j];
            }
        }
        int job = sink;
        while (true) {
            int w = pathWorker[job];
            workerOfJob[job] = w;
            int previous = jobOfWorker[w];
            jobOfWorker[w] = job;
            job = previous;
            if (w == start) {
                break;
            }
        }
        for (int k = 0; k < touched; k++) {
            int j = touchedJobs[k];
            pathCost[j] = Double.POSITIVE_INFINITY;
            visitedJob[j] = false;
        }
    }

    /** The unvisited job with the smallest path cost (lazy deletion of stale heap entries). */
    private int popNearest() {
        while (heapSize > 0) {
            double key = heapKey[0];
            int job = heapJob[0];
            heapSize--;
            if (heapSize > 0) {
                siftDown(heapKey[heapSize], heapJob[heapSize]);
            }
            if (!visitedJob[job] && key == pathCost[job]) {
                return job;
            }
        }
        throw new IllegalStateException("no augmenting path: the fallback jobs should make one always exist");
    }

    private void push(double key, int job) {
        if (heapSize == heapKey.length) {
            heapKey = Arrays.copyOf(heapKey, heapSize * 2);
            heapJob = Arrays.copyOf(heapJob, heapSize * 2);
        }
        int pos = heapSize++;
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (heapKey[parent] <= key) {
                break;
            }
            heapKey[pos] = heapKey[parent];
            heapJob[pos] = heapJob[parent];
            pos = parent;
        }
        heapKey[pos] = key;
        heapJob[pos] = job;
    }

    private void siftDown(double key, int job) {
        int pos = 0;
        while (true) {
            int child = 2 * pos + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && heapKey[child + 1] < heapKey[child]) {
                child++;
            }
            if (heapKey[child] >= key) {
                break;
            }
            heapKey[pos] = heapKey[child];
            heapJob[pos] = heapJob[child];
            pos = child;
        }
        heapKey[pos] = key;
        heapJob[pos] = job;
    }
}
