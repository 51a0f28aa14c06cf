package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Tensor;

/**
 * Maximum over a set of axes, with the position of the maximum (the first one; NaN wins, as in
 * PyTorch). Two gradient rules, as in PyTorch: {@link #apply} (torch.max along a dim) sends the
 * gradient to that one position; {@link #amax} (torch.amax, torch.max of everything) splits it
 * evenly among all tied maxima.
 */
public final class Max extends Function {
  /**
   * Values and positions of maxima.
   *
   * @param values the maxima
   * @param indices for each output element, the flat position of its maximum inside the reduced
   *     block (for a single axis: the index along that axis), row-major over the output
   */
  public record Result(Tensor values, int[] indices) {}

  private final boolean splitTies;

  private Max(boolean splitTies) {
    this.splitTies = splitTies;
  }

  /** @return maxima over {@code axes} and their positions; the gradient goes to the first maximum */
  public static Result apply(Tensor a, int[] axes, boolean keepDim) {
    return compute(a, axes, keepDim, false);
  }

  /** @return maxima over {@code axes}; the gradient is shared evenly by tied maxima (as torch.amax) */
  public static Tensor amax(Tensor a, int[] axes, boolean keepDim) {
    return compute(a, axes, keepDim, true).values();
  }

  private static Result compute(Tensor a, int[] axes, boolean keepDim, boolean splitTies) {
    Sum.Reduced r = Sum.Reduced.of("max", a, axes);
    if (r.reduced == 0) throw new IllegalArgumentException("max: reduction over an empty axis of shape " + ansatz.autograd.Shape.str(a.shape()));
    Tensor out = Tensor.empty(a.dtype(), keepDim ? r.keepShape : r.outShape);
    int m = r.outer, k = r.reduced;
    int[] idx = new int[m];
    for (int i = 0; i < m; i++) {
      int best = 0;
      double bv = value(r, i * k);
      for (int j = 1; j < k && !Double.isNaN(bv); j++) {
        double v = value(r, i * k + j);
        if (v > bv || Double.isNaN(v)) {
          bv = v;
          best = j;
        }
      }
      idx[i] = best;
      out.storage().set(i, bv);
    }
    Max fn = new Max(splitTies);
    fn.save(r, idx);
    return new Result(fn.record(out, a), idx);
  }

  private static double value(Sum.Reduced r, int i) {
    return r.data.dtype() == DType.FLOAT32 ? r.data.floats()[i] : r.data.doubles()[i];
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Sum.Reduced r = saved(0);
    int[] idx = saved(1);
    int k = r.reduced;
    Tensor gd = g.copyIfNotDense();
    Tensor spread = Tensor.zeros(g.dtype(), r.permShape);
    for (int i = 0; i < idx.length; i++) {
      if (!splitTies) {
        spread.storage().set(i * k + idx[i], gd.storage().get(i));
        continue;
      }
      // Every element equal to the maximum (or every NaN, when the maximum is NaN) gets an even share.
      double best = value(r, i * k + idx[i]);
      int ties = 0;
      for (int j = 0; j < k; j++) if (isTie(value(r, i * k + j), best)) ties++;
      double share = gd.storage().get(i) / ties;
      for (int j = 0; j < k; j++) if (isTie(value(r, i * k + j), best)) spread.storage().set(i * k + j, share);
    }
    int[] inv = new int[r.perm.length];
    for (int i = 0; i < inv.length; i++) inv[r.perm[i]] = i;
    return new Tensor[] {spread.permute(inv)};
  }

  private static boolean isTie(double v, double best) {
    return v == best || (Double.isNaN(v) && Double.isNaN(best));
  }
}
