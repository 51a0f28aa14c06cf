package ansatz.autograd.testing;

import java.util.Random;

/**
 * Where generated values lie. Finite differences are only valid where the function is smooth, so
 * each op draws from a domain that keeps away from its kinks and singularities by a margin far
 * larger than the finite-difference step ({@link GradCheck#H} = 1e-6): positive inputs for log,
 * sqrt and pow, denominators away from 0, relu/abs inputs away from 0, clamp inputs away from the
 * bounds, and distinct values wherever a maximum is taken. Every value is rounded to float32, so
 * the same numbers can be fed to float32 and float64 tensors.
 */
@FunctionalInterface
public interface Domain {
  /** @return n values drawn with {@code random} */
  double[] sample(Random random, int n);

  /** @return uniform values in [lo, hi) */
  static Domain uniform(double lo, double hi) {
    return (r, n) -> {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) v[i] = f32(lo + (hi - lo) * r.nextDouble());
      return v;
    };
  }

  /** @return uniform values in [-2, 2): the default for smooth ops */
  static Domain any() {
    return uniform(-2, 2);
  }

  /** @return values in [0.2, 3): for log, sqrt, pow bases and fractional powers */
  static Domain positive() {
    return uniform(0.2, 3);
  }

  /** @return values in [-2, -0.3] or [0.3, 2]: for denominators */
  static Domain nonZero() {
    return awayFrom(-2, 2, 0.3, 0);
  }

  /**
   * @return uniform values in [lo, hi) moved out of the band (k - margin, k + margin) around each
   *     kink k (to its nearer edge), for relu/abs/leakyRelu (kink 0) and clamp (its bounds)
   */
  static Domain awayFrom(double lo, double hi, double margin, double... kinks) {
    Domain base = uniform(lo, hi);
    return (r, n) -> {
      double[] v = base.sample(r, n);
      for (int i = 0; i < n; i++) {
        for (double k : kinks) {
          double d = v[i] - k;
          if (Math.abs(d) < margin) v[i] = f32(d >= 0 ? k + margin : k - margin);
        }
      }
      return v;
    };
  }

  /**
   * @return pairwise distinct values in about [-2, 2], at least 0.6 * min(0.05, 4/n) apart: a
   *     shuffled jittered lattice, so every maximum is unique and stays so under a perturbation
   */
  static Domain distinct() {
    return (r, n) -> {
      double spacing = Math.min(0.05, 4.0 / Math.max(n, 1));
      int[] order = new int[n];
      for (int i = 0; i < n; i++) order[i] = i;
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      double[] v = new double[n];
      for (int i = 0; i < n; i++) v[i] = f32((order[i] - (n - 1) / 2.0 + 0.4 * (r.nextDouble() - 0.5)) * spacing);
      return v;
    };
  }

  /**
   * Two interleaved lattices for maximum/minimum: even ones near 0.2k, odd ones near 0.2k + 0.1
   * (jitter +-0.03), so an even and an odd value always differ by at least 0.04, however the two
   * operands broadcast against each other.
   *
   * @param odd which lattice
   */
  static Domain lattice(boolean odd) {
    return (r, n) -> {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) v[i] = f32(0.2 * (r.nextInt(20) - 10) + (odd ? 0.1 : 0) + 0.06 * (r.nextDouble() - 0.5));
      return v;
    };
  }

  /** @return x rounded to the nearest float32 */
  static double f32(double x) {
    return (float) x;
  }
}
