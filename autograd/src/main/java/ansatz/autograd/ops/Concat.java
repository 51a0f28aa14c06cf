package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/** Joins tensors along an existing axis. Backward hands each input its slice of g. */
public final class Concat extends Function {
  /** @return the joined tensor */
  public static Tensor apply(int axis, Tensor... ts) {
    if (ts.length == 0) throw new IllegalArgumentException("concat: needs at least one tensor");
    int r = ts[0].dim();
    if (r == 0) throw new IllegalArgumentException("concat: cannot join scalars; use stack");
    int ax = Shape.axis("concat", axis, r);
    int[] shape = ts[0].shape();
    DType dt = ts[0].dtype();
    int total = 0;
    for (int i = 0; i < ts.length; i++) {
      int[] s = ts[i].shape();
      boolean ok = s.length == r;
      for (int k = 0; ok && k < r; k++) ok = k == ax || s[k] == shape[k];
      if (!ok) {
        throw new IllegalArgumentException("concat: tensor " + i + " has shape " + Shape.str(s) + ", incompatible with " + Shape.str(shape) + " along axis " + ax);
      }
      total += s[ax];
      dt = DType.promote(dt, ts[i].dtype());
    }
    int[] os = shape.clone();
    os[ax] = total;
    Tensor out = Tensor.empty(dt, os);
    int outer = 1, inner = 1;
    for (int k = 0; k < ax; k++) outer *= shape[k];
    for (int k = ax + 1; k < r; k++) inner *= shape[k];
    int rowOut = total * inner, pos = 0;
    int[] sizes = new int[ts.length];
    for (int i = 0; i < ts.length; i++) {
      sizes[i] = ts[i].size(ax);
      Tensor src = Elementwise.dense(ts[i], ts[i].shape(), dt);
      int block = sizes[i] * inner;
      for (int o = 0; o < outer; o++) {
        if (dt == DType.FLOAT32) System.arraycopy(src.floats(), o * block, out.floats(), o * rowOut + pos, block);
        else System.arraycopy(src.doubles(), o * block, out.doubles(), o * rowOut + pos, block);
      }
      pos += block;
    }
    Concat fn = new Concat();
    fn.save(ax, sizes);
    return fn.record(out, ts);
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    int ax = saved(0);
    int[] sizes = saved(1);
    Tensor[] gs = new Tensor[sizes.length];
    for (int i = 0, start = 0; i < sizes.length; start += sizes[i], i++) {
      if (needsGrad(i)) gs[i] = g.narrow(ax, start, sizes[i]);
    }
    return gs;
  }
}
