package io.capxai.cli;

import io.capxai.audit.Audit;
import io.capxai.audit.AuditData;
import io.capxai.audit.AuditReports;
import io.capxai.audit.AuditResult;
import io.capxai.kernels.Kernels;
import io.capxai.kernels.ResizeMode;
import io.capxai.matching.Partials;
import io.capxai.models.ClipModel;
import io.capxai.models.Models;
import io.capxai.probing.CaptionSet;
import io.capxai.report.AuditReport;
import io.capxai.report.ModelDescription;
import io.capxai.selection.Selection;
import io.capxai.weights.StateDict;
import io.capxai.weights.Weights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code capxai audit}: which concept does a standalone CNN carry into CLIP? (SPEC 1) */
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

    @Override
    public Integer call() throws IOException {
        StateDict clipWeights = Weights.load(clip);
        String clipName = clipWeights.metadata().getOrDefault("name", clip.getFileName().toString());
        boolean local = ModelDescription.LOCAL_CLIP.equals(clipName);
        AuditData statsData = AuditData.parse(stats);
        AuditData evalData = AuditData.parse(eval);
        Audit.Builder builder = Audit.builder()
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
                .backend(Kernels.cpu())
                .progress(new ProgressBars());
        if (partial != null) {
            builder.provenance(MatchCommand.models(standalone, clip)).partial(Partials.read(partial));
        }
        AuditResult result = builder.build().run();
        Map<String, String> options = new LinkedHashMap<>();
        options.put("statistics split", stats);
        options.put("evaluation split", eval);
        options.put("resize", resize);
        AuditReport report = AuditReports.report(result, evalData.labels(), local, options);
        AuditReports.write(report, evalData.dataset(), 24, out);
        spec.commandLine().getOut().println(report.answer() + "  (" + report.clipModel() + "; " + out.resolve("report.html") + ")");
        return 0;
    }
}
