package ansatz.nn.rfm;

/**
 * Settings of a Recursive Feature Machine ({@link Rfm}). Start from {@link #defaults()} and change
 * what you need with the {@code with...} methods.
 *
 * @param kernel Laplace (default) or Gaussian
 * @param bandwidth L (default 10)
 * @param ridge lambda of kernel ridge regression (default 1e-3)
 * @param iterations T, the number of M updates (default 5); a final fit with the last M follows
 * @param centerGradients subtract each output's mean gradient before the outer products (default off)
 * @param normalizeByMax divide each new M by its largest absolute entry (default off)
 * @param diagonalOnly keep only the diagonal of M (default off)
 * @param agopSamples the AGOP is evaluated at a random subsample of at most this many training
 *     points, drawn afresh each iteration (default 2000)
 * @param seed seed of the subsample draws (default 0)
 * @param classification also report accuracy (default off)
 * @param keepHistory keep every iteration's M in the result (default on)
 */
public record RfmOptions(
    KernelType kernel,
    double bandwidth,
    double ridge,
    int iterations,
    boolean centerGradients,
    boolean normalizeByMax,
    boolean diagonalOnly,
    int agopSamples,
    long seed,
    boolean classification,
    boolean keepHistory) {

  /** Validates every setting. */
  public RfmOptions {
    if (kernel == null) throw new IllegalArgumentException("RfmOptions: kernel is null");
    Checks.bandwidth("RfmOptions", bandwidth);
    Checks.ridge("RfmOptions", ridge);
    if (iterations < 0) throw new IllegalArgumentException("RfmOptions: iterations must be >= 0, got " + iterations);
    Checks.positive("RfmOptions", "agopSamples", agopSamples);
  }

  /** {@return L = 10, lambda = 1e-3, T = 5, Laplace, no centering/normalization, full M, 2000 AGOP samples} */
  public static RfmOptions defaults() {
    return new RfmOptions(KernelType.LAPLACE, 10, 1e-3, 5, false, false, false, 2000, 0, false, true);
  }

  /** {@return the kernel object for these settings} */
  public Kernel kernelObject() {
    return new Kernel(kernel, bandwidth);
  }

  /** {@return a copy with the kernel type set to {@code v}} */
  public RfmOptions withKernel(KernelType v) {
    return new RfmOptions(v, bandwidth, ridge, iterations, centerGradients, normalizeByMax, diagonalOnly, agopSamples, seed, classification, keepHistory);
  }

  /** {@return a copy with bandwidth L set to {@code v}} */
  public RfmOptions withBandwidth(double v) {
    return new RfmOptions(kernel, v, ridge, iterations, centerGradients, normalizeByMax, diagonalOnly, agopSamples, seed, classification, keepHistory);
  }

  /** {@return a copy with ridge lambda set to {@code v}} */
  public RfmOptions withRidge(double v) {
    return new RfmOptions(kernel, bandwidth, v, iterations, centerGradients, normalizeByMax, diagonalOnly, agopSamples, seed, classification, keepHistory);
  }

  /** {@return a copy with number of M updates T set to {@code v}} */
  public RfmOptions withIterations(int v) {
    return new RfmOptions(kernel, bandwidth, ridge, v, centerGradients, normalizeByMax, diagonalOnly, agopSamples, seed, classification, keepHistory);
  }

  /** {@return a copy with gradient centering on or off set to {@code v}} */
  public RfmOptions withCenterGradients(boolean v) {
    return new RfmOptions(kernel, bandwidth, ridge, iterations, v, normalizeByMax, diagonalOnly, agopSamples, seed, classification, keepHistory);
  }

  /** {@return a copy with M / max entry on or off set to {@code v}} */
  public RfmOptions withNormalizeByMax(boolean v) {
    return new RfmOptions(kernel, bandwidth, ridge, iterations, centerGradients, v, diagonalOnly, agopSamples, seed, classification, keepHistory);
  }

  /** {@return a copy with diagonal-only M on or off set to {@code v}} */
  public RfmOptions withDiagonalOnly(boolean v) {
    return new RfmOptions(kernel, bandwidth, ridge, iterations, centerGradients, normalizeByMax, v, agopSamples, seed, classification, keepHistory);
  }

  /** {@return a copy with AGOP subsample size set to {@code v}} */
  public RfmOptions withAgopSamples(int v) {
    return new RfmOptions(kernel, bandwidth, ridge, iterations, centerGradients, normalizeByMax, diagonalOnly, v, seed, classification, keepHistory);
  }

  /** {@return a copy with subsample seed set to {@code v}} */
  public RfmOptions withSeed(long v) {
    return new RfmOptions(kernel, bandwidth, ridge, iterations, centerGradients, normalizeByMax, diagonalOnly, agopSamples, v, classification, keepHistory);
  }

  /** {@return a copy with accuracy reporting on or off set to {@code v}} */
  public RfmOptions withClassification(boolean v) {
    return new RfmOptions(kernel, bandwidth, ridge, iterations, centerGradients, normalizeByMax, diagonalOnly, agopSamples, seed, v, keepHistory);
  }

  /** {@return a copy with M history on or off set to {@code v}} */
  public RfmOptions withKeepHistory(boolean v) {
    return new RfmOptions(kernel, bandwidth, ridge, iterations, centerGradients, normalizeByMax, diagonalOnly, agopSamples, seed, classification, v);
  }
}
