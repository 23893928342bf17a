package io.capxai.attribution;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InformationBottleneckTest {
    private static final float[] X = {-2.5f, -0.3f, 0f, 0.7f, 1.9f, 4f};
    private static final float[] ALPHA = {-4f, -1f, 0f, 0.5f, 3f, 9f};

    /** KL(N(m, s^2) || N(0, 1)) = 0.5 * (s^2 + m^2 - 1 - ln s^2), computed independently in double. */
    private static double closedForm(double x, double alpha, double sigma) {
        double lambda = 1 / (1 + Math.exp(-alpha));
        double m = lambda * x / sigma;
        double s2 = (1 - lambda) * (1 - lambda);
        return 0.5 * (s2 + m * m - 1 - Math.log(s2));
    }

    @Test
    void klMatchesTheClosedFormOfTwoGaussians() {
        for (double sigma : new double[] {1.0, 0.5, 2.0}) {
            float[] kl = Tensors.toFloats(InformationBottleneck.kl(Tensors.fromFloats(X, 6), Tensors.fromFloats(ALPHA, 6), sigma));
            for (int i = 0; i < X.length; i++) {
                double expected = closedForm(X[i], ALPHA[i], sigma);
                assertEquals(expected, kl[i], 1e-4 * Math.max(1, Math.abs(expected)), "element " + i + " sigma " + sigma);
            }
        }
    }

    @Test
    void klStaysFiniteWhenLambdaIsAlmostOne() {
        float[] kl = Tensors.toFloats(InformationBottleneck.kl(Tensors.fromFloats(new float[] {1f}, 1),
                Tensors.fromFloats(new float[] {40f}, 1), 1.0));
        // log var = 2 log sigmoid(-40) = -80: finite where log((1 - sigmoid(40))^2) would be log(0)
        assertEquals(0.5 * (1 - 1 + 80), kl[0], 1e-3);
    }

    @Test
    void sampleIsLambdaXPlusScaledNoise() {
        Tensor x = Tensors.fromFloats(X, 6);
        Tensor alpha = Tensors.fromFloats(ALPHA, 6);
        float[] eps = {1f, -1f, 0.5f, 2f, -0.25f, 0f};
        float[] t = Tensors.toFloats(InformationBottleneck.sample(x, alpha, Tensors.fromFloats(eps, 6), 3.0));
        for (int i = 0; i < X.length; i++) {
            double lambda = 1 / (1 + Math.exp(-ALPHA[i]));
            assertEquals(lambda * X[i] + (1 - lambda) * 3.0 * eps[i], t[i], 1e-5);
        }
    }

    @Test
    void sigmaIsAChangeOfUnits() {
        // Measuring x in units of sigma: KL(x, sigma) == KL(x / sigma, 1).
        Tensor alpha = Tensors.fromFloats(ALPHA, 6);
        float[] scaled = new float[X.length];
        for (int i = 0; i < X.length; i++) {
            scaled[i] = X[i] / 2f;
        }
        assertArrayEquals(Tensors.toFloats(InformationBottleneck.kl(Tensors.fromFloats(scaled, 6), alpha, 1.0)),
                Tensors.toFloats(InformationBottleneck.kl(Tensors.fromFloats(X, 6), alpha, 2.0)), 1e-5f);
    }
}
