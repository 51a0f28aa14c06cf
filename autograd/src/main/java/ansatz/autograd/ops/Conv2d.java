package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/**
 * 2-D convolution of an NCHW batch, as {@code torch.nn.functional.conv2d} (groups = 1) with an
 * extra constant factor: {@code out = scale * conv(x, weight) + bias}, where weight is
 * {@code (O, C, kh, kw)} and bias {@code (O)} or null.
 *
 * <p>It computes exactly what {@code weight.reshape(O, -1).matmul(x.im2col(...))} computes, one
 * image at a time: the image's im2col matrix goes into a small per-thread buffer (it is never
 * stored for the whole batch) and one GEMM writes the image's output straight into its NCHW place.
 * Backward rebuilds each image's columns instead of keeping them, then
 * <ul>
 *   <li>dW = scale * sum over images of g_i cols_i^T (summed in an order fixed by the shapes, see
 *       {@link ConvLoops}),
 *   <li>dx_i = col2im(scale * W^T g_i), straight into the image's place in dx,
 *   <li>db = sum of g over images and positions.
 * </ul>
 */
public final class Conv2d extends Function {
  private final Window2d g;
  private final double scale;
  private final boolean hasBias;

  private Conv2d(Window2d g, double scale, boolean hasBias) {
    this.g = g;
    this.scale = scale;
    this.hasBias = hasBias;
  }

  /**
   * @param x input (N, C, H, W)
   * @param weight filters (O, C, kh, kw); {@code g}'s kernel size must be (kh, kw)
   * @param bias (O), or null for none
   * @param g stride, padding and dilation (and the kernel size)
   * @param scale factor applied to the convolution before the bias is added (1 for a plain conv2d)
   * @return the output (N, O, outH, outW)
   * @throws IllegalArgumentException for ranks, channel counts, kernel sizes or dtypes that do not
   *     match, or a kernel larger than the padded image
   */
  public static Tensor apply(Tensor x, Tensor weight, Tensor bias, Window2d g, double scale) {
    int[] s = x.shape(), ws = weight.shape();
    if (s.length != 4) {
      throw new IllegalArgumentException("conv2d: expects an NCHW input of rank 4, got shape " + Shape.str(s) + " (rank " + s.length + ")");
    }
    if (ws.length != 4 || ws[1] != s[1] || ws[2] != g.kh || ws[3] != g.kw) {
      throw new IllegalArgumentException("conv2d: weight of shape " + Shape.str(ws) + " does not fit input " + Shape.str(s)
          + " and " + g + " (expected (out, " + s[1] + ", " + g.kh + ", " + g.kw + "))");
    }
    if (bias != null && (bias.dim() != 1 || bias.size(0) != ws[0])) {
      throw new IllegalArgumentException("conv2d: bias of shape " + Shape.str(bias.shape()) + " does not fit " + ws[0] + " output channels (expected [" + ws[0] + "])");
    }
    DType dt = x.dtype();
    if (weight.dtype() != dt || (bias != null && bias.dtype() != dt)) {
      throw new IllegalArgumentException("conv2d: input is " + dt + " but weight is " + weight.dtype() + (bias != null ? " and bias is " + bias.dtype() : ""));
    }
    int n = s[0], c = s[1], h = s[2], w = s[3], o = ws[0];
    g.checkFits("conv2d", s, h, w);
    Tensor out = Tensor.empty(dt, n, o, g.outH(h), g.outW(w));
    Tensor xd = x.copyIfNotDense(), wd = weight.copyIfNotDense(), bd = bias == null ? null : bias.copyIfNotDense();
    if (dt == DType.FLOAT32) {
      ConvLoopsF32.forward(n, c, h, w, o, g, xd.floats(), wd.floats(), bd == null ? null : bd.floats(), (float) scale, out.floats());
    } else {
      ConvLoopsF64.forward(n, c, h, w, o, g, xd.doubles(), wd.doubles(), bd == null ? null : bd.doubles(), scale, out.doubles());
    }
    Conv2d fn = new Conv2d(g, scale, bias != null);
    fn.save(xd, wd);
    return bias == null ? fn.record(out, x, weight) : fn.record(out, x, weight, bias);
  }

  @Override
  public String name() {
    return "conv2d";
  }

  @Override
  protected Tensor[] backward(Tensor grad) {
    Tensor x = input(0), weight = input(1);
    int[] s = x.shape();
    int n = s[0], c = s[1], h = s[2], w = s[3], o = weight.size(0);
    DType dt = grad.dtype();
    Tensor gd = grad.copyIfNotDense(), xd = saved(0), wd = saved(1);
    Tensor dx = needsGrad(0) ? Tensor.empty(dt, s) : null;
    Tensor dw = needsGrad(1) ? Tensor.empty(dt, weight.shape()) : null;
    Tensor db = hasBias && needsGrad(2) ? Tensor.empty(dt, o) : null;
    if (dt == DType.FLOAT32) {
      ConvLoopsF32.backward(n, c, h, w, o, g, xd.floats(), wd.floats(), (float) scale, gd.floats(),
          dx == null ? null : dx.floats(), dw == null ? null : dw.floats(), db == null ? null : db.floats());
    } else {
      ConvLoopsF64.backward(n, c, h, w, o, g, xd.doubles(), wd.doubles(), scale, gd.doubles(),
          dx == null ? null : dx.doubles(), dw == null ? null : dw.doubles(), db == null ? null : db.doubles());
    }
    return hasBias ? new Tensor[] {dx, dw, db} : new Tensor[] {dx, dw};
  }
}
