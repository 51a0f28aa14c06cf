package ansatz.instrument.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The triangle-only symmetric product against a plain triple loop, over every transpose combination
 * and block size, and {@link Products#congruence} (which uses it) against its definition.
 */
class ProductsTest {
  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.oneOf(Arbitraries.of(1, 2, 7, 8, 9, 15, 17, 129), Arbitraries.integers().between(1, 40));
  }

  @Property(tries = 40)
  void symmetricProductEqualsTheFullProduct(@ForAll("sizes") int n, @ForAll @IntRange(min = 1, max = 20) int k, @ForAll @IntRange(min = 1, max = 10) int block,
                                            @ForAll boolean transA, @ForAll boolean transB, @ForAll @IntRange(min = 0, max = 9999) int seed) {
    Rng rng = new Rng(seed);
    // A symmetric product op(A) op(B) = C^T S C with S symmetric: op(A) = C^T S, op(B) = C (C is k x n).
    double[] c = new double[k * n], s = new double[k * k];
    for (int i = 0; i < c.length; i++) c[i] = rng.nextGaussian();
    for (int i = 0; i < k; i++) {
      for (int j = 0; j <= i; j++) {
        double v = rng.nextGaussian();
        s[i * k + j] = v;
        s[j * k + i] = v;
      }
    }
    double[] opA = new double[n * k]; // C^T S, n x k
    for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) for (int p = 0; p < k; p++) opA[i * k + j] += c[p * n + i] * s[p * k + j];
    double[] want = new double[n * n];
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) want[i * n + j] += 2.5 * opA[i * k + p] * c[p * n + j];
    // Store A and B as the flags say: transposed storage holds the transpose.
    double[] a = transA ? transpose(opA, n, k) : opA, b = transB ? transpose(c, k, n) : c;
    int lda = transA ? n : k, ldb = transB ? k : n;
    double[] got = new double[n * n];
    Products.symmetricProduct(transA, transB, n, k, 2.5, a, lda, b, ldb, got, block);
    double scale = 0;
    for (double v : want) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(want[i * n + j], got[i * n + j], 1e-12 * (1 + scale) * k, "entry (" + i + ", " + j + ")");
        assertEquals(got[j * n + i], got[i * n + j], 0.0, "exact symmetry at (" + i + ", " + j + ")");
      }
    }
  }

  private static double[] transpose(double[] x, int rows, int cols) {
    double[] t = new double[rows * cols];
    for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
    return t;
  }

  @Property(tries = 8)
  void congruenceMatchesTheDefinition(@ForAll @IntRange(min = 1, max = 17) int rows, @ForAll("cols") int cols, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Tensor w = Tensor.randn(rng, DType.FLOAT64, rows, cols);
    Tensor b = Tensor.randn(rng, DType.FLOAT64, rows, rows);
    Tensor k = b.matmul(b.t());
    double scale = 0.7;
    double[] got = Products.congruence(w, k, scale).toDoubleArray();
    double[] wd = w.toDoubleArray(), kd = k.toDoubleArray();
    double max = 0;
    double[] want = new double[cols * cols], kw = new double[rows * cols]; // K W first, then W^T (K W), by plain loops
    for (int a = 0; a < rows; a++) for (int j = 0; j < cols; j++) for (int c = 0; c < rows; c++) kw[a * cols + j] += kd[a * rows + c] * wd[c * cols + j];
    for (int i = 0; i < cols; i++) {
      for (int j = 0; j < cols; j++) {
        double s = 0;
        for (int a = 0; a < rows; a++) s += wd[a * cols + i] * kw[a * cols + j];
        want[i * cols + j] = scale * s;
        max = Math.max(max, Math.abs(want[i * cols + j]));
      }
    }
    for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-12 * Math.max(1, max), "entry " + i);
    for (int i = 0; i < cols; i++) for (int j = 0; j < i; j++) assertEquals(got[i * cols + j], got[j * cols + i], 0.0, "symmetry");
  }

  @Provide
  Arbitrary<Integer> cols() {
    return Arbitraries.of(1, 7, 8, 9, 15, 17, 513, 600, 769);
  }

  /**
   * The float32 route (the probes of a float32 model): W^T W and W^T K W within float rounding of
   * the float64 ones, bounded relative to the unsigned products |W|^T |W| and |W|^T |K| |W| (so
   * cancellation cannot make a correct entry fail), exactly symmetric, and float64 tensors.
   */
  @Property(tries = 30)
  void float32ProductsAgreeWithFloat64ToFloatRounding(@ForAll("sizes") int rows, @ForAll("sizes") int cols, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Tensor w = Tensor.randn(rng, DType.FLOAT32, rows, cols);
    Tensor b = Tensor.randn(rng, DType.FLOAT64, rows, rows);
    Tensor k = b.matmul(b.t());
    Tensor absW = w.toFloat64().abs().detach(), absK = k.abs().detach();
    double[] gramBound = Products.gram(absW).toDoubleArray(), congBound = Products.congruence(absW, absK, 1).toDoubleArray();
    double[] gram64 = Products.gram(w).toDoubleArray(), cong64 = Products.congruence(w, k, 0.5).toDoubleArray();
    Tensor gram32 = Products.gram(w, DType.FLOAT32), cong32 = Products.congruence(w, k, 0.5, DType.FLOAT32);
    assertEquals(DType.FLOAT64, gram32.dtype());
    assertEquals(DType.FLOAT64, cong32.dtype());
    double[] g = gram32.toDoubleArray(), c = cong32.toDoubleArray();
    // float32 unit roundoff 6e-8, times the inner dimension (rounding grows at most linearly), with margin.
    double eps = 4 * 6e-8 * (rows + 2);
    for (int i = 0; i < cols * cols; i++) {
      assertEquals(gram64[i], g[i], eps * gramBound[i] + 1e-30, "W^T W entry " + i);
      assertEquals(cong64[i], c[i], 0.5 * eps * 2 * congBound[i] + 1e-30, "W^T K W entry " + i);
    }
    for (int i = 0; i < cols; i++) {
      for (int j = 0; j < i; j++) {
        assertEquals(g[i * cols + j], g[j * cols + i], 0.0, "gram symmetry");
        assertEquals(c[i * cols + j], c[j * cols + i], 0.0, "congruence symmetry");
      }
    }
  }

  @Property(tries = 1)
  void aMissingPrecisionIsRejectedByName() {
    Tensor w = Tensor.eye(3, DType.FLOAT64);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Products.gram(w, null));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("precision"), e.getMessage());
  }
}
