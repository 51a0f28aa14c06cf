package ansatz.instrument.collapse;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class CollapseMetricsTest {
  /** Labels 0..K-1 repeated, so every class is present. */
  static int[] cyclicLabels(int n, int k) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) y[i] = i % k;
    return y;
  }

  /** Reference with explicit d x d matrices and EJML's pseudo-inverse. */
  static double[] reference(double[][] x, int[] y, int k) {
    int n = x.length, d = x[0].length;
    double[][] mu = new double[k][d];
    int[] cnt = new int[k];
    for (int i = 0; i < n; i++) {
      cnt[y[i]]++;
      for (int j = 0; j < d; j++) mu[y[i]][j] += x[i][j];
    }
    for (int c = 0; c < k; c++) for (int j = 0; j < d; j++) mu[c][j] /= cnt[c];
    double[] g = new double[d];
    for (int c = 0; c < k; c++) for (int j = 0; j < d; j++) g[j] += mu[c][j] / k;
    DMatrixRMaj sw = new DMatrixRMaj(d, d), sb = new DMatrixRMaj(d, d);
    for (int i = 0; i < n; i++) for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) sw.add(a, b, (x[i][a] - mu[y[i]][a]) * (x[i][b] - mu[y[i]][b]) / n);
    for (int c = 0; c < k; c++) for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) sb.add(a, b, (mu[c][a] - g[a]) * (mu[c][b] - g[b]) / k);
    DMatrixRMaj pinv = new DMatrixRMaj(d, d), prod = new DMatrixRMaj(d, d);
    CommonOps_DDRM.pinv(sb, pinv);
    CommonOps_DDRM.mult(sw, pinv, prod);
    double nc2 = 0;
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        double dot = 0, na = 0, nb = 0;
        for (int j = 0; j < d; j++) {
          dot += (mu[a][j] - g[j]) * (mu[b][j] - g[j]);
          na += (mu[a][j] - g[j]) * (mu[a][j] - g[j]);
          nb += (mu[b][j] - g[j]) * (mu[b][j] - g[j]);
        }
        double e = a == b ? 1 : -1.0 / (k - 1);
        nc2 += Math.pow(dot / Math.sqrt(na * nb) - e, 2);
      }
    }
    return new double[] {CommonOps_DDRM.trace(sw) / CommonOps_DDRM.trace(sb), CommonOps_DDRM.trace(prod) / k, nc2 / (k * k)};
  }

  @Property(tries = 30)
  void matchesExplicitMatrixReference(@ForAll @IntRange(min = 2, max = 5) int k, @ForAll @IntRange(min = 1, max = 9) int d,
      @ForAll @IntRange(min = 0, max = 12) int extra, @ForAll long seed) {
    Rng rng = new Rng(seed);
    int n = k + extra;
    double[][] x = new double[n][d];
    for (double[] row : x) for (int j = 0; j < d; j++) row[j] = rng.nextGaussian();
    int[] y = cyclicLabels(n, k);
    CollapseStats s = CollapseMetrics.of(Tensor.of(x), y, k);
    double[] want = reference(x, y, k);
    assertEquals(want[0], s.nc1(), 1e-10 * Math.max(1, want[0]), "nc1");
    assertEquals(want[1], s.nc1Pinv(), 1e-8 * Math.max(1, want[1]), "nc1-pinv");
    assertEquals(want[2], s.nc2(), 1e-10, "nc2");
    // all three ignore a global scale
    CollapseStats scaled = CollapseMetrics.of(Tensor.of(x).mul(7.5), y, k);
    assertEquals(s.nc1(), scaled.nc1(), 1e-10 * Math.max(1, s.nc1()));
    assertEquals(s.nc2(), scaled.nc2(), 1e-10);
  }

  @Test
  void collapsedSimplexEtfGivesZero() {
    // class means e_c in R^K (centered by their mean they form the simplex ETF), in d = K + 2, each
    // sample equal to its class mean plus a shared offset
    int k = 4, n = 20, d = 6;
    int[] y = cyclicLabels(n, k);
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      x[i][y[i]] = 3;
      x[i][5] = 1.25;
    }
    CollapseStats s = CollapseMetrics.of(Tensor.of(x), y, k);
    assertEquals(0, s.nc1(), 1e-15);
    assertEquals(0, s.nc1Pinv(), 1e-15);
    assertEquals(0, s.nc2(), 1e-14);
    // small within-class noise: NC1 small but positive, NC2 still near 0
    Rng rng = new Rng(1);
    for (double[] row : x) for (int j = 0; j < d; j++) row[j] += 1e-3 * rng.nextGaussian();
    CollapseStats noisy = CollapseMetrics.of(Tensor.of(x), y, k);
    assertTrue(noisy.nc1() > 0 && noisy.nc1() < 1e-5, "nc1 " + noisy.nc1());
    assertTrue(noisy.nc2() < 1e-4, "nc2 " + noisy.nc2());
  }

  @Test
  void uncollapsedDataIsFarFromZero() {
    Rng rng = new Rng(2);
    int k = 3, n = 300, d = 10;
    CollapseStats s = CollapseMetrics.of(Tensor.randn(rng, DType.FLOAT64, n, d), cyclicLabels(n, k), k);
    // random labels: class means differ only by sampling noise, so Sigma_B is tiny next to Sigma_W
    assertTrue(s.nc1() > 10, "nc1 " + s.nc1());
    assertTrue(s.nc1Pinv() > 10, "nc1-pinv " + s.nc1Pinv());
  }

  @Test
  void nc2OfCollinearMeansIsKnown() {
    // K = 2 means always form the ETF {v, -v}: NC2 = 0 whatever the data
    double[][] x = {{0, 0}, {4, 1}, {1, 2}, {3, 3}};
    assertEquals(0, CollapseMetrics.of(Tensor.of(x), new int[] {0, 1, 0, 1}, 2).nc2(), 1e-15);
    // K = 3 means on a line at -1, 0, 1: normalized centered means (-1, NaN, 1) -> NaN (a mean at mu_G)
    double[][] line = {{-1}, {0}, {1}};
    assertTrue(Double.isNaN(CollapseMetrics.of(Tensor.of(line), new int[] {0, 1, 2}, 3).nc2()));
    // K = 3 means at -1, -1/2, 3/2 along a line (mu_G = 0): M M^T entries are +-1, E has 1 and -1/2
    double[][] line2 = {{-1}, {-0.5}, {1.5}};
    double want = (4 * 0.25 + 2 * 2.25) / 9; // 4 off-diagonals -1 vs -1/2, 2 off-diagonals +1 vs -1/2
    assertEquals(want, CollapseMetrics.of(Tensor.of(line2), new int[] {0, 1, 2}, 3).nc2(), 1e-15);
  }

  @Test
  void badInputsAreNamed() {
    Tensor x = Tensor.zeros(DType.FLOAT64, 4, 2);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CollapseMetrics.of(x, new int[] {0, 1, 0}, 2)).getMessage().contains("3 labels"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CollapseMetrics.of(x, new int[] {0, 1, 0, 5}, 2)).getMessage().contains("label 5"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CollapseMetrics.of(x, new int[] {0, 0, 0, 0}, 2)).getMessage().contains("class 1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CollapseMetrics.of(x, new int[] {0, 0, 0, 0}, 1)).getMessage().contains("2 classes"));
  }
}
