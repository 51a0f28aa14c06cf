package ansatz.instrument.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import org.junit.jupiter.api.Test;

class ProbeWarmupTest {
  @Test
  void startsOneBackgroundThreadPerJvmThatFinishes() throws Exception {
    ProbeWarmup.startInBackground();
    ProbeWarmup.startInBackground();
    long alive = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("ansatz-probe-warmup")).count();
    assertTrue(alive <= 1, alive + " warm-up threads");
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("ansatz-probe-warmup")) t.join(60_000);
    }
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("ansatz-probe-warmup")), "the warm-up ended");
  }

  @Test
  void theWorkTakesASquareRootWhoseSquareHasTheCovariancesTrace() {
    // ||C^{1/2}||_F^2 = tr(C) = ||B||_F^2 for C = B^T B: a wrong root (or none) fails this. The
    // generator's draws: the random 256 x 256 matrix, then the graded ones of 157, 203, 157 and
    // 203 rows; the last root is of the last, whose row i is scaled by 10^(-12 i / 203).
    Rng rng = new Rng(0x5eed);
    for (int n : new int[] {256, 157, 203, 157}) Tensor.randn(rng, DType.FLOAT64, n, n);
    int n = 203;
    double[] b = Tensor.randn(rng, DType.FLOAT64, n, n).toDoubleArray();
    double want = 0;
    for (int i = 0; i < n; i++) {
      double g = Math.pow(10, -12.0 * i / n);
      for (int j = 0; j < n; j++) want += (b[i * n + j] * g) * (b[i * n + j] * g);
    }
    assertEquals(want, ProbeWarmup.run(), 1e-9 * want);
  }

  @Test
  void theIndexListWorkSumsTheActiveRows() {
    // The same draws as ProbeWarmup.indexedRows, summed by plain loops: sum over samples, outputs,
    // features and active units (mask > 0) of coef[a][k] * w[a][j].
    Rng rng = new Rng(11);
    int n = 64, c = 10, d = 256;
    float[] w = Tensor.randn(rng, DType.FLOAT32, d, d).floats(), coef = Tensor.randn(rng, DType.FLOAT32, d, c).floats();
    float[] mask = Tensor.randn(rng, DType.FLOAT32, n, d).floats();
    double want = 0, abs = 0;
    for (int s = 0; s < n; s++) {
      for (int a = 0; a < d; a++) {
        if (mask[s * d + a] <= 0) continue;
        for (int k = 0; k < c; k++) {
          for (int j = 0; j < d; j++) {
            want += (double) coef[a * c + k] * w[a * d + j];
            abs += Math.abs((double) coef[a * c + k] * w[a * d + j]);
          }
        }
      }
    }
    assertEquals(want, ProbeWarmup.indexedRows(new Rng(11)), 1e-6 * abs);
  }
}
