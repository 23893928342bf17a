package io.capxai.audit;

import io.capxai.progress.ProgressListener;
import io.capxai.data.Batch;
import io.capxai.data.Batches;
import io.capxai.data.ClipPreprocess;
import io.capxai.data.Dataset;
import io.capxai.kernels.KernelBackend;
import io.capxai.kernels.Kernels;
import io.capxai.kernels.ResizeMode;
import io.capxai.matching.ActivationSource;
import io.capxai.matching.ChannelStats;
import io.capxai.matching.FusedMatcher;
import io.capxai.matching.ImageShard;
import io.capxai.matching.MatchPartial;
import io.capxai.matching.MatchResult;
import io.capxai.matching.Partials;
import io.capxai.matching.ReferenceMatcher;
import io.capxai.models.ClipModel;
import io.capxai.models.ImageModel;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.probing.CaptionSet;
import io.capxai.probing.ImageLabels;
import io.capxai.probing.Verdict;
import io.capxai.selection.Selection;
import io.capxai.selection.SurgeryPlan;
import io.capxai.surgery.Surgery;
import io.capxai.taps.TapSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The caption-driven bias audit (SPEC 1): one streaming pass over the statistics split gathers
 * channel statistics and matching scores, a selection rule turns scores into a surgery plan, and
 * every image of the evaluation split is embedded by CLIP before and after surgery, so that
 * caption similarities tell which concept the standalone model carries.
 *
 * <pre>
 *   AuditResult r = Audit.builder()
 *       .standalone(resnet).clip(clip, "CLIP-style model trained locally")
 *       .statistics(trainSplit).evaluation(testSplit)
 *       .captions(CaptionSet.coloredMnist()).labels(ImageLabels.of(...))
 *       .build().run();
 * </pre>
 */
public final class Audit {
    /** How the score matrix is computed: the one-pass kernels, or the two-pass libtorch yardstick. */
    public enum Engine { FUSED, REFERENCE }

    private final Builder b;

    private Audit(Builder b) {
        this.b = b;
    }

    public static Builder builder() {
        return new Builder();
    }

    public AuditResult run() {
        MatchResult match = match();
        SurgeryPlan plan = b.selection.select(match.scores());
        EvaluationRows eval = evaluate(plan, match.standalone(), match.clip(), ImageShard.ALL);
        return new AuditResult(b.clipName, b.standalone.name(), b.engine, match, plan, b.captions, variants(),
                eval.indices(), eval.before(), eval.after(), verdicts(eval));
    }

    public Dataset statisticsSplit() {
        return b.statistics;
    }

    public Dataset evaluationSplit() {
        return b.evaluation;
    }

    public ImageLabels labels() {
        return b.labels;
    }

    public String standaloneName() {
        return b.standalone.name();
    }

    public String clipName() {
        return b.clipName;
    }

    /** The surgery variants evaluated (default: each CLIP stage alone, then all together). */
    public List<Variant> variants() {
        return b.variants != null ? b.variants : Variant.eachThenAll(b.clipTaps());
    }

    /** The verdict of every variant, from the rows of all evaluation images in index order. */
    public List<Verdict> verdicts(EvaluationRows rows) {
        if (rows.indices().length != b.evaluation.size()) {
            throw new IllegalArgumentException("verdicts need all " + b.evaluation.size() + " evaluation images, got "
                    + rows.indices().length);
        }
        checkInOrder(rows.indices(), 0);
        List<Variant> variants = variants();
        List<Verdict.Variant> inputs = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            inputs.add(new Verdict.Variant(variants.get(v).name(), rows.before(), rows.after()[v]));
        }
        return Verdict.ofAll(b.captions, b.labels, inputs);
    }

    /** The statistics pass: scores and channel statistics of both models (from the given partial, if any). */
    public MatchResult match() {
        if (b.partial != null) {
            return b.partial.finish();
        }
        ActivationSource source = ModelActivations.of(b.standalone, b.standaloneTaps(), b.clip.visual(), b.clipTaps(),
                Batches.inOrder(b.statistics, b.preprocess(), b.batchSize), b.progress, "statistics");
        return match(source, b.engine, b.backend);
    }

    /**
     * The accumulators of one shard of the statistics split, to be merged with the other shards'
     * ({@link io.capxai.matching.Partials#merge}) and handed back with {@link Builder#partial}.
     */
    public MatchPartial partial(ImageShard shard) {
        if (b.engine != Engine.FUSED) {
            throw new IllegalArgumentException("partials come from the fused engine; the reference engine needs every image at once");
        }
        Batches batches = Batches.of(b.statistics, b.preprocess(), b.batchSize, shard.indices(b.statistics.size()));
        ActivationSource source = ModelActivations.of(b.standalone, b.standaloneTaps(), b.clip.visual(), b.clipTaps(),
                batches, b.progress, "statistics");
        return new FusedMatcher(b.backend).partial(source).describedAs(provenance(), shard);
    }

    /** What a partial of this audit must agree on with the others: the caller's provenance, taps, split and engine. */
    public Map<String, String> provenance() {
        return provenance(b.provenance, b.standaloneTaps(), b.clipTaps(), b.statistics.name(), b.statistics.size(),
                b.preprocess().resolution() + " px, " + b.preprocess().resampling());
    }

    /** The provenance of a statistics pass; {@code given} identifies the models (e.g. weight files' SHA-256). */
    public static Map<String, String> provenance(Map<String, String> given, List<String> standaloneTaps, List<String> clipTaps,
                                                 String statistics, int images, String preprocess) {
        Map<String, String> p = new TreeMap<>(given);
        p.put("standalone.taps", String.join(",", standaloneTaps));
        p.put("clip.taps", String.join(",", clipTaps));
        p.put("statistics", statistics);
        p.put("statistics.images", Integer.toString(images));
        p.put("preprocess", preprocess);
        p.put("resize", "bilinear"); // U of SPEC 1.3; the surgery's resize is applied later, from the plan
        p.put("engine", Partials.ENGINE);
        return p;
    }

    /** Scores and statistics of any activation source with the chosen engine. */
    public static MatchResult match(ActivationSource source, Engine engine, KernelBackend backend) {
        return engine == Engine.FUSED ? new FusedMatcher(backend).match(source) : new ReferenceMatcher().match(source);
    }

    /**
     * Per-image similarities before and after surgery (per variant), always on the same image, for
     * one shard of the evaluation split; the plan and statistics may come from elsewhere (a merge, a cluster).
     */
    public EvaluationRows evaluate(SurgeryPlan plan, ChannelStats standaloneStats, ChannelStats clipStats, ImageShard shard) {
        Surgery surgery = new Surgery(b.backend, plan.sources(), standaloneStats, clipStats, b.resize);
        CaptionProbe probe = new CaptionProbe(b.clip, b.tokenizer, b.captions.texts());
        List<Variant> variants = variants();
        List<String> allStages = variants.stream().flatMap(v -> v.stages().stream()).distinct().toList();
        List<String> needed = surgery.standaloneTapsFor(allStages);
        int[] indices = shard.indices(b.evaluation.size());
        Batches batches = Batches.of(b.evaluation, b.preprocess(), b.batchSize, indices);
        float[][] before = new float[indices.length][];
        float[][][] after = new float[variants.size()][indices.length][];
        int filled = 0;
        b.progress.started("evaluation", batches.count());
        int done = 0;
        for (Batch batch : batches) {
            int[] got = batch.indices();
            for (int i = 0; i < got.length; i++) {
                if (got[i] != indices[filled + i]) {
                    throw new IllegalStateException("evaluation batches out of order: row " + (filled + i) + " is image " + got[i]);
                }
            }
            try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                TapSet standaloneTaps = TapSet.capturing(needed);
                b.standalone.forward(batch.images(), standaloneTaps);
                Map<String, Tensor> captured = standaloneTaps.captures();
                float[][] rowsBefore = probe.similarities(b.clip.encodeImage(batch.images()));
                for (int v = 0; v < variants.size(); v++) {
                    // A new TapSet per forward pass: edits cannot outlive this call (SPEC 1.7).
                    TapSet edit = TapSet.none();
                    surgery.replacements(captured, variants.get(v).stages()).forEach(edit::replace);
                    System.arraycopy(probe.similarities(b.clip.encodeImage(batch.images(), edit)), 0, after[v], filled, got.length);
                }
                System.arraycopy(rowsBefore, 0, before, filled, got.length);
                filled += got.length;
                captured.values().forEach(Tensor::releaseReference); // the TapSet's hold: now the scope frees them
            }
            b.progress.advanced("evaluation", ++done, batches.count());
        }
        b.progress.finished("evaluation");
        return new EvaluationRows(indices, before, after);
    }

    /** Rows must be dataset indices first..first+n-1 in order, so that labels, before and after rows name the same image. */
    private static void checkInOrder(int[] indices, int first) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] != first + i) {
                throw new IllegalStateException("evaluation rows out of order: row " + i + " is image " + indices[i]);
            }
        }
    }

    /** Everything an audit needs; defaults follow the paper (SPEC 1). */
    public static final class Builder {
        private ImageModel standalone;
        private ClipModel clip;
        private String clipName = "CLIP";
        private List<String> standaloneTaps;
        private List<String> clipTaps;
        private Dataset statistics;
        private Dataset evaluation;
        private boolean allowStatisticsOnEvaluationSplit;
        private CaptionSet captions = CaptionSet.coloredMnist();
        private ImageLabels labels;
        private ClipTokenizer tokenizer;
        private ClipPreprocess preprocess;
        private Selection selection = Selection.argmax();
        private ResizeMode resize = ResizeMode.BILINEAR;
        private List<Variant> variants;
        private int batchSize = 25;
        private KernelBackend backend;
        private Engine engine = Engine.FUSED;
        private ProgressListener progress = ProgressListener.NONE;
        private MatchPartial partial;
        private Map<String, String> provenance = Map.of();

        public Builder standalone(ImageModel model) {
            this.standalone = model;
            return this;
        }

        /** The CLIP model and the name reports use for it ("CLIP-style model trained locally" for the embedded default). */
        public Builder clip(ClipModel model, String name) {
            this.clip = model;
            this.clipName = name;
            return this;
        }

        public Builder standaloneTaps(List<String> taps) {
            this.standaloneTaps = List.copyOf(taps);
            return this;
        }

        public Builder clipTaps(List<String> taps) {
            this.clipTaps = List.copyOf(taps);
            return this;
        }

        /** The split whose statistics and scores define the surgery (the paper: training split). */
        public Builder statistics(Dataset data) {
            this.statistics = data;
            return this;
        }

        /** The split whose images are probed with captions before and after surgery. */
        public Builder evaluation(Dataset data) {
            this.evaluation = data;
            return this;
        }

        /** The reference code takes statistics on the evaluated split (SPEC 1.7); refused unless asked for. */
        public Builder allowStatisticsOnEvaluationSplit(boolean allow) {
            this.allowStatisticsOnEvaluationSplit = allow;
            return this;
        }

        /** Caption concepts (default: the paper's four colored-MNIST captions). */
        public Builder captions(CaptionSet captions) {
            this.captions = Objects.requireNonNull(captions);
            return this;
        }

        /** The true label of every evaluation image (row = dataset index) for every caption concept. */
        public Builder labels(ImageLabels labels) {
            this.labels = Objects.requireNonNull(labels);
            return this;
        }

        public Builder tokenizer(ClipTokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        public Builder preprocess(ClipPreprocess preprocess) {
            this.preprocess = preprocess;
            return this;
        }

        public Builder selection(Selection selection) {
            this.selection = Objects.requireNonNull(selection);
            return this;
        }

        /** U' of eq. 4: bilinear (the paper) or bicubic (the reference code). */
        public Builder resize(ResizeMode mode) {
            this.resize = Objects.requireNonNull(mode);
            return this;
        }

        public Builder variants(List<Variant> variants) {
            this.variants = List.copyOf(variants);
            return this;
        }

        public Builder batchSize(int size) {
            if (size <= 0) {
                throw new IllegalArgumentException("batch size must be positive, got " + size);
            }
            this.batchSize = size;
            return this;
        }

        public Builder backend(KernelBackend backend) {
            this.backend = backend;
            return this;
        }

        public Builder engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine);
            return this;
        }

        public Builder progress(ProgressListener listener) {
            this.progress = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * The statistics pass already done, e.g. shards merged with {@link io.capxai.matching.Partials#merge}:
         * it must cover the whole statistics split and agree with this audit's {@link Audit#provenance()}.
         */
        public Builder partial(MatchPartial merged) {
            this.partial = Objects.requireNonNull(merged);
            return this;
        }

        /** What identifies the models and options beyond taps and data (e.g. weight files' SHA-256), recorded in partials. */
        public Builder provenance(Map<String, String> provenance) {
            this.provenance = Map.copyOf(provenance);
            return this;
        }

        public Audit build() {
            require(standalone, "standalone model");
            require(clip, "CLIP model");
            require(statistics, "statistics dataset");
            require(evaluation, "evaluation dataset");
            require(labels, "labels of the evaluation images");
            if (labels.images() != evaluation.size()) {
                throw new IllegalArgumentException("labels for " + labels.images() + " images, but the evaluation split has "
                        + evaluation.size());
            }
            if (statistics == evaluation && !allowStatisticsOnEvaluationSplit) {
                throw new IllegalArgumentException("the statistics split is the evaluated split (" + evaluation.name()
                        + "): scores and surgery would be fit on the images they are judged on (SPEC 1.7). "
                        + "Pass another split, or allowStatisticsOnEvaluationSplit(true) to do it on purpose");
            }
            if (tokenizer == null) {
                tokenizer = ClipTokenizer.load();
            }
            if (backend == null) {
                backend = Kernels.cpu();
            }
            Audit audit = new Audit(this);
            if (partial != null) {
                if (!partial.complete()) {
                    throw new IllegalArgumentException("the partial covers shards " + partial.shards() + " of "
                            + partial.shards().getFirst().count() + ": merge every shard of the statistics split first");
                }
                if (!partial.provenance().equals(audit.provenance())) {
                    throw new IllegalArgumentException("the partial was made for another audit: " + partial.provenance()
                            + ", this audit is " + audit.provenance());
                }
            }
            return audit;
        }

        List<String> standaloneTaps() {
            return standaloneTaps != null ? standaloneTaps : standalone.defaultTaps();
        }

        List<String> clipTaps() {
            return clipTaps != null ? clipTaps : clip.visual().defaultTaps();
        }

        ClipPreprocess preprocess() {
            return preprocess != null ? preprocess : ClipPreprocess.clip((int) clip.config().imageResolution());
        }

        private static void require(Object value, String what) {
            if (value == null) {
                throw new IllegalArgumentException("audit: no " + what + " given");
            }
        }
    }
}
