package io.capxai.probing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How much of one concept survives a surgery variant: the accuracy of the argmax among that
 * concept's captions only (e.g. red vs green), scored against the images' true labels, before
 * surgery (the probe's ceiling) and after it, next to chance (1 / captions of the concept), and
 * the retained share {@code (after - chance) / (before - chance)}.
 *
 * <p>Only images whose label for the concept is one of its captions' labels are scored (a grey
 * digit has no colour caption). Accuracies carry 95 % Wilson intervals; the retained share a 95 %
 * percentile bootstrap interval over images ({@value #BOOTSTRAP_RESAMPLES} resamples, seed
 * {@value #BOOTSTRAP_SEED}; resamples whose "before" is not above chance have no ratio and are left out).
 *
 * @param images   scored images (labels among the concept's captions)
 * @param retained the retained share; NaN (with NaN bounds) when "before" is not above chance
 */
public record ConceptInformation(String concept, int captions, double chance, int images, Share before, Share after,
                                 double retained, double retainedLower, double retainedUpper) {
    public static final int BOOTSTRAP_RESAMPLES = 2000;
    public static final long BOOTSTRAP_SEED = 20261204L;

    /** Per-image correctness of the within-concept argmax, for the scored images only. */
    record Scored(boolean[] before, boolean[] after) {}

    /**
     * @param before similarities {@code [images][captions]} before surgery (columns follow {@code captions})
     * @param after  the same images and columns after surgery
     */
    public static ConceptInformation of(String concept, CaptionSet captions, ImageLabels labels,
                                        float[][] before, float[][] after) {
        Concept c = captions.concepts().get(conceptIndex(captions, concept));
        Scored s = score(captions, labels, concept, before, after);
        int n = s.before().length;
        if (n == 0) {
            throw new IllegalArgumentException("no evaluated image has a label of concept '" + concept + "' among its captions' labels "
                    + c.captions().stream().map(Caption::label).toList());
        }
        double chance = 1.0 / c.captions().size();
        Share b = Share.of(count(s.before()), n);
        Share a = Share.of(count(s.after()), n);
        double[] interval = bootstrap(s, chance);
        return new ConceptInformation(concept, c.captions().size(), chance, n, b, a, retained(b.value(), a.value(), chance),
                interval[0], interval[1]);
    }

    /** One entry per concept of {@code captions}, in caption-set order. */
    public static List<ConceptInformation> ofAll(CaptionSet captions, ImageLabels labels, float[][] before, float[][] after) {
        List<ConceptInformation> out = new ArrayList<>();
        for (String concept : captions.conceptNames()) {
            out.add(of(concept, captions, labels, before, after));
        }
        return out;
    }

    /** {@code (after - chance) / (before - chance)}; NaN when before is not above chance. */
    public static double retained(double before, double after, double chance) {
        return before > chance ? (after - chance) / (before - chance) : Double.NaN;
    }

    /** Within-concept argmax correctness before and after, on the images labelled with one of the concept's captions. */
    static Scored score(CaptionSet captions, ImageLabels labels, String concept, float[][] before, float[][] after) {
        int k = conceptIndex(captions, concept);
        int first = 0;
        for (int i = 0; i < k; i++) {
            first += captions.concepts().get(i).captions().size();
        }
        List<Caption> own = captions.concepts().get(k).captions();
        List<String> ownLabels = own.stream().map(Caption::label).toList();
        if (before.length != labels.images() || after.length != labels.images()) {
            throw new IllegalArgumentException("similarities for " + before.length + " / " + after.length + " images, but "
                    + labels.images() + " are labelled");
        }
        List<Boolean> b = new ArrayList<>();
        List<Boolean> a = new ArrayList<>();
        for (int i = 0; i < labels.images(); i++) {
            String truth = labels.label(i, concept);
            if (!ownLabels.contains(truth)) {
                continue;
            }
            b.add(own.get(argmax(before[i], first, own.size(), i)).label().equals(truth));
            a.add(own.get(argmax(after[i], first, own.size(), i)).label().equals(truth));
        }
        boolean[] bb = new boolean[b.size()];
        boolean[] aa = new boolean[a.size()];
        for (int i = 0; i < bb.length; i++) {
            bb[i] = b.get(i);
            aa[i] = a.get(i);
        }
        return new Scored(bb, aa);
    }

    /** Offset of the largest of {@code row[first .. first+n)} (ties: the lowest column). */
    private static int argmax(float[] row, int first, int n, int image) {
        if (row.length < first + n) {
            throw new IllegalArgumentException("image " + image + " has " + row.length + " similarities, the captions need "
                    + (first + n));
        }
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (!Float.isFinite(row[first + j])) {
                throw new IllegalArgumentException("similarity of image " + image + " to caption " + (first + j) + " is " + row[first + j]);
            }
            if (row[first + j] > row[first + best]) {
                best = j;
            }
        }
        return best;
    }

    private static double[] bootstrap(Scored s, double chance) {
        int n = s.before().length;
        Random rng = new Random(BOOTSTRAP_SEED);
        double[] ratios = new double[BOOTSTRAP_RESAMPLES];
        int defined = 0;
        for (int r = 0; r < BOOTSTRAP_RESAMPLES; r++) {
            int b = 0;
            int a = 0;
            for (int i = 0; i < n; i++) {
                int pick = rng.nextInt(n);
                b += s.before()[pick] ? 1 : 0;
                a += s.after()[pick] ? 1 : 0;
            }
            double ratio = retained((double) b / n, (double) a / n, chance);
            if (!Double.isNaN(ratio)) {
                ratios[defined++] = ratio;
            }
        }
        if (defined == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] sorted = java.util.Arrays.copyOf(ratios, defined);
        java.util.Arrays.sort(sorted);
        return new double[] {quantile(sorted, 0.025), quantile(sorted, 0.975)};
    }

    /** Linear interpolation between order statistics (type 7, as R's and numpy's default). */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static long count(boolean[] xs) {
        long n = 0;
        for (boolean x : xs) {
            n += x ? 1 : 0;
        }
        return n;
    }

    private static int conceptIndex(CaptionSet captions, String concept) {
        int k = captions.conceptNames().indexOf(concept);
        if (k < 0) {
            throw new IllegalArgumentException("no concept '" + concept + "' among the captions' concepts " + captions.conceptNames());
        }
        return k;
    }

    /** e.g. {@code 0.97 [0.93, 1.00]}, or {@code undefined (before at chance)}. */
    public String retainedText() {
        if (Double.isNaN(retained)) {
            return "undefined (before surgery not above chance)";
        }
        return String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", retained, retainedLower, retainedUpper);
    }
}
