package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.ReluKernel;

/**
 * max(x, 0), one vectorized pass each way ({@link ReluKernel}). Only the output is kept for
 * backward: the gradient is g where the output is positive and 0 elsewhere (also where g is
 * infinite or NaN, as PyTorch's threshold_backward). When the engine owns g
 * ({@link Function#overwritable}) the mask is applied in place and no buffer is allocated.
 */
public final class Relu extends Function {
  /** @return max(a, 0) elementwise (NaN and -0 give 0) */
  public static Tensor apply(Tensor a) {
    Tensor x = a.copyIfNotDense();
    Tensor y = Tensor.empty(a.dtype(), a.shape());
    int n = y.numel();
    if (a.dtype() == DType.FLOAT32) ReluKernel.forward(x.storage().f, 0, y.storage().f, 0, n);
    else ReluKernel.forward(x.storage().d, 0, y.storage().d, 0, n);
    Relu fn = new Relu();
    fn.save(y);
    return fn.record(y, a);
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor y = saved(0);
    return new Tensor[] {mask(g, y)};
  }

  /**
   * @return g where {@code out > 0}, else 0, as an engine-owned buffer: g itself if the engine
   *     owns it, else a new tensor (g is broadcast to out's shape if needed)
   */
  static Tensor mask(Tensor g, Tensor out) {
    int n = out.numel();
    boolean inPlace = overwritable(g) && g.dtype() == out.dtype() && java.util.Arrays.equals(g.shape(), out.shape());
    Tensor gd = inPlace ? g : Elementwise.dense(g, out.shape(), out.dtype());
    Tensor dx = inPlace ? g : Tensor.empty(out.dtype(), out.shape());
    if (out.dtype() == DType.FLOAT32) ReluKernel.backward(gd.storage().f, 0, out.storage().f, out.offset(), dx.storage().f, 0, n);
    else ReluKernel.backward(gd.storage().d, 0, out.storage().d, out.offset(), dx.storage().d, 0, n);
    return owned(dx);
  }
}
