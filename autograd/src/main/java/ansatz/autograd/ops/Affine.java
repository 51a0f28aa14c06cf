package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.ColumnSums;
import ansatz.autograd.kernel.Gemm;
import ansatz.autograd.kernel.ReluKernel;

/**
 * The fully connected layer as one op: {@code z = scale * x W^T + b}, optionally followed by
 * ReLU, for x of shape (..., in), W (out, in) and b (out) or none.
 *
 * <p>Forward, as PyTorch's {@code addmm}: the output rows are first filled with the bias, then one
 * GEMM adds {@code scale * x W^T} on top (beta = 1), and the optional ReLU runs in place on the
 * result, so the pre-activation is never a separate tensor. Backward, with gz = g (masked by
 * output &gt; 0 under ReLU):
 *
 * <pre>
 * dx = scale * gz W        dW = scale * gz^T x        db = column sums of gz
 * </pre>
 *
 * dW comes out in W's own (out, in) layout, and all three are buffers the engine may hand over
 * to the parameters' {@code grad} without copying ({@link Function#owned}).
 */
public final class Affine extends Function {
  private final double scale;
  private final boolean relu;

  private Affine(double scale, boolean relu) {
    this.scale = scale;
    this.relu = relu;
  }

  /**
   * @param x input, shape (..., in)
   * @param w weight, shape (out, in)
   * @param b bias, shape (out), or null
   * @param scale multiplies x W^T (1 for the standard layer, 1/sqrt(in) under NTK scaling)
   * @param relu whether ReLU follows
   * @return the output, shape (..., out)
   * @throws IllegalArgumentException if shapes do not fit or element types differ
   */
  public static Tensor apply(Tensor x, Tensor w, Tensor b, double scale, boolean relu) {
    check(x, w, b);
    int in = w.size(1), out = w.size(0);
    int m = rows(x.shape());
    int[] outShape = x.shape();
    outShape[outShape.length - 1] = out;
    Tensor xd = x.copyIfNotDense(), wd = w.copyIfNotDense();
    Tensor z = Tensor.empty(x.dtype(), outShape);
    if (b != null) fillRows(z, b.copyIfNotDense(), m, out);
    if (x.dtype() == DType.FLOAT32) {
      Gemm.sgemm(false, true, m, out, in, (float) scale, xd.storage().f, 0, Math.max(in, 1), wd.storage().f, 0, Math.max(in, 1),
          b != null ? 1f : 0f, z.storage().f, 0, Math.max(out, 1));
      if (relu) ReluKernel.forward(z.storage().f, 0, z.storage().f, 0, z.numel());
    } else {
      Gemm.dgemm(false, true, m, out, in, scale, xd.storage().d, 0, Math.max(in, 1), wd.storage().d, 0, Math.max(in, 1),
          b != null ? 1.0 : 0.0, z.storage().d, 0, Math.max(out, 1));
      if (relu) ReluKernel.forward(z.storage().d, 0, z.storage().d, 0, z.numel());
    }
    Affine fn = new Affine(scale, relu);
    fn.save(xd, wd, relu ? z : null);
    return fn.record(z, x, w, b);
  }

  private static void check(Tensor x, Tensor w, Tensor b) {
    if (w.dim() != 2) throw new IllegalArgumentException("linear: weight must have shape (out, in), got " + Shape.str(w.shape()));
    if (x.dim() == 0 || x.size(-1) != w.size(1)) {
      throw new IllegalArgumentException("linear: input of shape " + Shape.str(x.shape()) + " does not end in " + w.size(1)
          + " (weight " + Shape.str(w.shape()) + ")");
    }
    if (b != null && (b.dim() != 1 || b.size(0) != w.size(0))) {
      throw new IllegalArgumentException("linear: bias of shape " + Shape.str(b.shape()) + " does not match weight " + Shape.str(w.shape()));
    }
    if (x.dtype() != w.dtype() || (b != null && b.dtype() != w.dtype())) {
      throw new IllegalArgumentException("linear: input is " + x.dtype() + ", weight " + w.dtype()
          + (b != null ? ", bias " + b.dtype() : "") + "; convert them to one type");
    }
  }

  /** @return the number of rows, the product of all but the last axis */
  private static int rows(int[] shape) {
    return Shape.numel(java.util.Arrays.copyOf(shape, shape.length - 1));
  }

  /** Copies the bias into every one of the m rows of z. */
  private static void fillRows(Tensor z, Tensor b, int m, int out) {
    for (int i = 0; i < m; i++) {
      if (z.dtype() == DType.FLOAT32) System.arraycopy(b.storage().f, 0, z.storage().f, i * out, out);
      else System.arraycopy(b.storage().d, 0, z.storage().d, i * out, out);
    }
  }

  @Override
  public String name() {
    return relu ? "linear_relu" : "linear";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor xd = saved(0), wd = saved(1), z = saved(2);
    int in = wd.size(1), out = wd.size(0);
    int[] outShape = g.shape();
    int m = rows(outShape);
    Tensor gz = relu ? Relu.mask(g, z) : Elementwise.dense(g, outShape, wd.dtype());
    Tensor gx = null, gw = null, gb = null;
    boolean f32 = wd.dtype() == DType.FLOAT32;
    int ldIn = Math.max(in, 1), ldOut = Math.max(out, 1);
    if (needsGrad(0)) {
      gx = Tensor.empty(wd.dtype(), xd.shape());
      if (f32) Gemm.sgemm(false, false, m, in, out, (float) scale, gz.storage().f, 0, ldOut, wd.storage().f, 0, ldIn, 0f, gx.storage().f, 0, ldIn);
      else Gemm.dgemm(false, false, m, in, out, scale, gz.storage().d, 0, ldOut, wd.storage().d, 0, ldIn, 0.0, gx.storage().d, 0, ldIn);
    }
    if (needsGrad(1)) {
      gw = Tensor.empty(wd.dtype(), out, in);
      if (f32) Gemm.sgemm(true, false, out, in, m, (float) scale, gz.storage().f, 0, ldOut, xd.storage().f, 0, ldIn, 0f, gw.storage().f, 0, ldIn);
      else Gemm.dgemm(true, false, out, in, m, scale, gz.storage().d, 0, ldOut, xd.storage().d, 0, ldIn, 0.0, gw.storage().d, 0, ldIn);
    }
    if (needsGrad(2)) {
      gb = Tensor.empty(wd.dtype(), out);
      if (f32) ColumnSums.sum(gz.storage().f, 0, m, out, gb.storage().f, 0);
      else ColumnSums.sum(gz.storage().d, 0, m, out, gb.storage().d, 0);
    }
    return new Tensor[] {gx == null ? null : owned(gx), gw == null ? null : owned(gw), gb == null ? null : owned(gb)};
  }
}
