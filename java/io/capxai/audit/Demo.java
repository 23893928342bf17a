package io.capxai.audit;

import io.capxai.data.ClipPreprocess;
import io.capxai.data.ColoredMnist;
import io.capxai.data.Mnist;
import io.capxai.kernels.KernelBackend;
import io.capxai.models.ClipModel;
import io.capxai.models.Models;
import io.capxai.probing.ConceptHits;
import io.capxai.probing.ImageLabels;
import io.capxai.probing.Share;
import io.capxai.probing.Verdict;
import io.capxai.report.AuditReport;
import io.capxai.report.ModelDescription;
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
 * The paper's experiment (SPEC 1.8) end to end on the embedded defaults: colored MNIST, a
 * standalone ResNet trained on biased colours and one trained on grey digits, the CLIP-style
 * model trained locally, and an audit of each. Statistics and scores come from the (biased)
 * training split, the verdict from the test split (5 red, 8 green), the same images for both
 * models, so their concept shares compare directly.
 */
public final class Demo {
    /** One audited model: its influence shares, the standalone model's own accuracies and its report.html. */
    public record Row(String model, double colourShare, double shapeShare, Share colour, Share shape, double testAccuracy,
                      double realWorldAccuracy, String answer, Path report) {}

    private Demo() {}

    public static List<Row> run(Path out, KernelBackend backend, ProgressListener progress) {
        TrainedModel clipModel = Trainer.clip(ClipTrainingConfig.defaults(), true);
        ClipModel clip = ClipModel.fromStateDict(Weights.load(clipModel.modelFile()));
        List<Row> rows = new ArrayList<>();
        for (StandaloneConfig.Colouring colouring : StandaloneConfig.Colouring.values()) {
            StandaloneConfig config = StandaloneConfig.defaults(colouring);
            TrainedModel standalone = Trainer.standalone(config, true);
            ColoredMnist.Splits splits = ColoredMnist.build(Mnist.load(), ColoredMnist.Config.paper()
                    .withSizes(config.trainPerDigit(), config.testPerDigit(), config.realWorldPerDigit()).withSeed(config.seed()));
            ImageLabels labels = AuditData.labels(splits.test());
            AuditResult result = Audit.builder()
                    .standalone(Models.imageModel(Weights.load(standalone.modelFile()), Models.Architecture.AUTO))
                    .clip(clip, ModelDescription.LOCAL_CLIP)
                    .statistics(splits.train())
                    .evaluation(splits.test())
                    .labels(labels)
                    .preprocess(ClipPreprocess.clip(config.resolution()))
                    .backend(backend)
                    .progress(progress)
                    .build().run();
            String name = colouring.name().toLowerCase();
            Map<String, String> options = new LinkedHashMap<>();
            options.put("standalone training", standalone.summary().model());
            options.put("statistics split", "colored MNIST train (biased colours), " + splits.train().size() + " images");
            options.put("evaluation split", "colored MNIST test (5 red, 8 green), " + splits.test().size() + " images");
            AuditReport report = AuditReports.report(result, labels, true, options);
            Path dir = AuditReports.write(report, splits.test(), 24, out.resolve(name));
            Verdict headline = result.headline();
            ConceptHits colour = headline.influence().hits("colour");
            ConceptHits shape = headline.influence().hits("shape");
            Map<String, Double> metrics = standalone.summary().metrics();
            rows.add(new Row(name, colour.total().value(), shape.total().value(), colour.total(), shape.total(),
                    metrics.getOrDefault("test_accuracy", Double.NaN), metrics.getOrDefault("real_world_accuracy", Double.NaN),
                    headline.answer(), dir));
        }
        return rows;
    }
}
