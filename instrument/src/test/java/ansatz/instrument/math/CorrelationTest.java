package ansatz.instrument.math;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CorrelationTest {
  @Test
  void knownValues() {
    Tensor a = Tensor.of(new double[][] {{1, 0}, {0, 1}});
    Tensor b = Tensor.of(new double[][] {{2, 0}, {0, 2}});
    Tensor c = Tensor.of(new double[][] {{1, 0}, {0, -1}});
    assertEquals(1, Correlation.COSINE.of(a, b), 1e-15);
    assertEquals(0, Correlation.COSINE.of(a, c), 1e-15);
    // pearson of I vs diag(1,-1): entries (1,0,0,1) vs (1,0,0,-1) centered at 1/2 and 0
    assertEquals(0, Correlation.PEARSON.of(a, c), 1e-15);
    assertEquals(1, Correlation.PEARSON.of(a, b.add(3)), 1e-15);
  }

  @Property(tries = 30)
  void pearsonIgnoresShiftAndScaleCosineOnlyScale(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Tensor a = Tensor.randn(rng, DType.FLOAT64, n, n + 1), b = Tensor.randn(rng, DType.FLOAT64, n, n + 1);
    double p = Correlation.PEARSON.of(a, b), q = Correlation.COSINE.of(a, b);
    assertEquals(p, Correlation.PEARSON.of(a.mul(3.5).add(7), b.mul(0.25).sub(2)), 1e-9);
    assertEquals(q, Correlation.COSINE.of(a.mul(3.5), b.mul(0.25)), 1e-12);
    assertTrue(Math.abs(q) <= 1 + 1e-12);
  }

  /**
   * The one-pass pair against the textbook two-pass definitions, on odd and even entry counts (the
   * sums run two and four entries at a time, with a scalar tail) and shifted entries (so that the
   * pearson centering matters).
   */
  @Property(tries = 40)
  void bothEqualsTheDefinitions(@ForAll @IntRange(min = 1, max = 17) int rows, @ForAll @IntRange(min = 1, max = 9) int cols, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Tensor a = Tensor.randn(rng, DType.FLOAT64, rows, cols).add(0.7), b = Tensor.randn(rng, DType.FLOAT64, rows, cols).mul(2).sub(1.3);
    double[] x = a.toDoubleArray(), y = b.toDoubleArray();
    int n = x.length;
    double mx = 0, my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i] / n;
      my += y[i] / n;
    }
    double sxy = 0, sxx = 0, syy = 0, rxy = 0, rxx = 0, ryy = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
      rxy += x[i] * y[i];
      rxx += x[i] * x[i];
      ryy += y[i] * y[i];
    }
    double[] got = Correlation.both(Correlation.Entries.of(a), Correlation.Entries.of(b));
    double cosine = rxy / Math.sqrt(rxx * ryy);
    assertEquals(cosine, got[Correlation.COSINE.ordinal()], 1e-12);
    assertEquals(cosine, Correlation.COSINE.of(a, b), 1e-12);
    if (n == 1) {
      assertTrue(Double.isNaN(got[Correlation.PEARSON.ordinal()]), "one entry is a constant matrix");
    } else {
      double pearson = sxy / Math.sqrt(sxx * syy);
      assertEquals(pearson, got[Correlation.PEARSON.ordinal()], 1e-10);
      assertEquals(pearson, Correlation.PEARSON.of(a, b), 1e-10);
    }
  }

  @Test
  void pearsonOfAConstantMatrixIsUndefinedAndBadShapesAreNamed() {
    // 0.1 is not a binary fraction: the rounded mean of these 117 copies misses it by an ulp, which
    // must not turn into a finite correlation.
    Tensor constant = Tensor.full(0.1, DType.FLOAT64, 9, 13), other = Tensor.randn(new Rng(3), DType.FLOAT64, 9, 13);
    assertTrue(Double.isNaN(Correlation.PEARSON.of(constant, other)));
    assertEquals(Correlation.COSINE.of(constant, other), other.sum().item() / Math.sqrt(117 * other.square().sum().item()), 1e-12);
    assertTrue(Double.isNaN(Correlation.COSINE.of(Tensor.zeros(DType.FLOAT64, 9, 13), other)), "cosine with a zero matrix");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Correlation.PEARSON.of(constant, Tensor.zeros(DType.FLOAT64, 13, 9)));
    assertTrue(e.getMessage().contains("[9, 13]") && e.getMessage().contains("[13, 9]"), e.getMessage());
  }

  /** DEFINITIONS.md section 3: cosine(W^T W, W^T K W) = tr(S^4 U^T K U) / (||S^2||_F ||S U^T K U S||_F). */
  @Property(tries = 30)
  void svdIdentityOfTheUncenteredNfa(@ForAll @IntRange(min = 1, max = 9) int out, @ForAll @IntRange(min = 1, max = 9) int in, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Tensor w = Tensor.randn(rng, DType.FLOAT64, out, in);
    Tensor b = Tensor.randn(rng, DType.FLOAT64, out, out);
    Tensor k = b.matmul(b.t());
    double lhs = Correlation.COSINE.of(w.t().matmul(w), w.t().matmul(k).matmul(w));
    // Build U S from the eigendecomposition of W W^T = U S^2 U^T.
    Matrices.Eigen e = Matrices.symmetricEigen(w.matmul(w.t()));
    Tensor u = e.vectors();
    double[] s2 = e.values().clone();
    Tensor s2d = Tensor.zeros(DType.FLOAT64, out, out), sd = Tensor.zeros(DType.FLOAT64, out, out);
    for (int i = 0; i < out; i++) {
      s2d.set(Math.max(s2[i], 0), i, i);
      sd.set(Math.sqrt(Math.max(s2[i], 0)), i, i);
    }
    Tensor utku = u.t().matmul(k).matmul(u);
    double num = s2d.matmul(s2d).matmul(utku).sum().mul(0).item() + trace(s2d.matmul(s2d).matmul(utku));
    double den = Math.sqrt(s2d.square().sum().item()) * Math.sqrt(sd.matmul(utku).matmul(sd).square().sum().item());
    assertEquals(lhs, num / den, 1e-8);
  }

  private static double trace(Tensor m) {
    double t = 0;
    for (int i = 0; i < m.size(0); i++) t += m.get(i, i);
    return t;
  }
}
