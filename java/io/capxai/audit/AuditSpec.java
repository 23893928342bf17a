package io.capxai.audit;

import io.capxai.kernels.ResizeMode;
import io.capxai.models.ClipModel;
import io.capxai.models.Models;
import io.capxai.probing.CaptionSet;
import io.capxai.progress.ProgressListener;
import io.capxai.selection.Selection;
import io.capxai.tensors.Device;
import io.capxai.weights.StateDict;
import io.capxai.weights.Weights;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An audit described by files and command-line strings (what {@code capxai audit} takes), so that
 * any JVM can build the same {@link Audit}: the command line, or every worker of a cluster.
 *
 * @param statistics  a dataset spec for {@link AuditData#parse}
 * @param concepts    caption concepts file, or null for the paper's colored-MNIST captions
 * @param selection   a rule for {@link Selection#parse}
 * @param resize      bilinear or bicubic (surgery)
 * @param provenance  what identifies the models, recorded in partials (e.g. weight files' SHA-256)
 */
public record AuditSpec(String standalone, String clip, String statistics, String evaluation, String concepts,
                        String selection, String resize, String engine, int batchSize, Map<String, String> provenance)
        implements Serializable {
    public AuditSpec {
        provenance = Map.copyOf(provenance);
        Selection.parse(selection); // fail early, with the rule's message
        ResizeMode.valueOf(resize.toUpperCase());
        Audit.Engine.valueOf(engine.toUpperCase());
    }

    /** The same audit with its files found elsewhere (e.g. where a cluster copied them). */
    public AuditSpec withFiles(UnaryOperator<String> locate) {
        return new AuditSpec(locate.apply(standalone), locate.apply(clip), statistics, evaluation,
                concepts == null ? null : locate.apply(concepts), selection, resize, engine, batchSize, provenance);
    }

    /** How reports name the CLIP model: the weights' "name" metadata, else the file name. */
    public String clipName(StateDict clipWeights) {
        return clipWeights.metadata().getOrDefault("name", Path.of(clip).getFileName().toString());
    }

    /** Loads the models, data and captions, and builds the audit. */
    public Audit build(List<Device> devices, ProgressListener progress) {
        return builder(devices, progress).build();
    }

    /** The builder with everything loaded, for further settings (e.g. a merged partial). */
    public Audit.Builder builder(List<Device> devices, ProgressListener progress) {
        StateDict clipWeights = Weights.load(Path.of(clip));
        AuditData statsData = AuditData.parse(statistics);
        AuditData evalData = AuditData.parse(evaluation);
        CaptionSet captions;
        try {
            captions = concepts == null ? CaptionSet.coloredMnist() : CaptionSet.load(Path.of(concepts));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the concepts file " + concepts + ": " + e.getMessage(), e);
        }
        return Audit.builder()
                .standalone(Models.imageModel(Weights.load(Path.of(standalone)), Models.Architecture.AUTO))
                .clip(ClipModel.fromStateDict(clipWeights), clipName(clipWeights))
                .statistics(statsData.dataset())
                .evaluation(evalData.dataset())
                .labels(evalData.labels())
                .captions(captions)
                .selection(Selection.parse(selection))
                .resize(ResizeMode.valueOf(resize.toUpperCase()))
                .engine(Audit.Engine.valueOf(engine.toUpperCase()))
                .batchSize(batchSize)
                .devices(devices)
                .provenance(provenance)
                .progress(progress);
    }
}
