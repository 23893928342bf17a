package io.capxai.cli;

import io.capxai.audit.Audit;
import io.capxai.audit.AuditReports;
import io.capxai.audit.AuditResult;
import io.capxai.audit.AuditSpec;
import io.capxai.matching.Partials;
import io.capxai.audit.AuditData;
import io.capxai.probing.LabelDependence;
import io.capxai.progress.ProgressBars;
import io.capxai.report.AuditReport;
import io.capxai.report.ModelDescription;
import io.capxai.spark.SparkAudit;
import io.capxai.tensors.Device;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code capxai audit}: which concept does a standalone CNN carry into CLIP? (docs/method.md#the-audit) */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Grafts a standalone CNN into CLIP by network surgery and asks captions which concept it carries;"
                + " writes report.json and report.html into --out.")
public final class AuditCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--standalone", required = true, description = "Weights of the standalone ResNet.")
    Path standalone;

    @Option(names = "--clip", required = true, description = "CLIP weights (OpenAI layout).")
    Path clip;

    @Option(names = "--stats", required = true,
            description = "Split for statistics and scores: colored-mnist:train|test|real-world[:grey], or a folder with labels.csv.")
    String stats;

    @Option(names = "--eval", required = true, description = "Split to evaluate, same forms as --stats.")
    String eval;

    @Option(names = "--concepts", description = "Caption concepts, JSON or YAML (default: the paper's four colored-MNIST captions).")
    Path concepts;

    @Option(names = "--out", required = true, description = "Folder for report.json and report.html.")
    Path out;

    @Option(names = "--engine", defaultValue = "fused", description = "fused or reference (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--selection", defaultValue = "argmax", description = "argmax, top-K, threshold:T, one-to-one or one-to-one:K (default: ${DEFAULT-VALUE}).")
    String selection;

    @Option(names = "--resize", defaultValue = "bilinear", description = "Surgery resize: bilinear or bicubic (default: ${DEFAULT-VALUE}).")
    String resize;

    @Option(names = "--batch-size", defaultValue = "25", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--partial", description = "The statistics pass already done on the --stats split, e.g. by sharded"
            + " `match --images SPLIT --shard I/N --partial` runs merged with `merge --partial-out FILE`.")
    Path partial;

    @Option(names = "--spark", arity = "0..1", fallbackValue = "", paramLabel = "MASTER",
            description = "Run on Apache Spark: local[2], spark://HOST:7077, yarn...; without MASTER, the one spark-submit"
                    + " gives. Executors use their own device (their GPU when they see one); --device applies without --spark.")
    String spark;

    @Option(names = "--partitions", defaultValue = "0", description = "With --spark: image partitions (default: Spark's default parallelism).")
    int partitions;

    @Option(names = "--controls", defaultValue = "" + Audit.DEFAULT_CONTROLS,
            description = "Random-weight networks of the standalone's architecture audited the same way, the verdict's"
                    + " null distribution: 0 (none: nothing is called carried) or at least 2 (default: ${DEFAULT-VALUE}).")
    int controls;

    @Option(names = "--control-seed", defaultValue = "1", description = "Seed of the first control; the others take the next seeds (default: ${DEFAULT-VALUE}).")
    long controlSeed;

    @Option(names = "--allow-same-split", description = "Accept --stats and --eval sharing images (the reference code's"
            + " practice, docs/method.md#defects-of-the-reference-code): the surgery is then fit on the images it is judged on.")
    boolean allowSameSplit;

    @Mixin
    DevicesOption device;

    @Override
    public Integer call() throws IOException {
        List<Device> devices = device.list(); // --device with --devices: refused before any loading
        if (spark != null && controls != 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--spark runs no random-weight controls yet, so"
                    + " its verdict cannot call a concept carried: pass --controls 0 to run it anyway, or audit without"
                    + " --spark for the verdict against " + controls + " controls");
        }
        AuditData statsData = AuditData.parse(stats);
        AuditData evalData = AuditData.parse(eval);
        String shared = AuditData.sharedImages(stats, statsData, eval, evalData);
        if (shared != null && !allowSameSplit) {
            throw new CommandLine.ParameterException(spec.commandLine(), shared);
        }
        if (partial != null && spark != null) {
            throw new IllegalArgumentException("--partial and --spark both do the statistics pass: give one of them");
        }
        boolean needsProvenance = partial != null || spark != null;
        AuditSpec auditSpec = new AuditSpec(standalone.toString(), clip.toString(), stats, eval,
                concepts == null ? null : concepts.toString(), selection, resize, engine, batchSize,
                needsProvenance ? MatchCommand.models(standalone, clip) : Map.of());
        Map<String, String> options = new LinkedHashMap<>();
        options.put("statistics split", stats);
        options.put("evaluation split", eval);
        options.put("resize", resize);
        AuditReport report;
        Audit audit;
        if (spark != null) {
            SparkAudit.Result r = SparkAudit.run(spark, auditSpec, partitions, new ProgressBars());
            audit = r.audit();
            options.put("spark", String.format("%s, %d partitions, %.1f MB shuffled, %d failed task attempts",
                    r.master(), r.partitions(), r.shuffleBytes() / 1e6, r.failedTasks()));
            report = AuditReports.report(audit.standaloneName(), audit.clipName(), Audit.Engine.FUSED, r.plan(),
                    r.standaloneStats().images(), r.tapPairMeans(), r.verdicts(), audit.labels(),
                    ModelDescription.LOCAL_CLIP.equals(audit.clipName()), options);
        } else {
            Audit.Builder builder = auditSpec.builder(devices, new ProgressBars())
                    .allowStatisticsOnEvaluationSplit(allowSameSplit)
                    .controls(controls)
                    .controlSeed(controlSeed)
                    .controlCache("stats:" + statsData.fingerprint() + " eval:" + evalData.fingerprint() + " clip:" + AuditData.fileDigest(clip));
            if (partial != null) {
                builder.partial(Partials.read(partial));
            }
            audit = builder.build();
            AuditResult result = audit.run();
            report = AuditReports.report(result, audit.labels(), ModelDescription.LOCAL_CLIP.equals(audit.clipName()), options);
        }
        AuditReports.write(report, audit.evaluationSplit(), 24, out);
        report.dependence().stream().filter(LabelDependence::warning)
                .forEach(d -> spec.commandLine().getOut().println("warning: " + d.message()));
        spec.commandLine().getOut().println(report.answer() + "  (" + report.clipModel() + "; " + out.resolve("report.html") + ")");
        if (spark != null) {
            spec.commandLine().getOut().printf("spark: %s%n", options.get("spark"));
        }
        return 0;
    }
}
