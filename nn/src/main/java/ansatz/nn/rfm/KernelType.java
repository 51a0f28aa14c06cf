package ansatz.nn.rfm;

/**
 * The two radial kernels RFM uses, as functions of the squared Mahalanobis distance
 * {@code r2 = ||x - z||_M^2} and the bandwidth {@code L}:
 *
 * <ul>
 *   <li>{@link #LAPLACE}: {@code K = exp(-sqrt(r2) / L)} (the RFM default);
 *   <li>{@link #GAUSSIAN}: {@code K = exp(-r2 / (2 L^2))} (the convention of the RFM authors, so
 *       {@code L} is the standard deviation of the Gaussian bump).
 * </ul>
 *
 * <p>Both gradients have the form {@code grad_x K(x, z) = w * M (z - x)} with a scalar weight
 * {@code w} ({@link #gradientWeight}), which is what lets the AGOP be computed with matrix products.
 */
public enum KernelType {
  /** {@code exp(-||x - z||_M / L)}. */
  LAPLACE {
    @Override
    public double value(double r2, double bandwidth) {
      return Math.exp(-Math.sqrt(Math.max(r2, 0)) / bandwidth);
    }

    @Override
    public double gradientWeight(double k, double r2, double bandwidth) {
      double r = Math.sqrt(Math.max(r2, 0));
      // The Laplace kernel has a cusp at r = 0; by convention that (self) term contributes nothing.
      return r < SELF_DISTANCE ? 0 : k / (bandwidth * r);
    }
  },
  /** {@code exp(-||x - z||_M^2 / (2 L^2))}. */
  GAUSSIAN {
    @Override
    public double value(double r2, double bandwidth) {
      return Math.exp(-Math.max(r2, 0) / (2 * bandwidth * bandwidth));
    }

    @Override
    public double gradientWeight(double k, double r2, double bandwidth) {
      return k / (bandwidth * bandwidth);
    }
  };

  /** Distances below this count as zero: the Laplace kernel's self term is dropped from gradients. */
  public static final double SELF_DISTANCE = 1e-10;

  /**
   * @param r2 squared Mahalanobis distance (negative rounding noise is treated as 0)
   * @param bandwidth L &gt; 0
   * @return the kernel value
   */
  public abstract double value(double r2, double bandwidth);

  /**
   * @param k the kernel value at this distance ({@link #value})
   * @param r2 the squared distance
   * @param bandwidth L
   * @return w such that {@code grad_x K(x, z) = w M (z - x)}
   */
  public abstract double gradientWeight(double k, double r2, double bandwidth);
}
