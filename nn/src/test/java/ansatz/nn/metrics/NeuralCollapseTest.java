package ansatz.nn.metrics;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class NeuralCollapseTest {

  /** Simplex ETF class means in R^d (d &gt;= K): e_c - (1/K) 1, scaled. Row c is class c's mean. */
  static double[] simplexMeans(int k, int d, double scale) {
    double[] m = new double[k * d];
    for (int c = 0; c < k; c++) for (int j = 0; j < k; j++) m[c * d + j] = scale * ((c == j ? 1 : 0) - 1.0 / k);
    return m;
  }

  /** n points per class at its mean plus N(0, noise^2) noise, shifted by a common offset. */
  static Tensor features(double[] means, int k, int d, int perClass, double noise, Rng rng, int[] labels) {
    double[] x = new double[k * perClass * d];
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < perClass; i++) {
        int r = c * perClass + i;
        labels[r] = c;
        for (int j = 0; j < d; j++) x[r * d + j] = means[c * d + j] + 3.0 + noise * rng.nextGaussian();
      }
    }
    return Tensor.wrap(x, k * perClass, d);
  }

  @Test
  void collapsedSimplexGivesZeros() {
    int k = 5, d = 8, per = 20;
    int[] labels = new int[k * per];
    Tensor x = features(simplexMeans(k, d, 2.0), k, d, per, 0.0, new Rng(1), labels);
    NeuralCollapse.Stats s = NeuralCollapse.of(x, labels, k);
    assertEquals(0.0, s.nc1(), 1e-28);
    assertEquals(0.0, s.nc1Pinv(), 1e-28);
    assertEquals(0.0, s.nc2(), 1e-28);
  }

  @Test
  void nearlyCollapsedIsSmallAndScaleFree() {
    int k = 4, d = 6, per = 50;
    int[] labels = new int[k * per];
    Tensor x = features(simplexMeans(k, d, 1.0), k, d, per, 1e-3, new Rng(2), labels);
    NeuralCollapse.Stats s = NeuralCollapse.of(x, labels, k);
    assertTrue(s.nc1() < 1e-4 && s.nc1() > 0, "nc1 " + s.nc1());
    assertTrue(s.nc2() < 1e-4, "nc2 " + s.nc2());
    NeuralCollapse.Stats scaled = NeuralCollapse.of(x.mul(1000), labels, k);
    assertEquals(s.nc1(), scaled.nc1(), 1e-9 * s.nc1());
    assertEquals(s.nc2(), scaled.nc2(), 1e-12);
  }

  @Test
  void uncollapsedDataMatchesTheMatrixDefinitions() {
    // Random features and labels: compute Sigma_W, Sigma_B and pinv explicitly and compare.
    Rng rng = new Rng(3);
    int n = 90, d = 7, k = 3;
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, d);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) labels[i] = i % k;
    double[] xd = x.toDoubleArray();
    double[][] mu = new double[k][d];
    int[] count = new int[k];
    for (int i = 0; i < n; i++) {
      count[labels[i]]++;
      for (int j = 0; j < d; j++) mu[labels[i]][j] += xd[i * d + j];
    }
    for (int c = 0; c < k; c++) for (int j = 0; j < d; j++) mu[c][j] /= count[c];
    double[] g = new double[d];
    for (int c = 0; c < k; c++) for (int j = 0; j < d; j++) g[j] += mu[c][j] / k;
    DMatrixRMaj sw = new DMatrixRMaj(d, d), sb = new DMatrixRMaj(d, d);
    for (int i = 0; i < n; i++) for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) {
      sw.add(a, b, (xd[i * d + a] - mu[labels[i]][a]) * (xd[i * d + b] - mu[labels[i]][b]) / n);
    }
    for (int c = 0; c < k; c++) for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) {
      sb.add(a, b, (mu[c][a] - g[a]) * (mu[c][b] - g[b]) / k);
    }
    DMatrixRMaj pinv = new DMatrixRMaj(d, d);
    CommonOps_DDRM.pinv(sb, pinv);
    DMatrixRMaj prod = new DMatrixRMaj(d, d);
    CommonOps_DDRM.mult(sw, pinv, prod);
    double[][] unit = new double[k][d];
    for (int c = 0; c < k; c++) {
      double norm = 0;
      for (int j = 0; j < d; j++) norm += (mu[c][j] - g[j]) * (mu[c][j] - g[j]);
      for (int j = 0; j < d; j++) unit[c][j] = (mu[c][j] - g[j]) / Math.sqrt(norm);
    }
    double nc2 = 0;
    for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) {
      double dot = 0;
      for (int j = 0; j < d; j++) dot += unit[a][j] * unit[b][j];
      double e = a == b ? 1 : -1.0 / (k - 1);
      nc2 += (dot - e) * (dot - e) / (k * k);
    }
    NeuralCollapse.Stats s = NeuralCollapse.of(x, labels, k);
    assertEquals(CommonOps_DDRM.trace(sw) / CommonOps_DDRM.trace(sb), s.nc1(), 1e-10 * s.nc1());
    assertEquals(CommonOps_DDRM.trace(prod) / k, s.nc1Pinv(), 1e-8 * s.nc1Pinv());
    assertEquals(nc2, s.nc2(), 1e-12);
    assertTrue(s.nc1() > 10, "random labels are far from collapse: " + s.nc1());
    assertEquals(s.nc1(), NeuralCollapse.nc1(x.toFloat32().toFloat64(), labels, k), 1e-5 * s.nc1());
  }

  @Test
  void twoClassesAtOppositePointsAreAnEtf() {
    // K = 2: the ETF is two antipodal unit vectors; any two distinct means are antipodal about mu_G.
    Tensor x = Tensor.of(new double[][] {{1, 5}, {1, 5}, {4, 1}, {4, 1}});
    assertEquals(0.0, NeuralCollapse.nc2(x, new int[] {0, 0, 1, 1}, 2), 1e-15);
  }

  @Test
  void badInputIsRejectedByName() {
    Tensor x = Tensor.randn(new Rng(4), DType.FLOAT64, 6, 3);
    int[] ok = {0, 1, 2, 0, 1, 2};
    assertMessage("6 feature rows", () -> NeuralCollapse.of(x, new int[] {0, 1}, 3));
    assertMessage("outside [0, 3)", () -> NeuralCollapse.of(x, new int[] {0, 1, 2, 0, 1, 3}, 3));
    assertMessage("class 2 has no samples", () -> NeuralCollapse.of(x, new int[] {0, 1, 1, 0, 1, 0}, 3));
    assertMessage("at least 2 classes", () -> NeuralCollapse.of(x, new int[6], 1));
    assertMessage("non-finite", () -> NeuralCollapse.of(x.div(0), ok, 3));
    assertMessage("2-D", () -> NeuralCollapse.of(x.flatten(), ok, 3));
    assertMessage("empty", () -> NeuralCollapse.of(Tensor.zeros(DType.FLOAT64, 0, 3), new int[0], 3));
  }

  static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
  }
}
