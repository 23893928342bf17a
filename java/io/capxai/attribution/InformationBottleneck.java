package io.capxai.attribution;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The per-element bottleneck of docs/method.md#m2ib, with lambda = sigmoid(alpha):
 * <pre>
 *   t  = lambda * x + (1 - lambda) * sigma * eps          eps ~ N(0, 1)
 *   KL = -0.5 * (1 + log var - mu^2 - var),  mu = lambda * x / sigma,  var = (1 - lambda)^2
 * </pre>
 * the KL divergence of N(mu, var) from the prior N(0, 1), both measured in units of sigma.
 * With sigma = 1 this is the reference code. {@code 1 - lambda} is computed as sigmoid(-alpha) and
 * log var as 2 log sigmoid(-alpha), so lambda close to 1 never takes a log of zero.
 */
public final class InformationBottleneck {
    private InformationBottleneck() {}

    /** lambda = sigmoid(alpha), the share of each element let through. */
    public static Tensor lambda(Tensor alpha) {
        return torch.sigmoid(alpha);
    }

    /** The bottleneck output t for features x (broadcast against alpha and eps). */
    public static Tensor sample(Tensor x, Tensor alpha, Tensor eps, double sigma) {
        Tensor passThrough = torch.sigmoid(alpha).mul(x);
        Tensor noise = torch.sigmoid(alpha.neg()).mul(eps.mul(new Scalar(sigma)));
        return passThrough.add(noise);
    }

    /** Element-wise KL(N(lambda x / sigma, (1-lambda)^2) || N(0, 1)); shape of x broadcast with alpha. */
    public static Tensor kl(Tensor x, Tensor alpha, double sigma) {
        Tensor mu = torch.sigmoid(alpha).mul(x).div(new Scalar(sigma));
        Tensor var = torch.sigmoid(alpha.neg()).square();
        Tensor logVar = torch.log_sigmoid(alpha.neg()).mul(new Scalar(2.0));
        // -0.5 * (1 + log var - mu^2 - var)
        return logVar.add(new Scalar(1.0)).sub(mu.square()).sub(var).mul(new Scalar(-0.5));
    }
}
