package ansatz.nn.rfm;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.kernel.Gemm;

/**
 * A drawn instance of a {@link RandomMapType}: weights fixed once from an explicit {@link Rng}.
 * See {@link RandomMapType} for the two maps and their scalings.
 */
final class RandomMap {
  final RandomMapType type;
  final int inputs;
  final int width;
  /** W (ReLU) or Omega (Fourier), width x inputs row-major. */
  private final double[] weights;
  /** Fourier phases b, or null. */
  private final double[] phase;

  private RandomMap(RandomMapType type, int inputs, int width, double[] weights, double[] phase) {
    this.type = type;
    this.inputs = inputs;
    this.width = width;
    this.weights = weights;
    this.phase = phase;
  }

  /**
   * @param sigma the Laplace bandwidth of the Fourier features (ignored for ReLU)
   */
  static RandomMap draw(RandomMapType type, Rng rng, int inputs, int width, double sigma) {
    double[] w = new double[width * inputs];
    if (type == RandomMapType.RELU) {
      double sd = 1 / Math.sqrt(inputs);
      for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian() * sd;
      return new RandomMap(type, inputs, width, w, null);
    }
    double[] phase = new double[width];
    for (int k = 0; k < width; k++) {
      double u = Math.abs(rng.nextGaussian());
      for (int j = 0; j < inputs; j++) w[k * inputs + j] = rng.nextGaussian() / (sigma * u);
      phase[k] = 2 * Math.PI * rng.nextDouble();
    }
    return new RandomMap(type, inputs, width, w, phase);
  }

  /** Maps the rows of x (n x inputs) to n x width, in x's type. */
  Rows apply(Rows x) {
    Rows out = Rows.zeros(x.dtype(), x.n, width);
    int d = x.cols;
    if (x.dtype() == DType.FLOAT32) {
      float[] wf = new float[weights.length];
      for (int i = 0; i < weights.length; i++) wf[i] = (float) weights[i];
      Gemm.sgemm(false, true, x.n, width, d, 1f, x.f, 0, d, wf, 0, d, 0f, out.f, 0, width);
    } else {
      Gemm.dgemm(false, true, x.n, width, d, 1.0, x.d, 0, d, weights, 0, d, 0.0, out.d, 0, width);
    }
    if (type == RandomMapType.RELU) {
      if (out.f != null) for (int i = 0; i < out.f.length; i++) out.f[i] = Math.max(out.f[i], 0f);
      else for (int i = 0; i < out.d.length; i++) out.d[i] = Math.max(out.d[i], 0.0);
    } else {
      double scale = Math.sqrt(2.0 / width);
      for (int i = 0; i < out.n; i++) for (int k = 0; k < width; k++) out.set(i, k, scale * Math.cos(out.get(i, k) + phase[k]));
    }
    return out;
  }
}
