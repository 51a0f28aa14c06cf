package ansatz.autograd.ops;

import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/** The slice [start, start+length) along one axis, as a view. Backward pads g with zeros. */
public final class Narrow extends Function {
  /** @return the narrowed view */
  public static Tensor apply(Tensor a, int axis, int start, int length) {
    int ax = Shape.axis("narrow", axis, a.dim());
    int[] shape = a.shape();
    if (start < 0 || length < 0 || start + length > shape[ax]) {
      throw new IndexOutOfBoundsException("narrow: range [" + start + ", " + (start + length) + ") is outside axis " + ax + " of shape " + Shape.str(shape));
    }
    int[] st = a.strides();
    int[] ns = shape.clone();
    ns[ax] = length;
    Narrow fn = new Narrow();
    fn.save(ax, start);
    return fn.record(Tensor.view(a.storage(), ns, st, a.offset() + start * st[ax]), a);
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    int ax = saved(0), start = saved(1);
    int[] shape = input(0).shape();
    int after = shape[ax] - start - g.size(ax);
    int[] sb = shape.clone(), sa = shape.clone();
    sb[ax] = start;
    sa[ax] = after;
    return new Tensor[] {Concat.apply(ax, Tensor.zeros(g.dtype(), sb), g, Tensor.zeros(g.dtype(), sa))};
  }
}
