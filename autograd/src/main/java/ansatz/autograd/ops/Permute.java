package ansatz.autograd.ops;

import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import java.util.Arrays;

/** Reorders axes (a view: only shape and strides change). Backward applies the inverse order. */
public final class Permute extends Function {
  /** @return the permuted view */
  public static Tensor apply(Tensor a, int[] axes) {
    int r = a.dim();
    if (axes.length != r) {
      throw new IllegalArgumentException("permute: order " + Arrays.toString(axes) + " has " + axes.length + " axes for a tensor of shape " + Shape.str(a.shape()));
    }
    int[] shape = a.shape(), st = a.strides();
    int[] ns = new int[r], nst = new int[r];
    boolean[] seen = new boolean[r];
    int[] norm = new int[r];
    for (int i = 0; i < r; i++) {
      int ax = Shape.axis("permute", axes[i], r);
      if (seen[ax]) throw new IllegalArgumentException("permute: axis " + ax + " repeated in " + Arrays.toString(axes));
      seen[ax] = true;
      norm[i] = ax;
      ns[i] = shape[ax];
      nst[i] = st[ax];
    }
    Permute fn = new Permute();
    fn.save((Object) norm);
    return fn.record(Tensor.view(a.storage(), ns, nst, a.offset()), a);
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    int[] p = saved(0);
    int[] inv = new int[p.length];
    for (int i = 0; i < p.length; i++) inv[p[i]] = i;
    return new Tensor[] {g.permute(inv)};
  }
}
