package io.capxai.audit;

import io.capxai.data.ClipPreprocess;
import io.capxai.data.ColoredMnist;
import io.capxai.data.Mnist;
import io.capxai.models.ClipModel;
import io.capxai.models.ImageModel;
import io.capxai.models.Models;
import io.capxai.probing.ConceptFinding;
import io.capxai.probing.ControlRun;
import io.capxai.probing.InformationVerdict;
import io.capxai.probing.LabelDependence;
import io.capxai.probing.Share;
import io.capxai.probing.Spread;
import io.capxai.progress.ProgressListener;
import io.capxai.report.AuditReport;
import io.capxai.report.ModelDescription;
import io.capxai.tensors.Device;
import io.capxai.training.ClipTrainingConfig;
import io.capxai.training.StandaloneConfig;
import io.capxai.training.TrainedModel;
import io.capxai.training.Trainer;
import io.capxai.weights.Weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The paper's experiment (docs/method.md#the-colored-mnist-experiment) end to end on the embedded defaults, with the verdict of
 * docs/verdict.md: colored MNIST; standalone models trained on biased colours (5 red, 8 green) and
 * on grey digits, each as a ResNet-18 trained from scratch (the primary pair: they can only learn
 * what their data teaches) and as an ImageNet-pretrained ResNet-50 fine-tuned (the paper's
 * architecture); the CLIP-style model trained locally; and K random-weight networks of each
 * architecture, audited the same way, as the controls.
 *
 * <p>Statistics come from a balanced split and the verdict from a disjoint balanced probe split
 * (every digit in red and in green equally often: {@link ColoredMnist#balanced}), the same images
 * for every model, so their figures compare directly. One seed draws the splits, the training and
 * the controls. CLIP's side of the audit (caption embeddings, its statistics activations, its
 * "before" similarities) is computed once for all models.
 */
public final class Demo {
    /** Per-concept figures of one model (or one group of controls). */
    public record Concept(String concept, Share before, Share after, double retained, double retainedLower,
                          double retainedUpper, double controlsMean, double controlsSd, double z, double pValue,
                          boolean carried, double paperShare) {}

    /** One audited model: its accuracies as a classifier, its per-concept verdict, its answer and its report.html. */
    public record Row(String model, String architecture, String description, double testAccuracy, double realWorldAccuracy,
                      List<Concept> concepts, String answer, String paperAnswer, Path report) {}

    /** One architecture's controls: their seeds and per-concept after-surgery accuracy, mean and spread. */
    public record Controls(String architecture, List<Long> seeds, Map<String, List<Double>> afterAccuracy,
                           Map<String, Spread> afterSpread, int fromCache) {}

    /** Everything the demo found; {@code dependence} is measured on the probe images. */
    public record Result(long seed, int probeImages, int statisticsImages, List<Row> rows, List<Controls> controls,
                         List<LabelDependence> dependence, String verdictVariant) {}

    /** The scratch models' training, fixed before any verdict was looked at (issue 14: 3 epochs, lr 1e-3). */
    static StandaloneConfig scratch(StandaloneConfig.Colouring colouring, long seed) {
        StandaloneConfig d = StandaloneConfig.defaults(colouring);
        return d.withArchitecture(StandaloneConfig.Architecture.RESNET18_SCRATCH)
                .withTraining(d.resolution(), 3, d.batchSize(), 1e-3).withSeed(seed);
    }

    static StandaloneConfig pretrained(StandaloneConfig.Colouring colouring, long seed) {
        return StandaloneConfig.defaults(colouring).withSeed(seed);
    }

    /** Seed of the first control of a run with {@code seed}: controls never share a seed with another run's. */
    public static long controlSeed(long seed) {
        return seed * 1000 + 1;
    }

    private Demo() {}

    /** Every row on {@code devices} (one worker per device; one device is the usual run; models not yet cached train on the first). */
    public static Result run(Path out, long seed, int controls, List<Device> devices, ProgressListener progress) {
        return run(out, seed, controls, EnumSet.allOf(StandaloneConfig.Architecture.class), devices, progress);
    }

    /** The rows of {@code architectures} only (the scratch pair is the primary one; the pretrained pair costs more). */
    public static Result run(Path out, long seed, int controls, Set<StandaloneConfig.Architecture> architectures,
                             List<Device> devices, ProgressListener progress) {
        if (architectures.isEmpty()) {
            throw new IllegalArgumentException("the demo needs at least one architecture");
        }
        TrainedModel clipModel = Trainer.clip(ClipTrainingConfig.defaults(), devices.getFirst(), true);
        ClipModel clip = ClipModel.fromStateDict(Weights.load(clipModel.modelFile()));
        List<StandaloneConfig> configs = new ArrayList<>();
        for (StandaloneConfig.Colouring colouring : StandaloneConfig.Colouring.values()) {
            configs.add(scratch(colouring, seed));
        }
        for (StandaloneConfig.Colouring colouring : StandaloneConfig.Colouring.values()) {
            configs.add(pretrained(colouring, seed));
        }
        configs.removeIf(c -> !architectures.contains(c.architecture()));
        // every configuration shares the data sizes and resolution: one set of splits serves every row
        StandaloneConfig shared = configs.getFirst();
        ColoredMnist.Config data = ColoredMnist.Config.paper()
                .withSizes(shared.trainPerDigit(), shared.testPerDigit(), shared.realWorldPerDigit()).withSeed(seed);
        Mnist mnist = Mnist.load();
        ColoredMnist.Balanced balanced = ColoredMnist.balanced(mnist, data, ColoredMnist.BALANCED_PER_DIGIT,
                ColoredMnist.BALANCED_PER_DIGIT);
        AuditData statistics = new AuditData(balanced.statistics(), AuditData.labels(balanced.statistics()));
        AuditData probe = new AuditData(balanced.probe(), AuditData.labels(balanced.probe()));
        Audit base = Audit.builder()
                .standalone(Models.imageModel(Weights.load(Trainer.standalone(shared, devices.getFirst(), true).modelFile()), Models.Architecture.AUTO))
                .clip(clip, ModelDescription.LOCAL_CLIP)
                .statistics(statistics.dataset())
                .evaluation(probe.dataset())
                .labels(probe.labels())
                .preprocess(ClipPreprocess.clip(shared.resolution()))
                .devices(devices)
                .progress(progress)
                .controls(controls)
                .controlSeed(controlSeed(seed))
                .controlCache("demo stats:" + statistics.fingerprint() + " probe:" + probe.fingerprint() + " clip:"
                        + clipModel.modelFile().getParent().getFileName())
                .build();

        List<Row> rows = new ArrayList<>();
        Map<String, List<ControlRun>> controlsByArchitecture = new LinkedHashMap<>();
        List<LabelDependence> dependence = List.of();
        String variant = "";
        for (StandaloneConfig config : configs) {
            TrainedModel trained = Trainer.standalone(config, devices.getFirst(), true);
            ImageModel model = Models.imageModel(Weights.load(trained.modelFile()), Models.Architecture.AUTO);
            boolean scratch = config.architecture() == StandaloneConfig.Architecture.RESNET18_SCRATCH;
            String name = config.colouring().name().toLowerCase() + (scratch ? "" : "-resnet50");
            AuditResult result = base.forStandalone(model).run();
            Map<String, String> options = new LinkedHashMap<>();
            options.put("standalone model", trained.summary().model());
            options.put("demo seed", Long.toString(seed));
            options.put("statistics split", "colored MNIST, balanced (every digit half red, half green), "
                    + balanced.statistics().size() + " images");
            options.put("evaluation split", "colored MNIST probe, balanced and disjoint from the statistics and the training images, "
                    + balanced.probe().size() + " images");
            AuditReport report = AuditReports.report(result, probe.labels(), true, options);
            Path dir = AuditReports.write(report, probe.dataset(), 24, out.resolve(name));
            Map<String, Double> metrics = trained.summary().metrics();
            rows.add(row(name, model.name(), trained.summary().model(), metrics, result, dir));
            controlsByArchitecture.putIfAbsent(model.name(), result.controls());
            dependence = result.dependence();
            variant = result.verdict().variant();
        }
        List<Controls> controlRows = new ArrayList<>();
        controlsByArchitecture.forEach((arch, runs) -> {
            if (!runs.isEmpty()) {
                controlRows.add(controls(arch, runs));
            }
        });
        return new Result(seed, balanced.probe().size(), balanced.statistics().size(), rows, controlRows, dependence, variant);
    }

    private static Row row(String name, String architecture, String description, Map<String, Double> metrics,
                           AuditResult result, Path report) {
        InformationVerdict v = result.verdict();
        List<Concept> concepts = new ArrayList<>();
        for (ConceptFinding f : v.concepts()) {
            var m = f.information();
            var c = f.comparison();
            double paperShare = result.headline().influence().hits(f.concept()).total().value();
            concepts.add(new Concept(f.concept(), m.before(), m.after(), m.retained(), m.retainedLower(), m.retainedUpper(),
                    c == null ? Double.NaN : c.controlMean(), c == null ? Double.NaN : c.controlSd(),
                    c == null ? Double.NaN : c.z(), c == null ? Double.NaN : c.pValue(), f.carried(), paperShare));
        }
        return new Row(name, architecture, description, metrics.getOrDefault("test_accuracy", Double.NaN),
                metrics.getOrDefault("real_world_accuracy", Double.NaN), concepts, v.answer(), result.headline().answer(), report);
    }

    /** The controls' after-surgery accuracy per concept on the verdict's variant (the last). */
    private static Controls controls(String architecture, List<ControlRun> runs) {
        Map<String, List<Double>> after = new LinkedHashMap<>();
        for (ControlRun run : runs) {
            run.information().getLast().concepts().forEach(c ->
                    after.computeIfAbsent(c.concept(), k -> new ArrayList<>()).add(c.after().value()));
        }
        Map<String, Spread> spread = new LinkedHashMap<>();
        after.forEach((concept, values) -> spread.put(concept, Spread.of(values.stream().mapToDouble(Double::doubleValue).toArray())));
        return new Controls(architecture, runs.stream().map(ControlRun::seed).toList(), after, spread,
                (int) runs.stream().filter(ControlRun::fromCache).count());
    }
}
