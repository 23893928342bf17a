package io.capxai.cli;

import io.capxai.concepts.ConVis;
import io.capxai.concepts.ConceptHierarchy;
import io.capxai.concepts.ConceptMapFiles;
import io.capxai.concepts.ConceptText;
import io.capxai.concepts.ConceptEmbeddings;
import io.capxai.concepts.RankSweep;
import io.capxai.concepts.SweepGeometry;
import io.capxai.data.ClipPreprocess;
import io.capxai.data.ImageFolderDataset;
import io.capxai.models.ClipModel;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.progress.ProgressBars;
import io.capxai.weights.Safetensors;
import io.capxai.weights.Weights;
import io.capxai.wordnet.Concept;
import io.capxai.wordnet.WordNet;
import org.bytedeco.pytorch.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code capxai concept}: ConVis saliency of a WordNet concept on a CLIP embedding; or, with
 * {@code --all-concepts}, the one-sweep ranks for later queries ({@code --sweep}); or
 * {@code --list-hyponyms WORD}.
 */
@Command(name = "concept", mixinStandardHelpOptions = true,
        description = "ConVis: where in the image does the CLIP embedding see a WordNet concept (no gradients).")
public final class ConceptCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--clip", description = "CLIP weights (OpenAI TorchScript, state dict or safetensors).")
    Path clip;

    @Option(names = "--model-name", description = "How outputs name the model (default: CLIP-style model trained locally (<file>)).")
    String modelName;

    @Option(names = "--image", description = "Image file (PNG, JPEG).")
    Path image;

    @Option(names = "--concept", description = "Word, synset id (n02084071) or NLTK name (bird.n.01).")
    String concept;

    @Option(names = "--out", description = "Output directory.")
    Path out;

    @Option(names = "--all-concepts", description = "Sweep once and write the ranks of all synsets (sweep.safetensors).")
    boolean allConcepts;

    @Option(names = "--sweep", description = "A sweep.safetensors from --all-concepts: map --concept from it, no model needed.")
    Path sweep;

    @Option(names = "--list-hyponyms", paramLabel = "WORD", description = "Print the concept, its gloss and its hyponyms in WordNet.")
    String listHyponyms;

    @Option(names = "--vocabulary", description = "Vocabulary file (one word per line) for the hierarchy; default: the built-in list.")
    Path vocabulary;

    @Option(names = "--all-nouns", description = "Use all 82,115 WordNet noun synsets as the hierarchy.")
    boolean allNouns;

    @Option(names = "--text", defaultValue = "gloss", description = "gloss or lemmas (default: ${DEFAULT-VALUE}).")
    String text;

    @Option(names = "--method", defaultValue = "grid", description = "grid or stochastic (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--box-sizes", split = ",", description = "Box sides in pixels (default: 128,64 scaled to the input).")
    int[] boxSizes;

    @Option(names = "--stride", description = "Box stride in pixels (default: 16 scaled to the input).")
    Integer stride;

    @Option(names = "--border", description = "Noise border in pixels (default: 128 scaled to the input).")
    Integer border;

    @Option(names = "--batch", defaultValue = "64", description = "Boxes per encoder batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the noise border and sampler (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        WordNet wn = WordNet.get();
        if (listHyponyms != null) {
            Concept c = wn.resolve(listHyponyms);
            stdout.println(c + ": " + c.gloss());
            for (Concept h : c.allHyponyms()) {
                stdout.println("  " + h + ": " + h.gloss());
            }
            return 0;
        }
        if (out == null) {
            throw new ParameterException(spec.commandLine(), "--out is required");
        }
        ConceptHierarchy hierarchy = allNouns ? ConceptHierarchy.allNouns(wn)
                : vocabulary != null ? ConceptHierarchy.fromWords(wn, ConceptHierarchy.readVocabulary(vocabulary))
                : ConceptHierarchy.defaultHierarchy(wn);
        Files.createDirectories(out);
        if (sweep != null) {
            Concept c = requireConcept(wn);
            long t0 = System.nanoTime();
            RankSweep s = RankSweep.load(sweep, hierarchy);
            float[] map = s.map(c);
            Map<String, String> options = new LinkedHashMap<>(Safetensors.read(sweep).metadata());
            options.put("sweep", sweep.toString());
            options.put("method", "grid (from a saved sweep)");
            writeMap(map, s.geometry().resolution(), c, hierarchy, options, t0);
            return 0;
        }
        if (clip == null || image == null) {
            throw new ParameterException(spec.commandLine(), "--clip and --image are required (or --sweep, or --list-hyponyms)");
        }
        if (!allConcepts) {
            requireConcept(wn);
        }
        ClipModel model = ClipModel.fromStateDict(Weights.load(clip));
        model.to(device.torch());
        String name = modelName != null ? modelName : "CLIP-style model trained locally (" + clip.getFileName() + ")";
        int r = Math.toIntExact(model.config().imageResolution());
        ConVis convis = ConVis.forClip(model, ClipTokenizer.load(), hierarchy, ConceptText.parse(text),
                new ConVis.Options(geometry(r), batch, seed), ConceptEmbeddings.defaultCacheDir(), new ProgressBars());
        Tensor input = ClipPreprocess.clip(r).apply(ImageFolderDataset.read(image)).to(device.torch(),
                org.bytedeco.pytorch.global.torch.ScalarType.Float);
        Map<String, String> options = new LinkedHashMap<>(convis.options().describe());
        options.put("model", name);
        options.put("text", text);
        options.put("hierarchy", hierarchy.description() + ", " + hierarchy.size() + " synsets");
        long t0 = System.nanoTime();
        if (allConcepts) {
            RankSweep s = convis.sweep(input);
            s.save(out.resolve("sweep.safetensors"), options);
            stdout.printf("swept %d boxes x %d synsets in %.2f s: %s%n", s.boxCount(), hierarchy.size(),
                    (System.nanoTime() - t0) / 1e9, out.resolve("sweep.safetensors"));
            if (concept == null) {
                return 0;
            }
            t0 = System.nanoTime();
            Concept c = requireConcept(wn);
            writeMap(s.map(c), r, c, hierarchy, withMethod(options, "grid (one sweep)"), t0);
            return 0;
        }
        Concept c = requireConcept(wn);
        float[] map = switch (method) {
            case "grid" -> convis.gridMap(input, c);
            case "stochastic" -> convis.stochasticMap(input, c, ConVis.Stochastic.PAPER);
            default -> throw new ParameterException(spec.commandLine(), "--method must be grid or stochastic, got " + method);
        };
        writeMap(map, r, c, hierarchy, withMethod(options, method), t0);
        return 0;
    }

    private SweepGeometry geometry(int r) {
        SweepGeometry d = SweepGeometry.scaledTo(r);
        return new SweepGeometry(r, border != null ? border : d.border(), boxSizes != null ? boxSizes : d.boxSizes(),
                stride != null ? stride : d.stride());
    }

    private Concept requireConcept(WordNet wn) {
        if (concept == null) {
            throw new ParameterException(spec.commandLine(), "--concept is required");
        }
        return wn.resolve(concept);
    }

    private static Map<String, String> withMethod(Map<String, String> options, String method) {
        Map<String, String> m = new LinkedHashMap<>(options);
        m.put("method", method);
        return m;
    }

    /** Writes the map's files; the time since {@code t0} (nanoseconds) is the map's cost. */
    private void writeMap(float[] map, int r, Concept c, ConceptHierarchy hierarchy, Map<String, String> options, long t0) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        ConceptMapFiles.write(out, map, r, c, hierarchy, options, seconds);
        spec.commandLine().getOut().printf("%s (subtree of %s synsets): map in %s (%.2f s)%n", c.nltkName(),
                hierarchy.subtree(c).length, out, seconds);
    }
}
