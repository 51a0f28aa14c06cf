package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/** where(mask, a, b): a where the mask is nonzero, else b; all three broadcast together. */
public final class Where extends Function {
  /** @return the selection */
  public static Tensor apply(Tensor mask, Tensor a, Tensor b) {
    int[] shape;
    try {
      shape = Shape.broadcast("where", Shape.broadcast("where", mask.shape(), a.shape()), b.shape());
    } catch (IllegalArgumentException e) {
      // The pairwise message would show an intermediate broadcast shape; name all three instead.
      throw new IllegalArgumentException("where: mask " + Shape.str(mask.shape()) + ", a " + Shape.str(a.shape())
          + " and b " + Shape.str(b.shape()) + " do not broadcast together", e);
    }
    DType dt = DType.promote(a.dtype(), b.dtype());
    Tensor out = Elementwise.map3(shape, dt, mask, a, b, (m, x, y) -> m != 0 ? x : y);
    Where fn = new Where();
    fn.save(mask.detach());
    return fn.record(out, a, b);
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor m = saved(0);
    int[] shape = g.shape();
    Tensor zero = Tensor.zeros(g.dtype());
    Tensor ga = needsGrad(0) ? Elementwise.map3(shape, g.dtype(), m, g, zero, (mm, x, y) -> mm != 0 ? x : 0) : null;
    Tensor gb = needsGrad(1) ? Elementwise.map3(shape, g.dtype(), m, g, zero, (mm, x, y) -> mm != 0 ? 0 : x) : null;
    return new Tensor[] {ga, gb};
  }
}
