package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/** Gathers slices at given indices along an axis (rows of a batch, say). Backward scatter-adds. */
public final class IndexSelect extends Function {
  /** @return the gathered tensor */
  public static Tensor apply(Tensor a, int axis, int[] indices) {
    int ax = Shape.axis("indexSelect", axis, a.dim());
    int[] shape = a.shape();
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= shape[ax]) {
        throw new IndexOutOfBoundsException("indexSelect: index " + indices[i] + " (position " + i + ") is out of range for axis " + ax + " of shape " + Shape.str(shape));
      }
    }
    int[] os = shape.clone();
    os[ax] = indices.length;
    Tensor src = a.copyIfNotDense();
    Tensor out = Tensor.empty(a.dtype(), os);
    int outer = 1, inner = 1;
    for (int k = 0; k < ax; k++) outer *= shape[k];
    for (int k = ax + 1; k < shape.length; k++) inner *= shape[k];
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < indices.length; j++) {
        int from = (o * shape[ax] + indices[j]) * inner, to = (o * indices.length + j) * inner;
        if (a.dtype() == DType.FLOAT32) System.arraycopy(src.floats(), from, out.floats(), to, inner);
        else System.arraycopy(src.doubles(), from, out.doubles(), to, inner);
      }
    }
    IndexSelect fn = new IndexSelect();
    fn.save(ax, indices.clone());
    return fn.record(out, a);
  }

  @Override
  public String name() {
    return "index_select";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    int ax = saved(0);
    int[] idx = saved(1);
    int[] shape = input(0).shape();
    Tensor gd = g.copyIfNotDense();
    Tensor out = Tensor.zeros(g.dtype(), shape);
    int outer = 1, inner = 1;
    for (int k = 0; k < ax; k++) outer *= shape[k];
    for (int k = ax + 1; k < shape.length; k++) inner *= shape[k];
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < idx.length; j++) {
        int to = (o * shape[ax] + idx[j]) * inner, from = (o * idx.length + j) * inner;
        if (g.dtype() == DType.FLOAT32) {
          float[] s = gd.floats(), d = out.floats();
          for (int k = 0; k < inner; k++) d[to + k] += s[from + k];
        } else {
          double[] s = gd.doubles(), d = out.doubles();
          for (int k = 0; k < inner; k++) d[to + k] += s[from + k];
        }
      }
    }
    return new Tensor[] {out};
  }
}
