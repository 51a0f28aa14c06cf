package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.ColumnSums;

/**
 * Sum over a set of axes. The reduced axes are moved last (a permuted view, made dense only if
 * needed), so the sum is one accumulation per output element over a contiguous run, in double.
 * Backward broadcasts g back over the reduced axes (an expand view, no copy).
 */
public final class Sum extends Function {
  /** @return the sums; reduced axes kept as size 1 when {@code keepDim} */
  public static Tensor apply(Tensor a, int[] axes, boolean keepDim) {
    Tensor leading = sumLeadingAxes(a, axes, keepDim);
    if (leading != null) return leading;
    Reduced r = Reduced.of("sum", a, axes);
    Tensor out = Tensor.empty(a.dtype(), keepDim ? r.keepShape : r.outShape);
    int m = r.outer, k = r.reduced;
    if (a.dtype() == DType.FLOAT32) {
      float[] x = r.data.floats(), y = out.floats();
      for (int i = 0; i < m; i++) {
        double s = 0;
        for (int j = i * k, e = j + k; j < e; j++) s += x[j];
        y[i] = (float) s;
      }
    } else {
      double[] x = r.data.doubles(), y = out.doubles();
      for (int i = 0; i < m; i++) {
        double s = 0;
        for (int j = i * k, e = j + k; j < e; j++) s += x[j];
        y[i] = s;
      }
    }
    Sum fn = new Sum();
    fn.save((Object) r.keepShape);
    return fn.record(out, a);
  }

  /**
   * The common case of the engine's broadcast reductions (bias gradients, a weight shared over a
   * batch): a contiguous tensor summed over its leading axes. Moving those axes last would copy the
   * whole tensor transposed; instead whole rows are added into one double accumulator per output
   * ({@link ColumnSums}, vectorized), in the same order (row 0 first), so the result is identical
   * to the general path.
   *
   * @return the recorded sum, or null if this is not that case
   */
  private static Tensor sumLeadingAxes(Tensor a, int[] axes, boolean keepDim) {
    int r = a.dim();
    if (!a.isContiguous() || axes.length == 0 || axes.length >= r) return null;
    boolean[] red = new boolean[r];
    for (int ax : axes) {
      if (ax < -r || ax >= r) return null; // let the general path report the bad axis
      int n = ax < 0 ? ax + r : ax;
      if (red[n]) return null;
      red[n] = true;
    }
    int p = axes.length;
    for (int i = 0; i < p; i++) if (!red[i]) return null;
    int[] shape = a.shape();
    int[] keep = shape.clone();
    int k = 1;
    for (int i = 0; i < p; i++) {
      keep[i] = 1;
      k *= shape[i];
    }
    int[] outShape = java.util.Arrays.copyOfRange(shape, p, r);
    int m = Shape.numel(outShape);
    Tensor out = Tensor.empty(a.dtype(), keepDim ? keep : outShape);
    if (a.dtype() == DType.FLOAT32) ColumnSums.sum(a.storage().f, a.offset(), k, m, out.storage().f, 0);
    else ColumnSums.sum(a.storage().d, a.offset(), k, m, out.storage().d, 0);
    Sum fn = new Sum();
    fn.save((Object) keep);
    return fn.record(out, a);
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    int[] keep = saved(0);
    return new Tensor[] {g.reshape(keep).expand(input(0).shape())};
  }

  /** A tensor with its reduced axes moved last and made dense: outer rows of {@code reduced} values. */
  static final class Reduced {
    final Tensor data;
    final int[] perm, keepShape, outShape, permShape;
    final int outer, reduced;

    private Reduced(Tensor data, int[] perm, int[] permShape, int[] keepShape, int[] outShape, int outer, int reduced) {
      this.data = data;
      this.perm = perm;
      this.permShape = permShape;
      this.keepShape = keepShape;
      this.outShape = outShape;
      this.outer = outer;
      this.reduced = reduced;
    }

    static Reduced of(String op, Tensor a, int[] axes) {
      int r = a.dim();
      boolean[] red = new boolean[r];
      for (int ax : axes) {
        int n = Shape.axis(op, ax, r);
        if (red[n]) throw new IllegalArgumentException(op + ": axis " + ax + " given twice");
        red[n] = true;
      }
      int[] shape = a.shape();
      int[] perm = new int[r], keep = shape.clone();
      int nk = 0;
      for (int i = 0; i < r; i++) if (!red[i]) perm[nk++] = i;
      int[] out = new int[nk];
      for (int i = 0; i < nk; i++) out[i] = shape[perm[i]];
      int p = nk, outer = Shape.numel(out), reduced = 1;
      for (int i = 0; i < r; i++) {
        if (red[i]) {
          perm[p++] = i;
          keep[i] = 1;
          reduced *= shape[i];
        }
      }
      Tensor moved = a.detach().permute(perm).copyIfNotDense();
      int[] permShape = moved.shape();
      return new Reduced(moved, perm, permShape, keep, out, outer, reduced);
    }
  }
}
