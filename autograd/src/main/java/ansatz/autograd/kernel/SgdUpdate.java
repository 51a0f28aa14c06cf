package ansatz.autograd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One SGD update of a parameter in a single pass: weight decay, momentum (with dampening) and
 * Nesterov momentum, as {@code torch.optim.SGD} defines them (see {@code ansatz.nn.optim.SGD}).
 *
 * <p>Per element, in this order, every product and sum rounded to the parameter's type (no FMA):
 *
 * <pre>
 * momentum == 0:      p = p * (1 - lr wd);  p = p + (-lr) g                  (decay only if wd != 0)
 * buffer, first step: buf = g + wd p                                          (+ wd p only if wd != 0)
 * buffer, later:      buf = buf * m + (1 - dampening) g + ((1 - dampening) wd) p
 * then Nesterov:      p = p * (1 - lr wd);  p = p + (-lr) g;  p = p + (-lr m) buf
 * or plain momentum:  p = p + (-lr) buf
 * </pre>
 *
 * These are exactly the operations, with the same coefficients rounded the same way, that the
 * optimizer used to run as separate in-place passes ({@code mulInPlace}, {@code addInPlace}), so
 * results are bitwise unchanged; one pass reads p, g and buf once instead of up to five times.
 * The vector twin performs the same lane-wise operations and is bitwise equal to the scalar twin.
 * Long parameters are split over {@link Parallel} (elementwise, so the split changes nothing).
 */
public final class SgdUpdate {
  // Memory-bound: on the shared 2-core machine a 1M-element update took 180 us on one thread and
  // 330 us split in two (the worker wake-up), so only parameters above 1M elements are split.
  static final int GRAIN = 1 << 20;

  /**
   * The settings of an update.
   *
   * @param lr learning rate
   * @param momentum momentum factor (0 = none)
   * @param dampening dampening of the momentum
   * @param weightDecay L2 weight decay added to the gradient
   * @param nesterov Nesterov momentum (needs momentum &gt; 0)
   */
  public record Rule(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {}

  private SgdUpdate() {}

  /**
   * Updates {@code n} elements of p (and of the momentum buffer) in place.
   *
   * @param firstStep whether {@code buf} is fresh (it is then set, not read); ignored without momentum
   * @param buf the momentum buffer, or null if {@code rule.momentum() == 0}
   */
  public static void step(Rule rule, boolean firstStep, float[] p, int pOff, float[] g, int gOff, float[] buf, int bOff, int n) {
    FloatCoefficients c = new FloatCoefficients(rule, firstStep);
    Parallel.forRange(n, GRAIN, (from, to) -> {
      if (Simd.ENABLED) Vector.step(c, p, pOff + from, g, gOff + from, buf, bOff + from, to - from);
      else stepScalar(c, p, pOff + from, g, gOff + from, buf, bOff + from, to - from);
    });
  }

  /** Float64 {@link #step(Rule, boolean, float[], int, float[], int, float[], int, int)}. */
  public static void step(Rule rule, boolean firstStep, double[] p, int pOff, double[] g, int gOff, double[] buf, int bOff, int n) {
    DoubleCoefficients c = new DoubleCoefficients(rule, firstStep);
    Parallel.forRange(n, GRAIN, (from, to) -> {
      if (Simd.ENABLED) Vector.step(c, p, pOff + from, g, gOff + from, buf, bOff + from, to - from);
      else stepScalar(c, p, pOff + from, g, gOff + from, buf, bOff + from, to - from);
    });
  }

  /** The rule's coefficients, rounded to float once, as the per-op passes rounded them. */
  record FloatCoefficients(boolean momentum, boolean first, boolean nesterov, boolean decay,
      float keep, float negLr, float wd, float m, float damp, float dampWd, float negLrM) {
    FloatCoefficients(Rule r, boolean first) {
      this(r.momentum() != 0, first, r.nesterov(), r.weightDecay() != 0,
          (float) (1 - r.lr() * r.weightDecay()), (float) -r.lr(), (float) r.weightDecay(), (float) r.momentum(),
          (float) (1 - r.dampening()), (float) ((1 - r.dampening()) * r.weightDecay()), (float) (-r.lr() * r.momentum()));
    }
  }

  /** The rule's coefficients in float64. */
  record DoubleCoefficients(boolean momentum, boolean first, boolean nesterov, boolean decay,
      double keep, double negLr, double wd, double m, double damp, double dampWd, double negLrM) {
    DoubleCoefficients(Rule r, boolean first) {
      this(r.momentum() != 0, first, r.nesterov(), r.weightDecay() != 0,
          1 - r.lr() * r.weightDecay(), -r.lr(), r.weightDecay(), r.momentum(),
          1 - r.dampening(), (1 - r.dampening()) * r.weightDecay(), -r.lr() * r.momentum());
    }
  }

  // ---- scalar twins (the reference; also the vector loops' tails) ----

  static void stepScalar(FloatCoefficients c, float[] p, int pOff, float[] g, int gOff, float[] buf, int bOff, int n) {
    for (int i = 0; i < n; i++) {
      float pv = p[pOff + i], gv = g[gOff + i];
      if (c.momentum()) {
        float b;
        if (c.first()) {
          b = gv;
          if (c.decay()) b = b + c.wd() * pv;
        } else {
          b = buf[bOff + i] * c.m() + c.damp() * gv;
          if (c.decay()) b = b + c.dampWd() * pv;
        }
        buf[bOff + i] = b;
        if (c.nesterov()) {
          if (c.decay()) pv = pv * c.keep();
          pv = pv + c.negLr() * gv;
          pv = pv + c.negLrM() * b;
        } else {
          pv = pv + c.negLr() * b;
        }
      } else {
        if (c.decay()) pv = pv * c.keep();
        pv = pv + c.negLr() * gv;
      }
      p[pOff + i] = pv;
    }
  }

  static void stepScalar(DoubleCoefficients c, double[] p, int pOff, double[] g, int gOff, double[] buf, int bOff, int n) {
    for (int i = 0; i < n; i++) {
      double pv = p[pOff + i], gv = g[gOff + i];
      if (c.momentum()) {
        double b;
        if (c.first()) {
          b = gv;
          if (c.decay()) b = b + c.wd() * pv;
        } else {
          b = buf[bOff + i] * c.m() + c.damp() * gv;
          if (c.decay()) b = b + c.dampWd() * pv;
        }
        buf[bOff + i] = b;
        if (c.nesterov()) {
          if (c.decay()) pv = pv * c.keep();
          pv = pv + c.negLr() * gv;
          pv = pv + c.negLrM() * b;
        } else {
          pv = pv + c.negLr() * b;
        }
      } else {
        if (c.decay()) pv = pv * c.keep();
        pv = pv + c.negLr() * gv;
      }
      p[pOff + i] = pv;
    }
  }

  /** The Vector API twins; a nested class so that nothing loads the vector module when SIMD is off. */
  static final class Vector {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private Vector() {}

    static void step(FloatCoefficients c, float[] p, int pOff, float[] g, int gOff, float[] buf, int bOff, int n) {
      int i = 0;
      for (int end = F.loopBound(n); i < end; i += F.length()) {
        FloatVector pv = FloatVector.fromArray(F, p, pOff + i), gv = FloatVector.fromArray(F, g, gOff + i);
        if (c.momentum()) {
          FloatVector b;
          if (c.first()) {
            b = gv;
            if (c.decay()) b = b.add(pv.mul(c.wd()));
          } else {
            b = FloatVector.fromArray(F, buf, bOff + i).mul(c.m()).add(gv.mul(c.damp()));
            if (c.decay()) b = b.add(pv.mul(c.dampWd()));
          }
          b.intoArray(buf, bOff + i);
          if (c.nesterov()) {
            if (c.decay()) pv = pv.mul(c.keep());
            pv = pv.add(gv.mul(c.negLr())).add(b.mul(c.negLrM()));
          } else {
            pv = pv.add(b.mul(c.negLr()));
          }
        } else {
          if (c.decay()) pv = pv.mul(c.keep());
          pv = pv.add(gv.mul(c.negLr()));
        }
        pv.intoArray(p, pOff + i);
      }
      stepScalar(c, p, pOff + i, g, gOff + i, buf, bOff + i, n - i);
    }

    static void step(DoubleCoefficients c, double[] p, int pOff, double[] g, int gOff, double[] buf, int bOff, int n) {
      int i = 0;
      for (int end = D.loopBound(n); i < end; i += D.length()) {
        DoubleVector pv = DoubleVector.fromArray(D, p, pOff + i), gv = DoubleVector.fromArray(D, g, gOff + i);
        if (c.momentum()) {
          DoubleVector b;
          if (c.first()) {
            b = gv;
            if (c.decay()) b = b.add(pv.mul(c.wd()));
          } else {
            b = DoubleVector.fromArray(D, buf, bOff + i).mul(c.m()).add(gv.mul(c.damp()));
            if (c.decay()) b = b.add(pv.mul(c.dampWd()));
          }
          b.intoArray(buf, bOff + i);
          if (c.nesterov()) {
            if (c.decay()) pv = pv.mul(c.keep());
            pv = pv.add(gv.mul(c.negLr())).add(b.mul(c.negLrM()));
          } else {
            pv = pv.add(b.mul(c.negLr()));
          }
        } else {
          if (c.decay()) pv = pv.mul(c.keep());
          pv = pv.add(gv.mul(c.negLr()));
        }
        pv.intoArray(p, pOff + i);
      }
      stepScalar(c, p, pOff + i, g, gOff + i, buf, bOff + i, n - i);
    }
  }
}
