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
