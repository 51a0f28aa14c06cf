package ansatz.autograd.ops;

import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/**
 * Broadcasts to a larger shape without copying: repeated axes get stride 0. The gradient is g
 * itself; the engine's shared rule ({@link Tensor#sumTo}) sums it back to the input's shape.
 */
public final class Expand extends Function {
  /** @return the broadcast view; -1 keeps a size */
  public static Tensor apply(Tensor a, int[] newShape) {
    int r = newShape.length, lead = r - a.dim();
    if (lead < 0) {
      throw new IllegalArgumentException("expand: cannot expand shape " + Shape.str(a.shape()) + " to fewer axes " + Shape.str(newShape));
    }
    int[] shape = a.shape(), st = a.strides();
    int[] ns = new int[r], nst = new int[r];
    for (int i = 0; i < r; i++) {
      int want = newShape[i];
      if (want < -1) throw new IllegalArgumentException("expand: negative size " + want + " in " + Shape.str(newShape));
      if (i < lead) {
        if (want < 0) throw new IllegalArgumentException("expand: -1 not allowed for new leading axis in " + Shape.str(newShape));
        ns[i] = want;
        nst[i] = 0;
      } else {
        int have = shape[i - lead];
        if (want == -1 || want == have) {
          ns[i] = have;
          nst[i] = st[i - lead];
        } else if (have == 1) {
          ns[i] = want;
          nst[i] = 0;
        } else {
          throw new IllegalArgumentException("expand: shape " + Shape.str(shape) + " cannot expand to " + Shape.str(newShape) + " (axis " + i + ")");
        }
      }
    }
    return new Expand().record(Tensor.view(a.storage(), ns, nst, a.offset()), a);
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    return new Tensor[] {g};
  }
}
