package ansatz.nn.rfm;

/**
 * A Mahalanobis kernel: a {@link KernelType} and its bandwidth L. The metric M is supplied
 * separately (it changes every RFM iteration).
 *
 * @param type Laplace or Gaussian
 * @param bandwidth L, finite and &gt; 0
 */
public record Kernel(KernelType type, double bandwidth) {
  /** Validates the bandwidth. */
  public Kernel {
    if (type == null) throw new IllegalArgumentException("Kernel: type is null");
    Checks.bandwidth("Kernel", bandwidth);
  }

  /** {@return the Laplace kernel {@code exp(-||x - z||_M / L)}} */
  public static Kernel laplace(double bandwidth) {
    return new Kernel(KernelType.LAPLACE, bandwidth);
  }

  /** {@return the Gaussian kernel {@code exp(-||x - z||_M^2 / (2 L^2))}} */
  public static Kernel gaussian(double bandwidth) {
    return new Kernel(KernelType.GAUSSIAN, bandwidth);
  }

  /** {@return K for a squared Mahalanobis distance} */
  public double value(double r2) {
    return type.value(r2, bandwidth);
  }

  /** {@return w with {@code grad_x K(x, z) = w M (z - x)}, given K and the squared distance} */
  public double gradientWeight(double k, double r2) {
    return type.gradientWeight(k, r2, bandwidth);
  }
}
