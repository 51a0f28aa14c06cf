package ansatz.nn.rfm;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinRfmTest {
  static final int N = 60, D = 200;

  /** A 5-sparse w* in d = 200 and n = 60 Gaussian measurements. @return {X, y, w*} */
  static Tensor[] sparseProblem(long seed) {
    Rng rng = new Rng(seed);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, N, D);
    double[] w = new double[D];
    int[] support = rng.permutation(D);
    for (int i = 0; i < 5; i++) w[support[i]] = rng.nextGaussian() + (rng.nextDouble() < 0.5 ? -1 : 1);
    Tensor wStar = Tensor.of(w, D);
    return new Tensor[] {x, x.matmul(wStar), wStar};
  }

  static double relativeError(Tensor w, Tensor wStar) {
    double[] a = w.toDoubleArray(), b = wStar.toDoubleArray();
    double num = 0, den = 0;
    for (int i = 0; i < a.length; i++) {
      num += (a[i] - b[i]) * (a[i] - b[i]);
      den += b[i] * b[i];
    }
    return Math.sqrt(num / den);
  }

  /** DEFINITIONS claim 10. */
  @Test
  void recoversASparseVectorWithAlphaOneHalfButNotWithAlphaZero() {
    Tensor[] p = sparseProblem(21);
    LinRfm.Result sparse = LinRfm.sparseRegression(p[0], p[1], 0.5, 1e-10, 60);
    double err = relativeError(sparse.estimate(), p[2]);
    assertTrue(err < 1e-3, "alpha = 1/2 relative error " + err);
    LinRfm.Result minNorm = LinRfm.sparseRegression(p[0], p[1], 0.0, 1e-10, 60);
    double err0 = relativeError(minNorm.estimate(), p[2]);
    assertTrue(err0 > 0.3, "alpha = 0 (minimum norm) should not recover w*, error " + err0);
    // Every iterate interpolates the measurements.
    double[] fit = p[0].matmul(sparse.estimate()).toDoubleArray();
    assertTrue(Fixtures.maxAbsDiff(fit, p[1].toDoubleArray()) < 1e-8);
  }

  @Test
  void iteratesEqualPlainIrlsWithPEqualsTwoMinusTwoAlpha() {
    Tensor[] p = sparseProblem(22);
    for (double alpha : new double[] {0.5, 0.25, 0.75}) {
      List<Tensor> rfm = LinRfm.sparseRegression(p[0], p[1], alpha, 1e-6, 15).iterates();
      List<Tensor> irls = Irls.minimizePNorm(p[0], p[1], 2 - 2 * alpha, 1e-6, 15);
      assertEquals(rfm.size(), irls.size());
      for (int t = 0; t < rfm.size(); t++) {
        double diff = relativeError(rfm.get(t), irls.get(t));
        assertTrue(diff < 1e-8, "alpha = " + alpha + ", iterate " + t + ": relative difference " + diff);
      }
    }
  }

  @Test
  void completesALowRankMatrix() {
    Rng rng = new Rng(23);
    int rows = 40, cols = 40, rank = 2;
    Tensor truth = Tensor.randn(rng, DType.FLOAT64, rows, rank).matmul(Tensor.randn(rng, DType.FLOAT64, rank, cols));
    double[] mask = new double[rows * cols];
    for (int i = 0; i < mask.length; i++) mask[i] = rng.nextDouble() < 0.4 ? 1 : 0;
    Tensor m = Tensor.wrap(mask, rows, cols);
    Tensor observed = truth.mul(m);
    // With a fixed eps this IRLS converges slowly (and stalls for tiny eps: 0.25 after 300 steps
    // at eps = 1e-8); eps = 1e-2 reaches about 2e-2 in 100 steps from 0.78 at the start.
    List<Tensor> iterates = LinRfm.matrixCompletion(observed, m, 0.5, 1e-2, 100).iterates();
    double start = relativeError(iterates.get(0), truth), err = relativeError(iterates.get(99), truth);
    assertTrue(err < 0.05 && err < 0.1 * start, "alpha = 1/2 completion error " + start + " -> " + err);
    // Observed entries are fitted exactly by every iterate.
    double[] w = iterates.get(99).toDoubleArray(), o = observed.toDoubleArray();
    for (int i = 0; i < w.length; i++) if (mask[i] != 0) assertEquals(o[i], w[i], 1e-9);
    // alpha = 0 keeps M = I: unobserved entries stay 0.
    double err0 = relativeError(LinRfm.matrixCompletion(observed, m, 0, 1e-8, 5).estimate(), truth);
    assertEquals(relativeError(observed, truth), err0, 1e-12);
  }

  @Test
  void badSettingsAreRejected() {
    Tensor[] p = sparseProblem(24);
    assertThrows(IllegalArgumentException.class, () -> LinRfm.sparseRegression(p[0], p[1], 1.5, 1e-6, 3));
    assertThrows(IllegalArgumentException.class, () -> LinRfm.sparseRegression(p[0], p[1], 0.5, 0, 3));
    assertThrows(IllegalArgumentException.class, () -> LinRfm.sparseRegression(p[0], p[1].narrow(0, 0, 10), 0.5, 1e-6, 3));
    assertThrows(IllegalArgumentException.class, () -> Irls.minimizePNorm(p[0], p[1], 3, 1e-6, 3));
    Tensor ones = Tensor.ones(DType.FLOAT64, 3, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LinRfm.matrixCompletion(ones, Tensor.of(new double[][] {{1, 0, 0}, {0, 0, 0}, {1, 1, 1}}), 0.5, 1e-6, 3));
    assertTrue(e.getMessage().contains("row 1 has no observed entry"), e.getMessage());
  }
}
