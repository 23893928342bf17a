package io.capxai.audit;

import io.capxai.progress.ProgressListener;
import io.capxai.data.Batch;
import io.capxai.data.Batches;
import io.capxai.data.ClipPreprocess;
import io.capxai.data.Dataset;
import io.capxai.kernels.Backends;
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
import io.capxai.tensors.Device;
import io.capxai.tensors.Tensors;
import io.capxai.training.ResultCache;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiFunction;
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
 *       .device(Device.AUTO)                       // CUDA when libtorch has it and a GPU is present
 *       .build().run();
 * </pre>
 *
 * <p>Everything runs on one device: {@link Builder#build()} moves both models' weights there, every
 * batch is copied there before the forward passes, and the kernels are those of the activations'
 * device. Per evaluation batch the host reads one tensor (all caption similarities). With
 * {@link Builder#devices several devices} ({@link DeviceWorkers}) each pass splits its images over
 * them, one worker and one copy of the models per device: the statistics partials merge exactly,
 * and the evaluation rows are joined in image order.
 */
public final class Audit {
    /** How the score matrix is computed: the one-pass kernels, or the two-pass libtorch yardstick. */
    public enum Engine { FUSED, REFERENCE }

    /**
     * Random-weight controls of the command line and the demo. The builder runs none unless asked
     * ({@link Builder#controls(int)}): each control costs a whole audit.
     */
    public static final int DEFAULT_CONTROLS = 5;

    private final Builder b;
    private final DeviceWorkers workers;
    private final Shared shared;

    private Audit(Builder b, DeviceWorkers workers, Shared shared) {
        this.b = b;
        this.workers = workers;
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
        ModelRun main = runModel(workers, b.standaloneTaps(), match(), "");
        List<Verdict.Variant> inputs = new ArrayList<>();
        List<VariantInformation> information = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            inputs.add(new Verdict.Variant(variants.get(v).name(), main.before, main.after[v]));
            information.add(VariantInformation.of(variants.get(v).name(), b.captions, b.labels, main.before, main.after[v]));
        }
        List<Verdict> verdicts = Verdict.ofAll(b.captions, b.labels, inputs);
        List<ControlRun> controls = controls();
        InformationVerdict verdict = InformationVerdict.of(information.getLast(),
                controls.stream().map(c -> c.information().getLast()).toList());
        return new AuditResult(b.clipName, b.standalone.name(), b.engine, main.match, main.plan, b.captions, variants,
                main.indices, main.before, main.after, verdicts, information, controls, verdict, LabelDependence.of(b.labels));
    }

    /**
     * The same audit of another standalone model on the same images and devices: CLIP's side (caption
     * embeddings, its statistics activations, the "before" similarities) and the control runs of an
     * architecture already audited are reused, not recomputed.
     */
    public Audit forStandalone(ImageModel model) {
        Builder copy = b.copy();
        copy.standalone = Objects.requireNonNull(model, "standalone model");
        copy.partial = null; // the given statistics belong to the first model
        return new Audit(copy, DeviceWorkers.of(workers.devices(), model, b.clip.visual()), shared);
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
        int[] indices = rows.indices();
        if (indices.length != b.evaluation.size()) {
            throw new IllegalArgumentException("verdicts need all " + b.evaluation.size() + " evaluation images, got " + indices.length);
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] != i) {
                throw new IllegalStateException("evaluation rows out of order: row " + i + " is image " + indices[i]);
            }
        }
        List<Variant> variants = variants();
        List<Verdict.Variant> inputs = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            inputs.add(new Verdict.Variant(variants.get(v).name(), rows.before(), rows.after()[v]));
        }
        return Verdict.ofAll(b.captions, b.labels, inputs);
    }

    /**
     * Per-image similarities before and after surgery (per variant) of one shard of the evaluation
     * split, its images split over the devices; the plan and statistics may come from elsewhere (a
     * merge of shards, a cluster).
     */
    public EvaluationRows evaluate(SurgeryPlan plan, ChannelStats standaloneStats, ChannelStats clipStats, ImageShard shard) {
        CaptionProbe probe = new CaptionProbe(b.clip, b.tokenizer, b.captions.texts());
        List<Variant> variants = variants();
        int[] indices = shard.indices(b.evaluation.size());
        return EvaluationRows.concat(workers.each(indices.length, b.batchSize, b.progress, "evaluation",
                (w, share) -> evaluate(w, DeviceWorkers.pick(indices, share.positions()), share.progress(),
                        new Surgery(b.kernels.forDevice(w.device().torch()), plan.sources(), standaloneStats, clipStats, b.resize),
                        probe.on(w.device()), variants, null, "")));
    }

    /** One model's statistics, selection, and similarities before (CLIP's, shared) and after surgery per variant. */
    private record ModelRun(MatchResult match, SurgeryPlan plan, int[] indices, float[][] before, float[][][] after) {}

    private ModelRun runModel(DeviceWorkers ws, List<String> taps, MatchResult match, String label) {
        SurgeryPlan plan = b.selection.select(match.scores());
        List<Variant> variants = variants();
        CaptionProbe probe = shared.clip.probe();
        float[][] knownBefore = shared.clip.before();
        EvaluationRows eval = EvaluationRows.concat(ws.each(b.evaluation.size(), b.batchSize, b.progress, label + "evaluation",
                (w, share) -> evaluate(w, share.positions(), share.progress(), new Surgery(b.kernels.forDevice(w.device().torch()),
                        plan.sources(), match.standalone(), match.clip(), b.resize), probe.on(w.device()), variants, knownBefore, label)));
        float[][] before = knownBefore != null ? knownBefore : shared.clip.rememberBefore(eval.before());
        return new ModelRun(match, plan, eval.indices(), before, eval.after());
    }

    /**
     * The K random-weight controls, each audited exactly as the model (same images, devices, CLIP
     * side, selection, variants): kept for other models of the same architecture, and on disk when
     * the builder names the data ({@link Builder#controlCache}).
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
            out.add(shared.controls.computeIfAbsent(key.toString(), x -> {
                java.util.function.Supplier<ControlAfter> run = () -> {
                    DeviceWorkers cw = DeviceWorkers.of(workers.devices(), control, b.clip.visual());
                    MatchResult match = match(cw, b.statistics.size(), b.batchSize,
                            (w, share) -> statistics(w, taps, share.positions(), share.progress(), cw.count() == 1, label),
                            b.engine, b.kernels, b.progress);
                    return new ControlAfter(runModel(cw, taps, match, label).after);
                };
                ResultCache.Cached<ControlAfter> after = b.controlCache == null ? new ResultCache.Cached<>(run.get(), false)
                        : ResultCache.getOrCompute("control-audit", key, b.controlCache + " procedure:" + CONTROL_PROCEDURE,
                        ControlAfter.class, run);
                float[][] before = shared.clip.before();
                List<VariantInformation> information = new ArrayList<>();
                List<Variant> variants = variants();
                for (int v = 0; v < variants.size(); v++) {
                    information.add(VariantInformation.of(variants.get(v).name(), b.captions, b.labels, before,
                            after.value().after()[v]));
                }
                return new ControlRun(seed, ControlModels.describe(control), information, after.fromCache());
            }));
        }
        return out;
    }

    /** Bumped when the audit procedure changes, so that older cached control runs are not reused. */
    static final int CONTROL_PROCEDURE = 1;

    /** A control run's after-surgery similarities {@code [variant][image][caption]}: what the cache keeps. */
    record ControlAfter(float[][][] after) {}

    /** Everything besides the data that a control's after-surgery similarities depend on. */
    private Map<String, Object> controlKey(ImageModel control, List<String> taps, long seed) {
        Map<String, Object> key = new TreeMap<>();
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

    /**
     * The statistics pass: scores and channel statistics of both models (from the given partial, if
     * any), the images split over the devices.
     */
    public MatchResult match() {
        if (b.partial != null) {
            return b.partial.finish();
        }
        return match(workers, b.statistics.size(), b.batchSize,
                (w, share) -> statistics(w, b.standaloneTaps(), share.positions(), share.progress(), workers.count() == 1, ""),
                b.engine, b.kernels, b.progress);
    }

    /**
     * The accumulators of one shard of the statistics split, to be merged with the other shards'
     * ({@link io.capxai.matching.Partials#merge}) and handed back with {@link Builder#partial}.
     * With several devices the shard's images are split over them and merged here.
     */
    public MatchPartial partial(ImageShard shard) {
        if (b.engine != Engine.FUSED) {
            throw new IllegalArgumentException("partials come from the fused engine; the reference engine needs every image at once");
        }
        int[] indices = shard.indices(b.statistics.size());
        return workers.partial(indices.length, b.batchSize, b.progress, b.kernels,
                (w, share) -> statistics(w, b.standaloneTaps(), DeviceWorkers.pick(indices, share.positions()), share.progress(),
                        false, ""))
                .describedAs(provenance(), shard);
    }

    /**
     * Both models of worker {@code w} on the statistics images {@code indices}; with {@code shareClip}
     * (one worker, the whole split) CLIP's activations come from the shared side, computed once.
     */
    private ActivationSource statistics(DeviceWorkers.Worker w, List<String> taps, int[] indices, ProgressListener progress,
                                        boolean shareClip, String label) {
        Batches batches = Batches.of(b.statistics, b.preprocess(), b.batchSize, indices);
        return shareClip
                ? ModelActivations.sharingClip(w.standalone(), taps, shared.clip, b.clipTaps(), batches, progress, label + "statistics")
                : ModelActivations.of(w.standalone(), taps, w.clip(), b.clipTaps(), batches, progress, label + "statistics");
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
        p.put("resize", "bilinear"); // U of the matching; the surgery's resize acts later, on the plan
        p.put("engine", Partials.ENGINE);
        return p;
    }

    /** Scores and statistics of any activation source with the chosen engine; the fused one takes the activations' kernels. */
    public static MatchResult match(ActivationSource source, Engine engine, Backends kernels) {
        return engine == Engine.FUSED ? new FusedMatcher(kernels).match(source) : new ReferenceMatcher().match(source);
    }

    /**
     * Scores and statistics of {@code total} images split over {@code workers}, the activations of a
     * worker's share from {@code sources}: one device runs {@code engine} on all of them; several run
     * the fused engine's partials at once and merge them exactly.
     */
    public static MatchResult match(DeviceWorkers workers, int total, int batchSize,
                                    BiFunction<DeviceWorkers.Worker, DeviceWorkers.Share, ActivationSource> sources,
                                    Engine engine, Backends kernels, ProgressListener progress) {
        if (workers.count() == 1) {
            return workers.each(total, batchSize, progress, "statistics",
                    (w, share) -> match(sources.apply(w, share), engine, kernels)).getFirst();
        }
        requireOneDevice(engine, workers.count());
        return workers.partial(total, batchSize, progress, kernels, sources).finish();
    }

    /** The reference engine keeps every image's activations at once, so it cannot be split over devices. */
    private static void requireOneDevice(Engine engine, int devices) {
        if (engine != Engine.FUSED && devices > 1) {
            throw new IllegalArgumentException("the " + engine.name().toLowerCase(java.util.Locale.ROOT) + " engine runs on one"
                    + " device (it needs every image at once); " + devices + " devices were given: use the fused engine");
        }
    }

    /** The first device this audit runs on (resolved: never auto). */
    public Device device() {
        return workers.first().device();
    }

    /** Every device this audit runs on, one worker each (resolved: never auto). */
    public List<Device> devices() {
        return workers.devices();
    }

    /**
     * Per-image similarities before and after surgery (per variant), always on the same image: worker
     * {@code w}'s share of the evaluation split, with its own surgery and caption probe on its device.
     */
    private EvaluationRows evaluate(DeviceWorkers.Worker w, int[] positions, ProgressListener progress, Surgery surgery,
                                    CaptionProbe probe, List<Variant> variants, float[][] knownBefore, String label) {
        List<String> allStages = variants.stream().flatMap(v -> v.stages().stream()).distinct().toList();
        List<String> needed = surgery.standaloneTapsFor(allStages);
        Batches batches = Batches.of(b.evaluation, b.preprocess(), b.batchSize, positions);
        Evaluation out = new Evaluation(positions.length, variants.size());
        String phase = label + "evaluation";
        progress.started(phase, batches.count());
        int done = 0;
        for (Batch batch : batches) {
            checkInOrder(batch.indices(), positions, out.filled);
            try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                Tensor images = batch.images().to(w.device().torch(), torch.ScalarType.Float);
                TapSet standaloneTaps = TapSet.capturing(needed);
                w.standalone().forward(images, standaloneTaps);
                Map<String, Tensor> captured = standaloneTaps.captures();
                TensorVector sims = new TensorVector(); // [before (unless known), after of each variant], each [n, captions]
                if (knownBefore == null) {
                    sims.push_back(probe.similarities(w.clip().forward(images, TapSet.none())));
                }
                for (Variant variant : variants) {
                    // A new TapSet per forward pass: edits cannot outlive this call (docs/method.md#defects-of-the-reference-code).
                    TapSet edit = TapSet.none();
                    surgery.replacements(captured, variant.stages()).forEach(edit::replace);
                    sims.push_back(probe.similarities(w.clip().forward(images, edit)));
                }
                float[][][] rows = rows(torch.stack(sims)); // the batch's one host read
                if (knownBefore == null) {
                    out.add(batch.indices(), rows[0], java.util.Arrays.copyOfRange(rows, 1, rows.length));
                } else {
                    float[][] before = new float[batch.indices().length][];
                    for (int i = 0; i < before.length; i++) {
                        before[i] = knownBefore[batch.indices()[i]];
                    }
                    out.add(batch.indices(), before, rows);
                }
                captured.values().forEach(Tensor::releaseReference); // the TapSet's hold: now the scope frees them
            }
            progress.advanced(phase, ++done, batches.count());
        }
        progress.finished(phase);
        return new EvaluationRows(out.indices, out.before, out.after);
    }

    /** [k, n, c] on any device as float[k][n][c]. */
    private static float[][][] rows(Tensor t) {
        int k = (int) t.size(0);
        int n = (int) t.size(1);
        int c = (int) t.size(2);
        float[] flat = Tensors.toFloats(t);
        float[][][] out = new float[k][n][c];
        for (int v = 0; v < k; v++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(flat, (v * n + i) * c, out[v][i], 0, c);
            }
        }
        return out;
    }

    /** Rows must be the share's dataset indices in order, so that labels, before and after rows name the same image. */
    private static void checkInOrder(int[] indices, int[] expected, int filled) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] != expected[filled + i]) {
                throw new IllegalStateException("evaluation batches out of order: row " + (filled + i) + " is image " + indices[i]
                        + ", expected " + expected[filled + i]);
            }
        }
    }

    /** One worker's rows as its batches come in: row i of before and of every after[v] is image indices[i]. */
    private static final class Evaluation {
        final int[] indices;
        final float[][] before;
        final float[][][] after;
        int filled;

        Evaluation(int images, int variants) {
            indices = new int[images];
            before = new float[images][];
            after = new float[variants][images][];
        }

        void add(int[] batchIndices, float[][] beforeRows, float[][][] afterRows) {
            for (int i = 0; i < batchIndices.length; i++) {
                indices[filled] = batchIndices[i];
                before[filled] = beforeRows[i];
                for (int v = 0; v < afterRows.length; v++) {
                    after[v][filled] = afterRows[v][i];
                }
                filled++;
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
        private List<Device> devices = List.of(Device.AUTO);
        private Backends kernels = Backends.SYSTEM;
        private Engine engine = Engine.FUSED;
        private ProgressListener progress = ProgressListener.NONE;
        private MatchPartial partial;
        private Map<String, String> provenance = Map.of();
        private int controls;
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
            c.devices = devices;
            c.kernels = kernels;
            c.engine = engine;
            c.progress = progress;
            c.partial = partial;
            c.provenance = provenance;
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

        /**
         * Where weights, batches and activations live (default {@link Device#AUTO}). {@link #build()}
         * moves both models' weights there, in place, as PyTorch's {@code module.to(device)} does.
         */
        public Builder device(Device device) {
            this.devices = List.of(Objects.requireNonNull(device));
            return this;
        }

        /**
         * One worker per device, e.g. {@code cuda:0, cuda:1} (or several {@link Device#CPU}s): both
         * passes split their images over the workers, each with its own copy of the models on its
         * device ({@link #build()} moves the given models to the first device and copies them to the
         * others), and the statistics partials merge exactly. Replaces {@link #device}.
         */
        public Builder devices(List<Device> devices) {
            this.devices = List.copyOf(devices);
            return this;
        }

        /** Which kernels serve which device (default: this machine's libraries); tests pass recording fakes. */
        public Builder kernels(Backends kernels) {
            this.kernels = Objects.requireNonNull(kernels);
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

        /**
         * How many networks of the standalone's architecture with random weights are audited the same
         * way as the null distribution of the verdict (default 0: none, and no concept is called carried;
         * otherwise at least 2, the test needs their spread; the command line uses {@value Audit#DEFAULT_CONTROLS}).
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
            if (controls > 0 && controlFactory == null) {
                ControlModels.like(standalone); // a standalone model without a control architecture fails now, not after its audit
            }
            if (tokenizer == null) {
                tokenizer = ClipTokenizer.load();
            }
            List<Device> resolved = Device.resolveAll(devices);
            requireOneDevice(engine, resolved.size());
            resolved.forEach(d -> kernels.forDevice(d.torch())); // a missing kernel library fails now, not after the statistics pass
            clip.to(resolved.getFirst().torch()); // the text tower too: the caption probe embeds the captions once, there
            Audit audit = new Audit(this, DeviceWorkers.of(resolved, standalone, clip.visual()), new Shared(this));
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

        ClipModel clip() {
            return clip;
        }

        ClipTokenizer tokenizer() {
            return tokenizer;
        }

        CaptionSet captions() {
            return captions;
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
