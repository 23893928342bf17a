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
import io.capxai.matching.FusedMatcher;
import io.capxai.matching.MatchResult;
import io.capxai.matching.ReferenceMatcher;
import io.capxai.models.ClipModel;
import io.capxai.models.ImageModel;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.probing.CaptionSet;
import io.capxai.probing.ControlRun;
import io.capxai.probing.ImageLabels;
import io.capxai.probing.InformationVerdict;
import io.capxai.probing.LabelDependence;
import io.capxai.probing.VariantInformation;
import io.capxai.probing.Verdict;
import io.capxai.selection.Selection;
import io.capxai.selection.SurgeryPlan;
import io.capxai.surgery.Surgery;
import io.capxai.taps.TapSet;
import io.capxai.training.ResultCache;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * The caption-driven bias audit (docs/method.md#the-audit): one streaming pass over the statistics split gathers
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

    /** Random-weight controls per audit unless {@link Builder#controls(int)} says otherwise. */
    public static final int DEFAULT_CONTROLS = 5;

    private final Builder b;
    private final Shared shared;

    private Audit(Builder b, Shared shared) {
        this.b = b;
        this.shared = shared;
    }

    /** What audits derived by {@link #forStandalone} share: CLIP's side and the control runs (by architecture and seed). */
    private record Shared(ClipSide clip, Map<String, ControlRun> controls) {
        Shared(Builder b) {
            this(new ClipSide(b), new java.util.concurrent.ConcurrentHashMap<>());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public AuditResult run() {
        List<Variant> variants = variants();
        ModelRun main = runModel(b.standalone, b.standaloneTaps(), "");
        float[][] before = shared.clip.before(b.progress);
        List<Verdict.Variant> inputs = new ArrayList<>();
        List<VariantInformation> information = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            inputs.add(new Verdict.Variant(variants.get(v).name(), before, main.after[v]));
            information.add(VariantInformation.of(variants.get(v).name(), b.captions, b.labels, before, main.after[v]));
        }
        List<Verdict> verdicts = Verdict.ofAll(b.captions, b.labels, inputs);
        List<ControlRun> controls = controls();
        InformationVerdict verdict = InformationVerdict.of(information.getLast(),
                controls.stream().map(c -> c.information().getLast()).toList());
        return new AuditResult(b.clipName, b.standalone.name(), b.engine, main.match, main.plan, b.captions, variants,
                identity(before.length), before, main.after, verdicts, information, controls, verdict,
                LabelDependence.of(b.labels));
    }

    /**
     * The same audit of another standalone model on the same images: CLIP's side (caption embeddings,
     * its statistics activations, the "before" similarities) and the control runs of an architecture
     * already audited are reused, not recomputed.
     */
    public Audit forStandalone(ImageModel model) {
        Builder copy = b.copy();
        copy.standalone = Objects.requireNonNull(model, "standalone model");
        return new Audit(copy, shared);
    }

    /** The statistics pass: scores and channel statistics of both models. */
    public MatchResult match() {
        return match(b.standalone, b.standaloneTaps(), "");
    }

    private MatchResult match(ImageModel model, List<String> taps, String label) {
        ActivationSource source = ModelActivations.sharingClip(model, taps, shared.clip, b.clipTaps(),
                Batches.inOrder(b.statistics, b.preprocess(), b.batchSize), b.progress, label + "statistics");
        return match(source, b.engine, b.backend);
    }

    /** Scores and statistics of any activation source with the chosen engine. */
    public static MatchResult match(ActivationSource source, Engine engine, KernelBackend backend) {
        return engine == Engine.FUSED ? new FusedMatcher(backend).match(source) : new ReferenceMatcher().match(source);
    }

    private List<Variant> variants() {
        return b.variants != null ? b.variants : Variant.eachThenAll(b.clipTaps());
    }

    /** One model's statistics pass, selection, surgery, and after-surgery similarities per variant. */
    private record ModelRun(MatchResult match, SurgeryPlan plan, float[][][] after) {}

    private ModelRun runModel(ImageModel model, List<String> taps, String label) {
        MatchResult match = match(model, taps, label);
        SurgeryPlan plan = b.selection.select(match.scores());
        Surgery surgery = new Surgery(b.backend, plan.sources(), match.standalone(), match.clip(), b.resize);
        return new ModelRun(match, plan, evaluate(model, surgery, variants(), label));
    }

    /**
     * The K random-weight controls, each audited exactly as the model (same images, CLIP side,
     * selection, variants): kept for other models of the same architecture, and on disk when the
     * builder names the data ({@link Builder#controlCache}).
     */
    private List<ControlRun> controls() {
        if (b.controls == 0) {
            return List.of();
        }
        LongFunction<ImageModel> factory = b.controlFactory != null ? b.controlFactory : ControlModels.like(b.standalone);
        List<ControlRun> out = new ArrayList<>();
        for (int k = 0; k < b.controls; k++) {
            long seed = b.controlSeed + k;
            ImageModel control = factory.apply(seed);
            List<String> taps = b.standaloneTaps != null ? b.standaloneTaps : control.defaultTaps();
            Map<String, Object> key = controlKey(control, taps, seed);
            String label = "control " + (k + 1) + "/" + b.controls + " ";
            ControlRun run = shared.controls.computeIfAbsent(key.toString(), x -> {
                ResultCache.Cached<ControlAfter> after = b.controlCache == null
                        ? new ResultCache.Cached<>(new ControlAfter(runModel(control, taps, label).after), false)
                        : ResultCache.getOrCompute("control-audit", key, b.controlCache + " procedure:" + CONTROL_PROCEDURE,
                        ControlAfter.class, () -> new ControlAfter(runModel(control, taps, label).after));
                float[][] before = shared.clip.before(b.progress);
                List<VariantInformation> information = new ArrayList<>();
                List<Variant> variants = variants();
                for (int v = 0; v < variants.size(); v++) {
                    information.add(VariantInformation.of(variants.get(v).name(), b.captions, b.labels, before,
                            after.value().after()[v]));
                }
                return new ControlRun(seed, ControlModels.describe(control), information, after.fromCache());
            });
            out.add(run);
        }
        return out;
    }

    /** Bumped when the audit procedure changes, so that older cached control runs are not reused. */
    static final int CONTROL_PROCEDURE = 1;

    /** A control run's after-surgery similarities {@code [variant][image][caption]}: what the cache keeps. */
    record ControlAfter(float[][][] after) {}

    /** Everything besides the data that a control's after-surgery similarities depend on. */
    private Map<String, Object> controlKey(ImageModel control, List<String> taps, long seed) {
        Map<String, Object> key = new java.util.TreeMap<>();
        key.put("architecture", control.name());
        key.put("parameters", control.state().parameterCount());
        key.put("seed", seed);
        key.put("standalone_taps", taps);
        key.put("clip_taps", b.clipTaps());
        key.put("captions", b.captions.texts());
        key.put("selection", b.selection.describe());
        key.put("resize", b.resize.name());
        key.put("engine", b.engine.name());
        key.put("resolution", b.preprocess().resolution());
        key.put("variants", variants().stream().map(v -> v.name() + "=" + v.stages()).toList());
        key.put("statistics_images", b.statistics.size());
        key.put("evaluation_images", b.evaluation.size());
        return key;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** Per-image similarities after surgery (per variant), image by image in dataset order. */
    private float[][][] evaluate(ImageModel model, Surgery surgery, List<Variant> variants, String label) {
        List<String> allStages = variants.stream().flatMap(v -> v.stages().stream()).distinct().toList();
        List<String> needed = surgery.standaloneTapsFor(allStages);
        CaptionProbe probe = shared.clip.probe();
        Batches batches = Batches.inOrder(b.evaluation, b.preprocess(), b.batchSize);
        float[][][] after = new float[variants.size()][b.evaluation.size()][];
        String phase = label + "evaluation";
        b.progress.started(phase, batches.count());
        int done = 0;
        int filled = 0;
        for (Batch batch : batches) {
            checkInOrder(batch.indices(), filled);
            try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                TapSet standaloneTaps = TapSet.capturing(needed);
                model.forward(batch.images(), standaloneTaps);
                Map<String, Tensor> captured = standaloneTaps.captures();
                for (int v = 0; v < variants.size(); v++) {
                    // A new TapSet per forward pass: edits cannot outlive this call (docs/method.md#defects-of-the-reference-code).
                    TapSet edit = TapSet.none();
                    surgery.replacements(captured, variants.get(v).stages()).forEach(edit::replace);
                    float[][] rows = probe.similarities(b.clip.encodeImage(batch.images(), edit));
                    System.arraycopy(rows, 0, after[v], filled, rows.length);
                }
                filled += batch.indices().length;
                captured.values().forEach(Tensor::releaseReference); // the TapSet's hold: now the scope frees them
            }
            b.progress.advanced(phase, ++done, batches.count());
        }
        b.progress.finished(phase);
        return after;
    }

    /** Rows must be dataset indices 0..n-1 in order, so that labels, before and after rows name the same image. */
    private static void checkInOrder(int[] indices, int filled) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] != filled + i) {
                throw new IllegalStateException("evaluation batches out of order: row " + (filled + i) + " is image " + indices[i]);
            }
        }
    }

    /** Everything an audit needs; defaults follow the paper (docs/method.md#the-audit). */
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
        private int controls = DEFAULT_CONTROLS;
        private LongFunction<ImageModel> controlFactory;
        private long controlSeed = 1;
        private String controlCache;

        /** A builder with the same settings (the standalone model is replaced by {@link #forStandalone}). */
        Builder copy() {
            Builder c = new Builder();
            c.standalone = standalone;
            c.clip = clip;
            c.clipName = clipName;
            c.standaloneTaps = standaloneTaps;
            c.clipTaps = clipTaps;
            c.statistics = statistics;
            c.evaluation = evaluation;
            c.allowStatisticsOnEvaluationSplit = allowStatisticsOnEvaluationSplit;
            c.captions = captions;
            c.labels = labels;
            c.tokenizer = tokenizer;
            c.preprocess = preprocess;
            c.selection = selection;
            c.resize = resize;
            c.variants = variants;
            c.batchSize = batchSize;
            c.backend = backend;
            c.engine = engine;
            c.progress = progress;
            c.controls = controls;
            c.controlFactory = controlFactory;
            c.controlSeed = controlSeed;
            c.controlCache = controlCache;
            return c;
        }

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

        /** The reference code takes statistics on the evaluated split (docs/method.md#defects-of-the-reference-code); refused unless asked for. */
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
         * How many networks of the standalone's architecture with random weights are audited the same
         * way as the null distribution of the verdict (default {@value Audit#DEFAULT_CONTROLS}; 0: none,
         * and no concept is called carried; otherwise at least 2, the test needs their spread).
         */
        public Builder controls(int k) {
            if (k != 0 && k < 2) {
                throw new IllegalArgumentException("controls: 0 (none) or at least 2 (the test needs their spread), got " + k);
            }
            this.controls = k;
            return this;
        }

        /** {@link #controls(int)} with the control networks built by {@code factory} from a seed (default: {@link ControlModels#like}). */
        public Builder controls(int k, LongFunction<ImageModel> factory) {
            controls(k);
            this.controlFactory = Objects.requireNonNull(factory);
            return this;
        }

        /** Seed of the first control; the others take the next seeds (default 1). */
        public Builder controlSeed(long seed) {
            this.controlSeed = seed;
            return this;
        }

        /**
         * Caches control runs on disk under a key made of {@code dataKey} (which must identify the
         * statistics and evaluation images and the CLIP model) and everything else they depend on
         * (architecture, seed, taps, captions, selection, resize, engine, variants). Null: no disk cache.
         */
        public Builder controlCache(String dataKey) {
            this.controlCache = dataKey;
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
                        + "): scores and surgery would be fit on the images they are judged on (docs/method.md#defects-of-the-reference-code). "
                        + "Pass another split, or allowStatisticsOnEvaluationSplit(true) to do it on purpose");
            }
            if (tokenizer == null) {
                tokenizer = ClipTokenizer.load();
            }
            if (backend == null) {
                backend = Kernels.cpu();
            }
            return new Audit(this, new Shared(this));
        }

        ClipModel clip() {
            return clip;
        }

        ClipTokenizer tokenizer() {
            return tokenizer;
        }

        CaptionSet captions() {
            return captions;
        }

        Dataset evaluation() {
            return evaluation;
        }

        int batchSize() {
            return batchSize;
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
