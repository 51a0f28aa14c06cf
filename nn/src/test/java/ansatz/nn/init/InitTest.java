package ansatz.nn.init;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Linear;
import ansatz.nn.Parameter;
import org.junit.jupiter.api.Test;

/** Empirical statistics of every rule against its formula (fan_in = 300, fan_out = 200, 60000 draws). */
class InitTest {
  private static final int OUT = 200, IN = 300;

  private static double[] draw(Init init, long seed) {
    return init.drawWeight(new Rng(seed), DType.FLOAT64, OUT, IN).toDoubleArray();
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return s / v.length;
  }

  private static double std(double[] v) {
    double m = mean(v), s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return Math.sqrt(s / (v.length - 1));
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) m = Math.max(m, Math.abs(x));
    return m;
  }

  /** Uniform U(-b, b): all inside, the extremes reach near b, std = b / sqrt(3). */
  private static void assertUniform(double[] v, double b) {
    assertTrue(maxAbs(v) <= b, "inside the bound");
    assertTrue(maxAbs(v) > 0.999 * b, "reaches the bound");
    assertEquals(b / Math.sqrt(3), std(v), 0.01 * b / Math.sqrt(3));
    assertEquals(0, mean(v), 0.02 * b);
  }

  /** Normal N(0, s^2): std within 1%, mean near 0, tails present. */
  private static void assertNormal(double[] v, double s) {
    assertEquals(s, std(v), 0.01 * s);
    assertEquals(0, mean(v), 0.02 * s);
    assertTrue(maxAbs(v) > 3.5 * s, "has Gaussian tails");
  }

  @Test
  void pytorchDefaultIsUniformOneOverSqrtFanIn() {
    assertUniform(draw(Init.pytorchDefault(), 1), 1 / Math.sqrt(IN));
  }

  @Test
  void kaimingRulesUseFanInAndReluGain() {
    assertNormal(draw(Init.kaimingNormal(), 2), Math.sqrt(2) / Math.sqrt(IN));
    assertUniform(draw(Init.kaimingUniform(), 3), Math.sqrt(2) * Math.sqrt(3.0 / IN));
    assertNormal(draw(Init.kaimingNormal(1), 4), 1 / Math.sqrt(IN));
  }

  @Test
  void xavierRulesUseBothFans() {
    assertNormal(draw(Init.xavierNormal(), 5), Math.sqrt(2.0 / (IN + OUT)));
    assertUniform(draw(Init.xavierUniform(), 6), Math.sqrt(6.0 / (IN + OUT)));
    assertUniform(draw(Init.xavierUniform(2), 7), 2 * Math.sqrt(6.0 / (IN + OUT)));
  }

  @Test
  void normalIgnoresTheFans() {
    assertNormal(draw(Init.normal(0.5), 8), 0.5);
  }

  @Test
  void scaledMultipliesTheSameDraws() {
    double[] base = draw(Init.kaimingNormal(), 9), small = draw(Init.kaimingNormal().scaled(0.1), 9);
    for (int i = 0; i < base.length; i++) assertEquals(0.1 * base[i], small[i], 1e-15);
    assertEquals("kaiming_normal(gain=1.4142135623730951) x 0.1", Init.kaimingNormal().scaled(0.1).toString());
  }

  @Test
  void sameSeedSameWeightsDifferentSeedDifferentWeights() {
    assertArrayEquals(draw(Init.xavierNormal(), 10), draw(Init.xavierNormal(), 10));
    assertNotEquals(draw(Init.xavierNormal(), 10)[0], draw(Init.xavierNormal(), 11)[0]);
  }

  @Test
  void fansFollowPyTorchIncludingConvolutionShapes() {
    assertArrayEquals(new int[] {300, 200}, Init.fans(new int[] {200, 300}));
    assertArrayEquals(new int[] {3 * 5 * 5, 16 * 5 * 5}, Init.fans(new int[] {16, 3, 5, 5}));
    assertThrows(IllegalArgumentException.class, () -> Init.fans(new int[] {7}));
  }

  @Test
  void linearDefaultDrawsWeightAndBiasWithinOneOverSqrtIn() {
    Linear lin = new Linear(IN, OUT, true, new Rng(12));
    assertUniform(lin.weight().tensor().toDoubleArray(), 1 / Math.sqrt(IN));
    double[] b = lin.bias().tensor().toDoubleArray();
    assertTrue(maxAbs(b) <= 1 / Math.sqrt(IN) && maxAbs(b) > 0.9 / Math.sqrt(IN));
  }

  @Test
  void ntkLinearDrawsStandardNormals() {
    Linear lin = Linear.ntk(IN, OUT, true, new Rng(13));
    assertNormal(lin.weight().tensor().toDoubleArray(), 1);
    assertEquals(1, std(lin.bias().tensor().toDoubleArray()), 0.15);
  }

  @Test
  void reinitializeRedrawsInPlace() {
    Linear lin = new Linear(4, 3, false, new Rng(0));
    Parameter w = lin.weight();
    Tensor t = w.tensor();
    Init.zeros().reinitialize(w, new Rng(1));
    assertSame(t, w.tensor());
    assertEquals(0, maxAbs(t.toDoubleArray()));
    Init.normal(1).reinitialize(w, new Rng(1));
    assertTrue(maxAbs(t.toDoubleArray()) > 0);
  }
}
