package io.capxai.cli;

import io.capxai.audit.Audit;
import io.capxai.audit.AuditData;
import io.capxai.audit.AuditReports;
import io.capxai.audit.AuditResult;
import io.capxai.kernels.ResizeMode;
import io.capxai.models.ClipModel;
import io.capxai.models.Models;
import io.capxai.probing.CaptionSet;
import io.capxai.probing.LabelDependence;
import io.capxai.progress.ProgressBars;
import io.capxai.report.AuditReport;
import io.capxai.report.ModelDescription;
import io.capxai.selection.Selection;
import io.capxai.tensors.Device;
import io.capxai.weights.StateDict;
import io.capxai.weights.Weights;
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
        StateDict clipWeights = Weights.load(clip);
        String clipName = clipWeights.metadata().getOrDefault("name", clip.getFileName().toString());
        boolean local = ModelDescription.LOCAL_CLIP.equals(clipName);
        AuditData statsData = AuditData.parse(stats);
        AuditData evalData = AuditData.parse(eval);
        String shared = AuditData.sharedImages(stats, statsData, eval, evalData);
        if (shared != null && !allowSameSplit) {
            throw new CommandLine.ParameterException(spec.commandLine(), shared);
        }
        Audit audit = Audit.builder()
                .standalone(Models.imageModel(Weights.load(standalone), Models.Architecture.AUTO))
                .clip(ClipModel.fromStateDict(clipWeights), clipName)
                .statistics(statsData.dataset())
                .evaluation(evalData.dataset())
                .labels(evalData.labels())
                .captions(concepts == null ? CaptionSet.coloredMnist() : CaptionSet.load(concepts))
                .selection(Selection.parse(selection))
                .resize(ResizeMode.valueOf(resize.toUpperCase()))
                .engine(Audit.Engine.valueOf(engine.toUpperCase()))
                .batchSize(batchSize)
                .devices(devices)
                .progress(new ProgressBars())
                .allowStatisticsOnEvaluationSplit(allowSameSplit)
                .controls(controls)
                .controlSeed(controlSeed)
                .controlCache("stats:" + statsData.fingerprint() + " eval:" + evalData.fingerprint() + " clip:" + AuditData.fileDigest(clip))
                .build();
        AuditResult result = audit.run();
        Map<String, String> options = new LinkedHashMap<>();
        options.put("statistics split", stats);
        options.put("evaluation split", eval);
        options.put("resize", resize);
        AuditReport report = AuditReports.report(result, evalData.labels(), local, options);
        AuditReports.write(report, evalData.dataset(), 24, out);
        PrintWriter o = spec.commandLine().getOut();
        report.dependence().stream().filter(LabelDependence::warning).forEach(d -> o.println("warning: " + d.message()));
        o.println(report.answer() + "  (" + report.clipModel() + "; " + out.resolve("report.html") + ")");
        o.flush();
        return 0;
    }
}
