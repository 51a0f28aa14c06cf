package ansatz.autograd.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fused MLP kernels ({@link ReluKernel}, {@link ColumnSums}, {@link SgdUpdate}) against their
 * scalar twins. Each vector twin is documented as doing the same lane-wise operations in the same
 * order, so the comparison is bitwise; sizes hit the vector edges (1, 7, 8, 9, 15, 17) and random
 * lengths, offsets are nonzero, and the inputs include zeros, -0, NaN and infinities where the
 * kernel's semantics (select, not arithmetic) matter. The public entry points (which split long
 * arrays over {@link Parallel}) are compared with the scalar twin too.
 */
class FusedKernelTwinsTest {

  @Provide
  Arbitrary<Integer> size() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.of(1, 7, 8, 9, 15, 17)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 300)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(ReluKernel.GRAIN + 13, SgdUpdate.GRAIN + 5)));
  }

  /** Random floats with a share of special values (0, -0, NaN, +-inf) when {@code special}. */
  private static float[] floats(SplittableRandom r, int n, boolean special) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextDouble(-2, 2));
      if (special && r.nextInt(8) == 0) a[i] = new float[] {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}[r.nextInt(5)];
    }
    return a;
  }

  private static double[] doubles(SplittableRandom r, int n, boolean special) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextDouble(-2, 2);
      if (special && r.nextInt(8) == 0) a[i] = new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}[r.nextInt(5)];
    }
    return a;
  }

  private static void assumeVector() {
    Assume.that(Simd.ENABLED);
  }

  // ---------------------------------------------------------------- ReLU

  @Property(tries = 40)
  void reluForwardAndBackwardFloatMatchScalarTwin(@ForAll @From("size") int n, @ForAll long seed) {
    assumeVector();
    SplittableRandom r = new SplittableRandom(seed);
    int off = r.nextInt(4);
    float[] x = floats(r, n + off, true), g = floats(r, n + off, true);
    float[] y = new float[n + 3], yRef = new float[n + 3];
    ReluKernel.Vector.forward(x, off, y, 3, n);
    ReluKernel.forwardScalar(x, off, yRef, 3, n);
    assertArrayEquals(yRef, y, "relu forward n=" + n);
    float[] viaEntry = new float[n + 3];
    ReluKernel.forward(x, off, viaEntry, 3, n);
    assertArrayEquals(yRef, viaEntry, "relu forward (public, parallel) n=" + n);
    for (int i = 0; i < n; i++) assertEquals(Float.floatToRawIntBits(x[off + i] > 0 ? x[off + i] : 0f), Float.floatToRawIntBits(yRef[3 + i]));

    float[] dx = new float[n + 1], dxRef = new float[n + 1];
    ReluKernel.Vector.backward(g, off, y, 3, dx, 1, n);
    ReluKernel.backwardScalar(g, off, y, 3, dxRef, 1, n);
    assertArrayEquals(dxRef, dx, "relu backward n=" + n);
    ReluKernel.backward(g, off, y, 3, dx, 1, n);
    assertArrayEquals(dxRef, dx, "relu backward (public, parallel) n=" + n);
    for (int i = 0; i < n; i++) {
      float want = y[3 + i] > 0 ? g[off + i] : 0f;
      assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(dxRef[1 + i]), "masked gradient at " + i);
    }
  }

  @Property(tries = 30)
  void reluForwardAndBackwardDoubleMatchScalarTwin(@ForAll @From("size") int n, @ForAll long seed) {
    assumeVector();
    SplittableRandom r = new SplittableRandom(seed);
    int off = r.nextInt(4);
    double[] x = doubles(r, n + off, true), g = doubles(r, n + off, true);
    double[] y = new double[n], yRef = new double[n];
    ReluKernel.Vector.forward(x, off, y, 0, n);
    ReluKernel.forwardScalar(x, off, yRef, 0, n);
    assertArrayEquals(yRef, y);
    double[] dx = new double[n], dxRef = new double[n];
    ReluKernel.Vector.backward(g, off, y, 0, dx, 0, n);
    ReluKernel.backwardScalar(g, off, y, 0, dxRef, 0, n);
    assertArrayEquals(dxRef, dx);
    double[] inPlace = x.clone();
    ReluKernel.forward(inPlace, off, inPlace, off, n); // in place, as Affine runs it
    for (int i = 0; i < n; i++) assertEquals(Double.doubleToRawLongBits(yRef[i]), Double.doubleToRawLongBits(inPlace[off + i]));
  }

  // ---------------------------------------------------------------- column sums

  @Property(tries = 40)
  void columnSumsMatchScalarTwinAndDoubleLoop(@ForAll @From("size") int cols, @ForAll @From("size") int rowsRaw, @ForAll long seed) {
    assumeVector();
    int rows = Math.min(rowsRaw, 40), c = Math.min(cols, 3000); // keep the matrix small
    SplittableRandom r = new SplittableRandom(seed);
    int off = r.nextInt(5);
    float[] a = floats(r, off + rows * c, false);
    double[] accV = new double[c], accS = new double[c];
    ColumnSums.Vector.accumulate(a, off, rows, c, accV);
    ColumnSums.accumulateScalar(a, off, rows, c, accS);
    assertArrayEquals(accS, accV, "float column sums " + rows + "x" + c);
    float[] out = new float[c + 2];
    ColumnSums.sum(a, off, rows, c, out, 2);
    for (int j = 0; j < c; j++) {
      double s = 0;
      for (int i = 0; i < rows; i++) s += a[off + i * c + j];
      assertEquals((float) s, out[2 + j], "column " + j);
    }

    double[] d = doubles(r, off + rows * c, false);
    double[] dV = new double[c], dS = new double[c];
    ColumnSums.Vector.accumulate(d, off, rows, c, dV);
    ColumnSums.accumulateScalar(d, off, rows, c, dS);
    assertArrayEquals(dS, dV, "double column sums " + rows + "x" + c);
  }

  // ---------------------------------------------------------------- SGD

  @Provide
  Arbitrary<SgdUpdate.Rule> rules() {
    return net.jqwik.api.Combinators.combine(
        Arbitraries.of(0.01, 0.1, 0.5),
        Arbitraries.of(0.0, 0.9, 0.5),
        Arbitraries.of(0.0, 0.1),
        Arbitraries.of(0.0, 5e-4, 0.1),
        Arbitraries.of(false, true))
        .as((lr, m, damp, wd, nest) -> new SgdUpdate.Rule(lr, m, nest && m != 0 ? 0 : damp, wd, nest && m != 0));
  }

  @Property(tries = 60)
  void sgdUpdateFloatMatchesScalarTwin(@ForAll @From("size") int n, @ForAll("rules") SgdUpdate.Rule rule, @ForAll boolean first, @ForAll long seed) {
    assumeVector();
    SplittableRandom r = new SplittableRandom(seed);
    float[] p = floats(r, n + 2, false), g = floats(r, n + 1, false), buf = floats(r, n + 3, false);
    float[] pV = p.clone(), bV = buf.clone(), pS = p.clone(), bS = buf.clone(), pE = p.clone(), bE = buf.clone();
    SgdUpdate.FloatCoefficients c = new SgdUpdate.FloatCoefficients(rule, first);
    float[] bufV = rule.momentum() == 0 ? null : bV, bufS = rule.momentum() == 0 ? null : bS;
    SgdUpdate.Vector.step(c, pV, 2, g, 1, bufV, 3, n);
    SgdUpdate.stepScalar(c, pS, 2, g, 1, bufS, 3, n);
    SgdUpdate.step(rule, first, pE, 2, g, 1, rule.momentum() == 0 ? null : bE, 3, n);
    assertArrayEquals(pS, pV, "p " + rule);
    assertArrayEquals(bS, bV, "buf " + rule);
    assertArrayEquals(pS, pE, "p via step " + rule);
    assertArrayEquals(bS, bE, "buf via step " + rule);
    // the scalar twin itself against the textbook formulas (float32 rounding of the composed passes)
    for (int i = 0; i < Math.min(n, 50); i++) {
      float pv = p[2 + i], gv = g[1 + i];
      float want;
      if (rule.momentum() == 0) {
        if (rule.weightDecay() != 0) pv = pv * (float) (1 - rule.lr() * rule.weightDecay());
        want = pv + (float) -rule.lr() * gv;
      } else {
        float b = first ? gv + (rule.weightDecay() != 0 ? (float) rule.weightDecay() * pv : 0f)
            : buf[3 + i] * (float) rule.momentum() + (float) (1 - rule.dampening()) * gv
                + (rule.weightDecay() != 0 ? (float) ((1 - rule.dampening()) * rule.weightDecay()) * pv : 0f);
        if (first && rule.weightDecay() == 0) b = gv;
        assertEquals(b, bS[3 + i], 1e-6f * (1 + Math.abs(b)), "buf at " + i);
        if (rule.nesterov()) {
          if (rule.weightDecay() != 0) pv = pv * (float) (1 - rule.lr() * rule.weightDecay());
          want = pv + (float) -rule.lr() * gv + (float) (-rule.lr() * rule.momentum()) * b;
        } else {
          want = pv + (float) -rule.lr() * b;
        }
      }
      assertEquals(want, pS[2 + i], 1e-6f * (1 + Math.abs(want)), "p at " + i + " " + rule);
    }
  }

  @Property(tries = 40)
  void sgdUpdateDoubleMatchesScalarTwin(@ForAll @From("size") int n, @ForAll("rules") SgdUpdate.Rule rule, @ForAll boolean first, @ForAll long seed) {
    assumeVector();
    SplittableRandom r = new SplittableRandom(seed);
    double[] p = doubles(r, n, false), g = doubles(r, n, false), buf = doubles(r, n, false);
    double[] pV = p.clone(), bV = buf.clone(), pS = p.clone(), bS = buf.clone();
    SgdUpdate.DoubleCoefficients c = new SgdUpdate.DoubleCoefficients(rule, first);
    SgdUpdate.Vector.step(c, pV, 0, g, 0, rule.momentum() == 0 ? null : bV, 0, n);
    SgdUpdate.stepScalar(c, pS, 0, g, 0, rule.momentum() == 0 ? null : bS, 0, n);
    assertArrayEquals(pS, pV, "p " + rule);
    assertArrayEquals(bS, bV, "buf " + rule);
  }
}
