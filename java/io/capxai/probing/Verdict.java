package io.capxai.probing;

import java.util.ArrayList;
import java.util.List;

/**
 * Which concept a surgery variant carries into CLIP (docs/method.md#caption-probe-and-verdict): for every image the caption
 * argmax before surgery, after surgery, and of the influence (after - before), <b>all on the
 * same image</b>; correct/wrong hits per concept as shares of the images with 95 % Wilson
 * intervals; and the one-line answer, taken from the influence.
 *
 * @param variant  which surgery this is, e.g. {@code layer1..layer4} or {@code layer3 only}
 * @param answer   e.g. {@code dominant concept: colour, 78 % [74, 82]}
 */
public record Verdict(String variant, int images, List<String> captions,
                      Outcome before, Outcome after, Outcome influence, String answer) {
    public Verdict {
        captions = List.copyOf(captions);
    }

    /** The input of one variant: {@code similarities[image][caption]} before and after surgery, row = image. */
    public record Variant(String name, float[][] before, float[][] after) {}

    /** One verdict per variant (e.g. layer1..layer4 swapped one at a time, then cumulatively). */
    public static List<Verdict> ofAll(CaptionSet captions, ImageLabels labels, List<Variant> variants) {
        List<Verdict> out = new ArrayList<>();
        for (Variant v : variants) {
            out.add(of(v.name(), captions, labels, v.before(), v.after()));
        }
        return out;
    }

    /**
     * @param before cosine similarities of the L2-normalised image embeddings to every caption,
     *               {@code [images][captions]}, before surgery
     * @param after  the same images in the same rows, after surgery
     */
    public static Verdict of(String variant, CaptionSet captions, ImageLabels labels, float[][] before, float[][] after) {
        int n = labels.images();
        int c = captions.size();
        checkShape("before", before, n, c);
        checkShape("after", after, n, c);
        for (String concept : captions.conceptNames()) {
            if (!labels.concepts().contains(concept)) {
                throw new IllegalArgumentException("the images have no labels for concept '" + concept
                        + "'; labelled concepts: " + labels.concepts());
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("no images to evaluate");
        }
        int[] topBefore = new int[n];
        int[] topAfter = new int[n];
        int[] topInfluence = new int[n];
        for (int i = 0; i < n; i++) {
            topBefore[i] = argmax(before[i], null);
            topAfter[i] = argmax(after[i], null);
            topInfluence[i] = argmax(after[i], before[i]);
        }
        Outcome b = outcome("before", topBefore, captions, labels);
        Outcome a = outcome("after", topAfter, captions, labels);
        Outcome d = outcome("influence", topInfluence, captions, labels);
        return new Verdict(variant, n, captions.texts(), b, a, d, answer(d));
    }

    /** The dominant concept of the influence with its share and interval. */
    static String answer(Outcome influence) {
        ConceptHits top = influence.hits(influence.dominant());
        String line = "dominant concept: " + top.concept() + ", " + top.total().percent();
        for (ConceptHits other : influence.concepts()) {
            if (other != top && other.total().upper() >= top.total().lower()) {
                return line + " (not significant: overlaps " + other.concept() + " " + other.total().percent() + ")";
            }
        }
        return line;
    }

    private static Outcome outcome(String kind, int[] top, CaptionSet captions, ImageLabels labels) {
        int concepts = captions.concepts().size();
        long[] correct = new long[concepts];
        long[] wrong = new long[concepts];
        for (int i = 0; i < top.length; i++) {
            int concept = captions.conceptIndexOf(top[i]);
            String name = captions.concepts().get(concept).name();
            if (captions.caption(top[i]).label().equals(labels.label(i, name))) {
                correct[concept]++;
            } else {
                wrong[concept]++;
            }
        }
        List<ConceptHits> hits = new ArrayList<>();
        int dominant = 0;
        for (int k = 0; k < concepts; k++) {
            hits.add(new ConceptHits(captions.concepts().get(k).name(), Share.of(correct[k], top.length),
                    Share.of(wrong[k], top.length), Share.of(correct[k] + wrong[k], top.length)));
            if (correct[k] + wrong[k] > correct[dominant] + wrong[dominant]) {
                dominant = k;
            }
        }
        return new Outcome(kind, top, hits, hits.get(dominant).concept());
    }

    /** Column of the largest {@code row[k] - minus[k]} (minus may be null); ties: lowest column. */
    private static int argmax(float[] row, float[] minus) {
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < row.length; k++) {
            double value = minus == null ? row[k] : (double) row[k] - minus[k];
            if (value > bestValue) {
                bestValue = value;
                best = k;
            }
        }
        return best;
    }

    private static void checkShape(String what, float[][] sims, int images, int captions) {
        if (sims == null || sims.length != images) {
            throw new IllegalArgumentException(what + " similarities need one row per labelled image (" + images
                    + "), got " + (sims == null ? "none" : sims.length));
        }
        for (int i = 0; i < images; i++) {
            if (sims[i] == null || sims[i].length != captions) {
                throw new IllegalArgumentException(what + " similarities of image " + i + " need one value per caption ("
                        + captions + "), got " + (sims[i] == null ? "none" : sims[i].length));
            }
            for (int k = 0; k < captions; k++) {
                if (!Float.isFinite(sims[i][k])) {
                    throw new IllegalArgumentException(what + " similarity of image " + i + " to caption " + k
                            + " is " + sims[i][k]);
                }
            }
        }
    }
}
