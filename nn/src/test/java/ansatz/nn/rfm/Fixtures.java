package ansatz.nn.rfm;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;

/** Test data and slow, obviously-correct reference computations. */
final class Fixtures {
  private Fixtures() {}

  /** @return a random symmetric PSD d x d matrix A A^T / d (float64), full rank almost surely */
  static Tensor randomMetric(Rng rng, int d) {
    Tensor a = Tensor.randn(rng, DType.FLOAT64, d, d);
    return a.matmul(a.t()).div(d);
  }

  /** @return a random diagonal metric with entries in [0.5, 1.5) */
  static Tensor randomDiagonalMetric(Rng rng, int d) {
    double[] m = new double[d * d];
    for (int i = 0; i < d; i++) m[i * d + i] = 0.5 + rng.nextDouble();
    return Tensor.wrap(m, d, d);
  }

  /** @return ||x - z||_M^2 computed directly as (x - z)^T M (x - z) */
  static double squaredDistance(double[] x, int i, double[] z, int j, double[] m, int d) {
    double s = 0;
    for (int a = 0; a < d; a++) {
      double da = x[i * d + a] - z[j * d + a];
      for (int b = 0; b < d; b++) s += da * m[a * d + b] * (x[i * d + b] - z[j * d + b]);
    }
    return Math.max(s, 0);
  }

  /** The kernel matrix by the definition, one pair at a time. */
  static double[] naiveKernel(Tensor x, Tensor z, Tensor m, Kernel kernel) {
    int n = x.size(0), p = z.size(0), d = x.size(1);
    double[] xd = x.toDoubleArray(), zd = z.toDoubleArray(), md = m.toDoubleArray();
    double[] out = new double[n * p];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        double r2 = squaredDistance(xd, i, zd, j, md, d);
        out[i * p + j] = kernel.type() == KernelType.LAPLACE
            ? Math.exp(-Math.sqrt(r2) / kernel.bandwidth())
            : Math.exp(-r2 / (2 * kernel.bandwidth() * kernel.bandwidth()));
      }
    }
    return out;
  }

  /** x1 * x2 regression data: x ~ N(0, I_d), y = x_0 x_1. @return {x (n x d), y (n x 1)} float64 */
  static Tensor[] productTask(Rng rng, int n, int d) {
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, d);
    Tensor y = x.narrow(1, 0, 1).mul(x.narrow(1, 1, 1));
    return new Tensor[] {x, y};
  }

  /** Runs body with small kernel blocks, so that tiny inputs still span several blocks. */
  static void withSmallBlocks(int entries, Runnable body) {
    int old = KernelBlocks.blockEntries;
    KernelBlocks.blockEntries = entries;
    try {
      body.run();
    } finally {
      KernelBlocks.blockEntries = old;
    }
  }

  static double maxAbsDiff(double[] a, double[] b) {
    if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }
}
