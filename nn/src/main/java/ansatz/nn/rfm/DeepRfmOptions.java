package ansatz.nn.rfm;

/**
 * Settings of {@link DeepRfm}. Start from {@link #defaults()} and change what you need.
 *
 * @param layers number of layers (default 8)
 * @param kernel kernel of each layer's RFM step (default Laplace)
 * @param bandwidth L of each layer's RFM step (default 2)
 * @param ridge lambda of each layer's kernel ridge fit (default 1e-3)
 * @param centerGradients gradient centering in the AGOP (default off)
 * @param agopSamples AGOP evaluated at a random subsample of at most this many points (default 2000)
 * @param map the random map after the projection (default ReLU)
 * @param width its number of features (default 512)
 * @param fourierBandwidth sigma of the Laplace random Fourier features (default 1; unused for ReLU)
 * @param seed seed of the random maps and subsamples (default 0)
 */
public record DeepRfmOptions(
    int layers,
    KernelType kernel,
    double bandwidth,
    double ridge,
    boolean centerGradients,
    int agopSamples,
    RandomMapType map,
    int width,
    double fourierBandwidth,
    long seed) {

  /** Validates every setting. */
  public DeepRfmOptions {
    Checks.positive("DeepRfmOptions", "layers", layers);
    if (kernel == null) throw new IllegalArgumentException("DeepRfmOptions: kernel is null");
    Checks.bandwidth("DeepRfmOptions", bandwidth);
    Checks.ridge("DeepRfmOptions", ridge);
    Checks.positive("DeepRfmOptions", "agopSamples", agopSamples);
    if (map == null) throw new IllegalArgumentException("DeepRfmOptions: map is null");
    Checks.positive("DeepRfmOptions", "width", width);
    Checks.bandwidth("DeepRfmOptions (fourierBandwidth)", fourierBandwidth);
  }

  /** {@return 8 layers, Laplace L = 2, lambda = 1e-3, no centering, ReLU width 512} */
  public static DeepRfmOptions defaults() {
    return new DeepRfmOptions(8, KernelType.LAPLACE, 2, 1e-3, false, 2000, RandomMapType.RELU, 512, 1, 0);
  }

  /** {@return a copy with {@code layers} layers} */
  public DeepRfmOptions withLayers(int v) {
    return new DeepRfmOptions(v, kernel, bandwidth, ridge, centerGradients, agopSamples, map, width, fourierBandwidth, seed);
  }

  /** {@return a copy with this kernel type} */
  public DeepRfmOptions withKernel(KernelType v) {
    return new DeepRfmOptions(layers, v, bandwidth, ridge, centerGradients, agopSamples, map, width, fourierBandwidth, seed);
  }

  /** {@return a copy with this bandwidth L} */
  public DeepRfmOptions withBandwidth(double v) {
    return new DeepRfmOptions(layers, kernel, v, ridge, centerGradients, agopSamples, map, width, fourierBandwidth, seed);
  }

  /** {@return a copy with this ridge lambda} */
  public DeepRfmOptions withRidge(double v) {
    return new DeepRfmOptions(layers, kernel, bandwidth, v, centerGradients, agopSamples, map, width, fourierBandwidth, seed);
  }

  /** {@return a copy with gradient centering on or off} */
  public DeepRfmOptions withCenterGradients(boolean v) {
    return new DeepRfmOptions(layers, kernel, bandwidth, ridge, v, agopSamples, map, width, fourierBandwidth, seed);
  }

  /** {@return a copy with this AGOP subsample size} */
  public DeepRfmOptions withAgopSamples(int v) {
    return new DeepRfmOptions(layers, kernel, bandwidth, ridge, centerGradients, v, map, width, fourierBandwidth, seed);
  }

  /** {@return a copy with this random map} */
  public DeepRfmOptions withMap(RandomMapType v) {
    return new DeepRfmOptions(layers, kernel, bandwidth, ridge, centerGradients, agopSamples, v, width, fourierBandwidth, seed);
  }

  /** {@return a copy with this map width} */
  public DeepRfmOptions withWidth(int v) {
    return new DeepRfmOptions(layers, kernel, bandwidth, ridge, centerGradients, agopSamples, map, v, fourierBandwidth, seed);
  }

  /** {@return a copy with this Fourier-feature bandwidth sigma} */
  public DeepRfmOptions withFourierBandwidth(double v) {
    return new DeepRfmOptions(layers, kernel, bandwidth, ridge, centerGradients, agopSamples, map, width, v, seed);
  }

  /** {@return a copy with this seed} */
  public DeepRfmOptions withSeed(long v) {
    return new DeepRfmOptions(layers, kernel, bandwidth, ridge, centerGradients, agopSamples, map, width, fourierBandwidth, v);
  }
}
