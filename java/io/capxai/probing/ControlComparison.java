package io.capxai.probing;

import java.util.Locale;

/**
 * The pre-registered test of whether a model carries a concept beyond what a network with random
 * weights carries (bench/RESULTS.md, docs/verdict.md): the model's after-surgery within-concept
 * accuracy {@code a} on {@code n} images against the after-surgery accuracies of K random-weight
 * controls (mean {@code m}, sample standard deviation {@code s}), one-sided,
 * <pre>
 *   z = (a - m) / sqrt(s^2 (1 + 1/K) + p~(1 - p~) / n),   p~ = (correct + 2) / (n + 4),   p = 1 - Phi(z)
 * </pre>
 * The first term is the spread of a new draw from the controls' population around their mean
 * (its between-network and binomial variation, plus the uncertainty of the mean); the second is
 * the model's own binomial variance (Agresti-Coull centre, so that it stays positive at 0 % and
 * 100 % and a test never divides by zero when K controls happen to agree exactly).
 * The concept is {@link Direction#ABOVE} the controls when {@code p < }{@value #ALPHA},
 * {@link Direction#BELOW} them when the lower tail {@code Phi(z) < }{@value #ALPHA}, else
 * {@link Direction#NOT_ABOVE}.
 *
 * @param effect the difference {@code a - m} in accuracy (the effect size; z is it in standard errors)
 */
public record ControlComparison(double model, int images, double controlMean, double controlSd, int controls,
                                double effect, double z, double pValue, Direction direction) {
    /** The test's level, fixed before any outcome was looked at. */
    public static final double ALPHA = 0.05;

    public enum Direction { ABOVE, NOT_ABOVE, BELOW }

    /**
     * @param modelCorrect images the model's within-concept argmax gets right after surgery
     * @param images       images scored
     * @param controls     each control's after-surgery accuracy on the same images (at least 2)
     */
    public static ControlComparison test(long modelCorrect, int images, double[] controls) {
        if (images <= 0 || modelCorrect < 0 || modelCorrect > images) {
            throw new IllegalArgumentException("need 0 <= correct <= images and images > 0, got " + modelCorrect + " of " + images);
        }
        if (controls == null || controls.length < 2) {
            throw new IllegalArgumentException("the control test needs at least 2 controls, got "
                    + (controls == null ? 0 : controls.length));
        }
        int k = controls.length;
        for (double c : controls) {
            if (!(c >= 0 && c <= 1)) {
                throw new IllegalArgumentException("a control accuracy must lie in [0, 1], got " + c);
            }
        }
        Spread spread = Spread.of(controls);
        double mean = spread.mean();
        double sd = spread.sd();
        double a = (double) modelCorrect / images;
        double pTilde = (modelCorrect + 2.0) / (images + 4.0);
        double se = Math.sqrt(sd * sd * (1 + 1.0 / k) + pTilde * (1 - pTilde) / images);
        double z = (a - mean) / se;
        double p = upperTail(z);
        Direction d = p < ALPHA ? Direction.ABOVE : 1 - p < ALPHA ? Direction.BELOW : Direction.NOT_ABOVE;
        return new ControlComparison(a, images, mean, sd, k, a - mean, z, p, d);
    }

    public boolean carried() {
        return direction == Direction.ABOVE;
    }

    /** {@code 1 - Phi(z)}, the standard normal's upper tail. */
    static double upperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /** Complementary error function, Chebyshev fit with fractional error below 1.2e-7 (Numerical Recipes' erfcc). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /** e.g. {@code p = 0.021} or {@code p < 0.001}. */
    public String pText() {
        return pValue < 0.001 ? "p < 0.001" : String.format(Locale.ROOT, "p = %.3f", pValue);
    }
}
