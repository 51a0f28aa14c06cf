package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Tensor;

/**
 * Maximum over a set of axes, with the position of the maximum (the first one; NaN wins, as in
 * PyTorch). The gradient goes to that position only.
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

  /** @return maxima over {@code axes} and their positions */
  public static Result apply(Tensor a, int[] axes, boolean keepDim) {
    Sum.Reduced r = Sum.Reduced.of("max", a, axes);
    if (r.reduced == 0) throw new IllegalArgumentException("max: reduction over an empty axis of shape " + ansatz.autograd.Shape.str(a.shape()));
    Tensor out = Tensor.empty(a.dtype(), keepDim ? r.keepShape : r.outShape);
    int m = r.outer, k = r.reduced;
    int[] idx = new int[m];
    for (int i = 0; i < m; i++) {
      int best = 0;
      double bv = r.data.dtype() == DType.FLOAT32 ? r.data.floats()[i * k] : r.data.doubles()[i * k];
      for (int j = 1; j < k && !Double.isNaN(bv); j++) {
        double v = r.data.dtype() == DType.FLOAT32 ? r.data.floats()[i * k + j] : r.data.doubles()[i * k + j];
        if (v > bv || Double.isNaN(v)) {
          bv = v;
          best = j;
        }
      }
      idx[i] = best;
      out.storage().set(i, bv);
    }
    Max fn = new Max();
    fn.save(r, idx);
    return new Result(fn.record(out, a), idx);
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Sum.Reduced r = saved(0);
    int[] idx = saved(1);
    Tensor gd = g.copyIfNotDense();
    Tensor spread = Tensor.zeros(g.dtype(), r.permShape);
    for (int i = 0; i < idx.length; i++) spread.storage().set(i * r.reduced + idx[i], gd.storage().get(i));
    int[] inv = new int[r.perm.length];
    for (int i = 0; i < inv.length; i++) inv[r.perm[i]] = i;
    return new Tensor[] {spread.permute(inv)};
  }
}
