package ansatz.nn.data;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticTest {
  /** Sample AGOP (1/n) sum_i grad f(x_i) grad f(x_i)^T from per-row gradients (n x d). */
  static double[][] sampleAgop(double[][] grads) {
    int n = grads.length, d = grads[0].length;
    double[][] g = new double[d][d];
    for (double[] gr : grads) for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) g[a][b] += gr[a] * gr[b] / n;
    return g;
  }

  /** Analytic gradient of x1 x2 at each row: (x2, x1, 0, ...). */
  static double[][] gradX1X2(Tensor x) {
    int n = x.size(0), d = x.size(1);
    double[][] g = new double[n][d];
    for (int i = 0; i < n; i++) {
      g[i][0] = x.get(i, 1);
      g[i][1] = x.get(i, 0);
    }
    return g;
  }

  /** Per-row gradient of a scalar-output predictor by autograd (rows are independent, so grad of the sum). */
  static double[][] autogradRows(Function<Tensor, Tensor> f, Tensor x) {
    Tensor x64 = x.toFloat64().copyData().requiresGrad(true);
    f.apply(x64).sum().backward();
    double[] flat = x64.grad().toDoubleArray();
    int n = x.size(0), d = x.size(1);
    double[][] g = new double[n][d];
    for (int i = 0; i < n; i++) System.arraycopy(flat, i * d, g[i], 0, d);
    return g;
  }

  static double frobeniusDistance(double[][] a, Tensor b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) s += Math.pow(a[i][j] - b.get(i, j), 2);
    return Math.sqrt(s);
  }

  @Test
  void x1x2SampleAgopApproachesDiag110() {
    double previous = Double.MAX_VALUE;
    for (int n : new int[] {200, 2000, 20000}) {
      Dataset train = Synthetic.builder("x1x2").d(6).n(n).nTest(0).seed(11).build().train();
      Tensor truth = train.trueAgop().orElseThrow();
      assertEquals(DType.FLOAT64, truth.dtype());
      double[] expected = new double[36];
      expected[0] = 1;
      expected[7] = 1;
      assertArrayEquals(expected, truth.toDoubleArray(), "population AGOP is diag(1,1,0,...)");
      double err = frobeniusDistance(sampleAgop(gradX1X2(train.inputs())), truth);
      assertTrue(err < previous, "error " + err + " at n=" + n + " should shrink (was " + previous + ")");
      previous = err;
    }
    assertTrue(previous < 0.05, "sample AGOP at n=20000 is within 0.05 of diag(1,1,0..), got " + previous);
  }

  @Test
  void truePredictorGradientMatchesAnalyticGradient() {
    Dataset train = Synthetic.builder("x1x2").d(5).n(50).seed(3).build().train();
    double[][] auto = autogradRows(train.truePredictor().orElseThrow(), train.inputs());
    double[][] exact = gradX1X2(train.inputs());
    for (int i = 0; i < exact.length; i++) assertArrayEquals(exact[i], auto[i], 1e-12);
  }

  @Test
  void x1x2x3SampleAgopApproachesDiag111() {
    Dataset train = Synthetic.builder("x1x2x3").d(5).n(20000).nTest(0).seed(5).build().train();
    Tensor truth = train.trueAgop().orElseThrow();
    for (int j = 0; j < 5; j++) assertEquals(j < 3 ? 1.0 : 0.0, truth.get(j, j));
    double err = frobeniusDistance(sampleAgop(autogradRows(train.truePredictor().orElseThrow(), train.inputs())), truth);
    assertTrue(err < 0.1, "sample AGOP within 0.1 of diag(1,1,1,0,0), got " + err);
  }

  @Test
  void sparseLinearAgopIsWwT() {
    Dataset train = Synthetic.load("sparse-linear", Map.of("d", "12", "k", "4", "n", "30", "seed", "9")).train();
    double[] w = Synthetic.sparseWeights(12, 4);
    double norm = 0;
    for (int j = 0; j < 12; j++) {
      norm += w[j] * w[j];
      if (j < 4) assertTrue(Math.abs(w[j]) > 0.1, "support entry " + j);
      else assertEquals(0.0, w[j]);
    }
    assertEquals(1.0, norm, 1e-12);
    double[][] sample = sampleAgop(autogradRows(train.truePredictor().orElseThrow(), train.inputs()));
    Tensor truth = train.trueAgop().orElseThrow();
    for (int a = 0; a < 12; a++) {
      for (int b = 0; b < 12; b++) {
        assertEquals(w[a] * w[b], truth.get(a, b), 1e-15);
        assertEquals(w[a] * w[b], sample[a][b], 1e-12); // the gradient is constant, so sample = population
      }
    }
    // targets are w.x of the float inputs
    for (int i = 0; i < 30; i++) {
      double y = 0;
      for (int j = 0; j < 12; j++) y += w[j] * train.inputs().get(i, j);
      assertEquals(y, train.targets().get(i, 0), 1e-5);
    }
  }

  @Test
  void quadrantLabelsFollowTheSigns() {
    Split s = Synthetic.builder("quadrant").d(4).n(4000).nTest(10).seed(2).build();
    Dataset train = s.train();
    assertEquals(4, train.numClasses());
    assertTrue(train.trueAgop().isEmpty());
    int[] labels = train.labels(), counts = new int[4];
    for (int i = 0; i < train.size(); i++) {
      double x1 = train.inputs().get(i, 0), x2 = train.inputs().get(i, 1);
      int expected = x1 >= 0 ? (x2 >= 0 ? 0 : 3) : (x2 >= 0 ? 1 : 2);
      assertEquals(expected, labels[i]);
      assertEquals(1.0, train.targets().get(i, expected));
      counts[labels[i]]++;
    }
    for (int c = 0; c < 4; c++) assertEquals(1000, counts[c], 120, "class " + c + " has about a quarter");
  }

  @ParameterizedTest
  @ValueSource(strings = {"x1x2", "x1x2x3", "sparse-linear", "quadrant"})
  void sameSeedSameDataDifferentSeedDifferentData(String task) {
    Split a = Synthetic.load(task, Map.of("d", "7", "n", "40", "n-test", "30", "seed", "5"));
    Split b = Synthetic.load(task, Map.of("d", "7", "n", "40", "n-test", "30", "seed", "5"));
    Split c = Synthetic.load(task, Map.of("d", "7", "n", "40", "n-test", "30", "seed", "6"));
    assertArrayEquals(a.train().inputs().toFloatArray(), b.train().inputs().toFloatArray());
    assertArrayEquals(a.train().targets().toFloatArray(), b.train().targets().toFloatArray());
    assertArrayEquals(a.test().inputs().toFloatArray(), b.test().inputs().toFloatArray());
    assertFalse(java.util.Arrays.equals(a.train().inputs().toFloatArray(), c.train().inputs().toFloatArray()));
    assertArrayEquals(new int[] {40, 7}, a.train().inputs().shape());
    assertArrayEquals(new int[] {30, 7}, a.test().inputs().shape());
    assertFalse(java.util.Arrays.equals(a.train().inputs().narrow(0, 0, 30).toFloatArray(), a.test().inputs().toFloatArray()),
        "train and test are independent draws");
  }

  @Property(tries = 20)
  void testSetDoesNotDependOnTrainSizeOrNoise(@ForAll @IntRange(min = 0, max = 50) int n1,
                                               @ForAll @IntRange(min = 0, max = 50) int n2) {
    Split a = Synthetic.builder("x1x2").d(3).n(n1).nTest(8).seed(1).build();
    Split b = Synthetic.builder("x1x2").d(3).n(n2).nTest(8).noise(0.5).seed(1).build();
    assertArrayEquals(a.test().inputs().toFloatArray(), b.test().inputs().toFloatArray());
    assertArrayEquals(a.test().targets().toFloatArray(), b.test().targets().toFloatArray());
    assertEquals(n1, a.train().size());
  }

  @Test
  void noiseGoesOnTrainingTargetsWithTheGivenStd() {
    Split s = Synthetic.builder("x1x2").d(3).n(20000).nTest(100).noise(0.3).seed(4).build();
    Function<Tensor, Tensor> f = s.train().truePredictor().orElseThrow();
    double[] resid = s.train().targets().toFloat64().sub(f.apply(s.train().inputs().toFloat64())).toDoubleArray();
    double mean = 0, sq = 0;
    for (double r : resid) mean += r / resid.length;
    for (double r : resid) sq += (r - mean) * (r - mean) / resid.length;
    assertEquals(0.3, Math.sqrt(sq), 0.01);
    assertEquals(0, mean, 0.01);
    double[] testResid = s.test().targets().toFloat64().sub(f.apply(s.test().inputs().toFloat64())).toDoubleArray();
    for (double r : testResid) assertEquals(0, r, 1e-6, "test targets are noiseless");
  }

  @Test
  void badTasksAndOptionsGiveClearErrors() {
    var e = assertThrows(IllegalArgumentException.class, () -> Synthetic.load("x1x3", Map.of()));
    assertTrue(e.getMessage().contains("x1x3") && e.getMessage().contains("x1x2x3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Synthetic.load("x1x2", Map.of("dim", "3")));
    assertTrue(e.getMessage().contains("dim") && e.getMessage().contains("n-test"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Synthetic.load("x1x2", Map.of("n", "1e3")));
    assertTrue(e.getMessage().contains("n=1e3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Synthetic.load("x1x2", Map.of("noise", "-1")));
    assertTrue(e.getMessage().contains("noise=-1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Synthetic.load("x1x2x3", Map.of("d", "2")));
    assertTrue(e.getMessage().contains("d >= 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Synthetic.load("x1x2", Map.of("k", "2")));
    assertTrue(e.getMessage().contains("sparse-linear only"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Synthetic.load("sparse-linear", Map.of("d", "4", "k", "6")));
    assertTrue(e.getMessage().contains("d >= 6"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Synthetic.load("quadrant", Map.of("noise", "0.1")));
    assertTrue(e.getMessage().contains("regression"), e.getMessage());
  }

  @Test
  void defaults() {
    Split s = Synthetic.load("x1x2", Map.of());
    assertArrayEquals(new int[] {2000, 20}, s.train().inputs().shape());
    assertArrayEquals(new int[] {2000, 1}, s.test().targets().shape());
    assertEquals(DType.FLOAT32, s.train().inputs().dtype());
  }
}
