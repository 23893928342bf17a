package io.capxai.spark;

import io.capxai.audit.Audit;
import io.capxai.audit.AuditSpec;
import io.capxai.audit.EvaluationRows;
import io.capxai.matching.ChannelStats;
import io.capxai.matching.CrossMoments;
import io.capxai.matching.ImageShard;
import io.capxai.matching.MatchPartial;
import io.capxai.probing.Verdict;
import io.capxai.progress.ProgressListener;
import io.capxai.report.TapPairMeans;
import io.capxai.selection.Selection;
import io.capxai.selection.SurgeryPlan;
import io.capxai.tensors.Device;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The audit on Apache Spark. Every stage runs where the images are:
 * <ol>
 *   <li>statistics: each partition (a contiguous range of the statistics split) runs both models
 *       and the native accumulation, and emits its tap moments and its cross-moments cut into row
 *       blocks, keyed by tap pair and block; {@code reduceByKey} merges them (Chan's formula, re-shifted
 *       sums), so no executor or the driver ever holds the whole cross-moment matrix;</li>
 *   <li>selection: the driver gets the merged moments (small) and broadcasts the statistics; each
 *       merged block becomes scores on its executor and proposes its best rows per CLIP column; the
 *       driver keeps the best proposals (the plan is per column, small);</li>
 *   <li>evaluation: the plan is broadcast, each partition of the evaluation split runs surgery and the
 *       caption probe, and the driver collects the per-image similarity rows for the verdict.</li>
 * </ol>
 * Executors build the audit once per JVM (models from the files shipped with {@code addFile}) and
 * run one task at a time on it: libtorch and the kernels already use every core of the executor (or its GPU).
 */
public final class SparkAudit {
    /** Rows per cross-moment block: 256 rows of a 2,048-channel CLIP tap are 4 MiB of float64. */
    public static final int DEFAULT_BLOCK_ROWS = 256;

    private static final Map<AuditSpec, Audit> AUDITS = new ConcurrentHashMap<>();

    private SparkAudit() {}

    /**
     * What the job found. The score matrix itself is never gathered: {@code tapPairMeans} is its
     * per-tap-pair summary, computed from the blocks.
     *
     * @param shuffleBytes bytes written to Spark's shuffle by all tasks (the reduction's traffic)
     * @param failedTasks  task attempts that failed and were retried
     */
    public record Result(Audit audit, String master, int partitions, ChannelStats standaloneStats, ChannelStats clipStats,
                         SurgeryPlan plan, TapPairMeans tapPairMeans, EvaluationRows rows, List<Verdict> verdicts,
                         long shuffleBytes, int failedTasks) {}

    /** Runs the audit on a new Spark context ({@code master} empty: the one spark-submit set) and stops it. */
    public static Result run(String master, AuditSpec spec, int partitions, ProgressListener progress) {
        SparkConf conf = new SparkConf().setAppName("capxai audit");
        if (!master.isEmpty()) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("--spark without MASTER needs spark-submit (or -Dspark.master=...)");
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            return run(sc, spec, partitions, DEFAULT_BLOCK_ROWS, progress);
        }
    }

    /** Runs the audit on {@code sc}; {@code partitions} 0 means Spark's default parallelism. */
    public static Result run(JavaSparkContext sc, AuditSpec spec, int partitions, int blockRows, ProgressListener progress) {
        return run(sc, spec, partitions, blockRows, progress, -1);
    }

    /** As above; the first attempt of statistics task {@code failPartition} fails on purpose (tests of Spark's retry). */
    static Result run(JavaSparkContext sc, AuditSpec spec, int partitions, int blockRows, ProgressListener progress, int failPartition) {
        if (!spec.engine().equalsIgnoreCase("fused")) {
            throw new IllegalArgumentException("--spark runs the fused engine (the reference engine holds every image at once)");
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("block rows must be positive, got " + blockRows);
        }
        Selection rule = Selection.parse(spec.selection());
        int k = ColumnCandidates.candidates(rule);
        Metrics metrics = new Metrics();
        sc.sc().addSparkListener(metrics);
        List<String> shipped = new ArrayList<>(List.of(spec.standalone(), spec.clip()));
        if (spec.concepts() != null) {
            shipped.add(spec.concepts());
        }
        shipped.forEach(sc::addFile);

        Audit driver = audit(spec, progress);
        int p = Math.max(1, Math.min(partitions > 0 ? partitions : sc.defaultParallelism(), driver.statisticsSplit().size()));
        progress.started("statistics on Spark", 1);
        JavaPairRDD<String, Sums> reduced = sc.parallelize(IntStream.range(0, p).boxed().toList(), p)
                .flatMapToPair(part -> statistics(spec, part, p, blockRows, failPartition))
                .reduceByKey(Sums::merge, p)
                .persist(StorageLevel.MEMORY_AND_DISK());
        Sums.Taps taps = (Sums.Taps) reduced.lookup(Sums.MOMENTS).getFirst();
        if (taps.shards().size() != p) {
            throw new IllegalStateException("the statistics cover " + taps.shards().size() + " of " + p + " partitions");
        }
        ChannelStats standaloneStats = ChannelStats.of(taps.rowTaps(), taps.rows(), taps.images());
        ChannelStats clipStats = ChannelStats.of(taps.colTaps(), taps.cols(), taps.images());
        progress.advanced("statistics on Spark", 1, 1);
        progress.finished("statistics on Spark");

        Broadcast<ChannelStats[]> stats = sc.broadcast(new ChannelStats[] {standaloneStats, clipStats});
        List<BlockResult> blocks = reduced.filter(e -> !e._1().equals(Sums.MOMENTS))
                .map(e -> BlockResult.of(((Sums.Block) e._2()).sums(), stats.value()[0], stats.value()[1], k))
                .collect();
        reduced.unpersist(false);
        SurgeryPlan plan = ColumnCandidates.plan(rule, standaloneStats, clipStats,
                blocks.stream().map(BlockResult::candidates).toList());
        TapPairMeans means = BlockResult.means(blocks, standaloneStats, clipStats);

        Broadcast<PlanColumns> planB = sc.broadcast(new PlanColumns(plan.rule(), plan.sources(), plan.scores()));
        int q = Math.max(1, Math.min(p, driver.evaluationSplit().size()));
        progress.started("evaluation on Spark", 1);
        List<EvaluationRows> parts = sc.parallelize(IntStream.range(0, q).boxed().toList(), q)
                .map(part -> {
                    Audit audit = audit(spec, ProgressListener.NONE);
                    synchronized (audit) {
                        ChannelStats[] st = stats.value();
                        return audit.evaluate(planB.value().plan(st[0], st[1]), st[0], st[1], new ImageShard(part, q, true));
                    }
                })
                .collect();
        progress.advanced("evaluation on Spark", 1, 1);
        progress.finished("evaluation on Spark");
        EvaluationRows rows = EvaluationRows.concat(parts);
        awaitEvents(sc, metrics);
        return new Result(driver, sc.master(), p, standaloneStats, clipStats, plan, means, rows, driver.verdicts(rows),
                metrics.shuffleBytes.get(), metrics.failedTasks.get());
    }

    /** One statistics task: the partial sums of its images, as (key, sums) pairs. */
    private static Iterator<Tuple2<String, Sums>> statistics(AuditSpec spec, int part, int partitions, int blockRows, int failPartition) {
        TaskContext task = TaskContext.get();
        if (part == failPartition && task != null && task.attemptNumber() == 0) {
            throw new IllegalStateException("statistics task " + part + " fails its first attempt on purpose");
        }
        Audit audit = audit(spec, ProgressListener.NONE);
        MatchPartial p;
        synchronized (audit) { // one task at a time per executor: the models and kernels already use all its cores
            p = audit.partial(new ImageShard(part, partitions, true));
        }
        // Blocks are cut as Spark consumes them: a partition never holds a second copy of its cross-moments.
        Stream<Tuple2<String, Sums>> moments = Stream.of(new Tuple2<>(Sums.MOMENTS,
                new Sums.Taps(p.rows(), p.cols(), p.rowMoments(), p.colMoments(), p.images(), p.shards())));
        Stream<Tuple2<String, Sums>> blocks = p.pairs().stream().flatMap(pair -> IntStream.iterate(0, from -> from < pair.rows(), from -> from + blockRows)
                .mapToObj(from -> {
                    CrossMoments block = pair.rowRange(from, Math.min(pair.rows(), from + blockRows));
                    return new Tuple2<>(block.key(), new Sums.Block(block));
                }));
        return Stream.concat(moments, blocks).iterator();
    }

    /** The audit of {@code spec} in this JVM, built once (models loaded once per executor, from the shipped files). */
    private static Audit audit(AuditSpec spec, ProgressListener progress) {
        // The executor's own device: its GPU when libtorch has CUDA and one is visible, else its CPU
        return AUDITS.computeIfAbsent(spec, s -> located(s).build(List.of(Device.AUTO), progress));
    }

    /** The spec with its files where Spark copied them on this executor (the original paths when not shipped). */
    private static AuditSpec located(AuditSpec spec) {
        return spec.withFiles(file -> {
            Path copy = Path.of(SparkFiles.get(Path.of(file).getFileName().toString()));
            return Files.isRegularFile(copy) ? copy.toString() : file;
        });
    }

    /** The per-column part of a surgery plan, which is what the executors need. */
    private record PlanColumns(String rule, int[][] sources, float[][] scores) implements Serializable {
        SurgeryPlan plan(ChannelStats standalone, ChannelStats clip) {
            return new SurgeryPlan(rule, standalone.taps(), clip.taps(), sources, scores);
        }
    }

    /** Task-end events reach listeners asynchronously: wait for them (30 s at most) before reading the metrics. */
    private static void awaitEvents(JavaSparkContext sc, Metrics metrics) {
        try {
            sc.sc().listenerBus().waitUntilEmpty(30_000);
        } catch (java.util.concurrent.TimeoutException e) {
            // the figures then count the events seen so far; the audit's result does not depend on them
        } finally {
            sc.sc().removeSparkListener(metrics);
        }
    }

    /** Shuffle traffic and failed attempts, from Spark's own task metrics. */
    private static final class Metrics extends SparkListener {
        final AtomicLong shuffleBytes = new AtomicLong();
        final AtomicInteger failedTasks = new AtomicInteger();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskMetrics() != null) {
                shuffleBytes.addAndGet(end.taskMetrics().shuffleWriteMetrics().bytesWritten());
            }
            if (!end.taskInfo().successful()) {
                failedTasks.incrementAndGet();
            }
        }
    }
}
