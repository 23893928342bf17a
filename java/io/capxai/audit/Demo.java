package io.capxai.audit;

import io.capxai.progress.ProgressListener;
import io.capxai.data.ClipPreprocess;
import io.capxai.data.ColoredMnist;
import io.capxai.data.Mnist;
import io.capxai.models.ClipModel;
import io.capxai.models.ImageModel;
import io.capxai.models.Models;
import io.capxai.models.RandomWeights;
import io.capxai.models.ResNet;
import io.capxai.probing.ConceptHits;
import io.capxai.probing.ImageLabels;
import io.capxai.probing.Share;
import io.capxai.probing.Verdict;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper's experiment (docs/method.md#the-colored-mnist-experiment) end to end on the embedded defaults: colored MNIST, a
 * standalone ResNet trained on biased colours and one trained on grey digits, the CLIP-style
 * model trained locally, and an audit of each, plus an untrained ResNet-50 as a control.
 * Statistics and scores come from the (biased) training split, the verdict from the test split
 * (5 red, 8 green), the same images for every model, so their concept shares compare directly.
 */
public final class Demo {
    /** One audited model: its influence shares, the standalone model's own accuracies and its report.html. */
    public record Row(String model, double colourShare, double shapeShare, Share colour, Share shape, double testAccuracy,
                      double realWorldAccuracy, String answer, Path report) {}

    private Demo() {}

    /** Every row, each audit's images split over {@code devices} (one worker per device; one device is the usual run). */
    public static List<Row> run(Path out, List<Device> devices, ProgressListener progress) {
        TrainedModel clipModel = Trainer.clip(ClipTrainingConfig.defaults(), true);
        ClipModel clip = ClipModel.fromStateDict(Weights.load(clipModel.modelFile()));
        // Both colourings' defaults share sizes, seed and resolution: one set of splits serves every row.
        StandaloneConfig shared = StandaloneConfig.defaults(StandaloneConfig.Colouring.BIASED);
        ColoredMnist.Splits splits = ColoredMnist.build(Mnist.load(), ColoredMnist.Config.paper()
                .withSizes(shared.trainPerDigit(), shared.testPerDigit(), shared.realWorldPerDigit()).withSeed(shared.seed()));
        ClipPreprocess preprocess = ClipPreprocess.clip(shared.resolution());
        List<Row> rows = new ArrayList<>();
        for (StandaloneConfig.Colouring colouring : StandaloneConfig.Colouring.values()) {
            TrainedModel standalone = Trainer.standalone(StandaloneConfig.defaults(colouring), true);
            rows.add(audit(colouring.name().toLowerCase(), Models.imageModel(Weights.load(standalone.modelFile()),
                    Models.Architecture.AUTO), standalone.summary().model(), standalone.summary().metrics(), splits,
                    preprocess, clip, out, devices, progress));
        }
        // The control: a ResNet-50 that learned nothing, audited the same way. Its shares show what
        // the probe reports for any disruption of the embedding (the baseline to read the others against).
        rows.add(audit(CONTROL, ResNet.fromStateDict(RandomWeights.resnet50(2, shared.seed())),
                "ResNet-50 with random weights (untrained control)", Map.of(), splits, preprocess, clip, out, devices,
                progress));
        return rows;
    }

    /** Name of the untrained control row. */
    public static final String CONTROL = "control";

    private static Row audit(String name, ImageModel standalone, String description, Map<String, Double> metrics,
                             ColoredMnist.Splits splits, ClipPreprocess preprocess, ClipModel clip, Path out,
                             List<Device> devices, ProgressListener progress) {
        ImageLabels labels = AuditData.labels(splits.test());
        AuditResult result = Audit.builder()
                .standalone(standalone)
                .clip(clip, ModelDescription.LOCAL_CLIP)
                .statistics(splits.train())
                .evaluation(splits.test())
                .labels(labels)
                .preprocess(preprocess)
                .devices(devices)
                .progress(progress)
                .build().run();
        Map<String, String> options = new LinkedHashMap<>();
        options.put("standalone model", description);
        options.put("statistics split", "colored MNIST train (biased colours), " + splits.train().size() + " images");
        options.put("evaluation split", "colored MNIST test (5 red, 8 green), " + splits.test().size() + " images");
        AuditReport report = AuditReports.report(result, labels, true, options);
        Path dir = AuditReports.write(report, splits.test(), 24, out.resolve(name));
        Verdict headline = result.headline();
        ConceptHits colour = headline.influence().hits("colour");
        ConceptHits shape = headline.influence().hits("shape");
        return new Row(name, colour.total().value(), shape.total().value(), colour.total(), shape.total(),
                metrics.getOrDefault("test_accuracy", Double.NaN), metrics.getOrDefault("real_world_accuracy", Double.NaN),
                headline.answer(), dir);
    }
}
