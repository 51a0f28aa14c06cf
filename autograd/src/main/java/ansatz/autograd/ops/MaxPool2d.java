package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/**
 * 2-D max pooling over an NCHW batch, as {@code torch.nn.functional.max_pool2d} (no dilation,
 * floor mode): each output is the maximum of its window, padding counts as minus infinity. The
 * gradient goes to one position per window: the first maximum in row-major window order, or the
 * last NaN if the window holds NaNs (the same choice as PyTorch).
 */
public final class MaxPool2d extends Function {
  /** @return the pooled batch (N, C, outH, outW) of {@code x} (N, C, H, W) */
  public static Tensor apply(Tensor x, Window2d g) {
    int[] s = checkedShape("maxPool2d", x, g);
    int n = s[0], c = s[1], h = s[2], w = s[3], outH = g.outH(h), outW = g.outW(w);
    Tensor out = Tensor.empty(x.dtype(), n, c, outH, outW);
    int[] argmax = new int[n * c * outH * outW]; // flat index into x of each output's maximum
    Tensor src = x.copyIfNotDense();
    if (x.dtype() == DType.FLOAT32) forward(src.floats(), out.floats(), argmax, n * c, h, w, g);
    else forward(src.doubles(), out.doubles(), argmax, n * c, h, w, g);
    MaxPool2d fn = new MaxPool2d();
    fn.save(argmax);
    return fn.record(out, x);
  }

  @Override
  public String name() {
    return "max_pool2d";
  }

  @Override
  protected Tensor[] backward(Tensor grad) {
    int[] argmax = saved(0);
    Tensor gd = grad.copyIfNotDense();
    Tensor gx = Tensor.zeros(grad.dtype(), input(0).shape());
    if (grad.dtype() == DType.FLOAT32) {
      float[] gs = gd.floats(), d = gx.floats();
      for (int o = 0; o < argmax.length; o++) d[argmax[o]] += gs[o];
    } else {
      double[] gs = gd.doubles(), d = gx.doubles();
      for (int o = 0; o < argmax.length; o++) d[argmax[o]] += gs[o];
    }
    return new Tensor[] {gx};
  }

  /**
   * Low level: max pooling of {@code planes} images of h x w, writing the maxima to {@code y} and
   * the flat index (into {@code x}) of each maximum to {@code argmax}.
   */
  static void forward(float[] x, float[] y, int[] argmax, int planes, int h, int w, Window2d g) {
    int outH = g.outH(h), outW = g.outW(w);
    for (int p = 0, o = 0; p < planes; p++) {
      int plane = p * h * w;
      for (int oh = 0; oh < outH; oh++) {
        int h0 = Math.max(oh * g.sh - g.ph, 0), h1 = Math.min(oh * g.sh - g.ph + g.kh, h);
        for (int ow = 0; ow < outW; ow++, o++) {
          int w0 = Math.max(ow * g.sw - g.pw, 0), w1 = Math.min(ow * g.sw - g.pw + g.kw, w);
          // Two passes instead of one "if (v > best)" loop: that branch is mispredicted about half
          // the time on real data, Math.max is branch-free and the search below is predictable.
          float bv = Float.NEGATIVE_INFINITY;
          for (int ih = h0; ih < h1; ih++) {
            for (int i = plane + ih * w + w0, end = i + w1 - w0; i < end; i++) bv = Math.max(bv, x[i]);
          }
          int at = bv != bv ? lastNaN(x, plane, h0, h1, w0, w1, w) : firstEqual(x, bv, plane, h0, h1, w0, w1, w);
          argmax[o] = at;
          y[o] = x[at]; // not bv: Math.max(-0.0, 0.0) is 0.0, PyTorch keeps the first one's sign
        }
      }
    }
  }

  /** Low level: {@link #forward(float[], float[], int[], int, int, int, Window2d)} for float64. */
  static void forward(double[] x, double[] y, int[] argmax, int planes, int h, int w, Window2d g) {
    int outH = g.outH(h), outW = g.outW(w);
    for (int p = 0, o = 0; p < planes; p++) {
      int plane = p * h * w;
      for (int oh = 0; oh < outH; oh++) {
        int h0 = Math.max(oh * g.sh - g.ph, 0), h1 = Math.min(oh * g.sh - g.ph + g.kh, h);
        for (int ow = 0; ow < outW; ow++, o++) {
          int w0 = Math.max(ow * g.sw - g.pw, 0), w1 = Math.min(ow * g.sw - g.pw + g.kw, w);
          double bv = Double.NEGATIVE_INFINITY;
          for (int ih = h0; ih < h1; ih++) {
            for (int i = plane + ih * w + w0, end = i + w1 - w0; i < end; i++) bv = Math.max(bv, x[i]);
          }
          int at = bv != bv ? lastNaN(x, plane, h0, h1, w0, w1, w) : firstEqual(x, bv, plane, h0, h1, w0, w1, w);
          argmax[o] = at;
          y[o] = x[at]; // not bv: Math.max(-0.0, 0.0) is 0.0, PyTorch keeps the first one's sign
        }
      }
    }
  }

  // As PyTorch: the gradient goes to the first maximum in row-major window order, or to the last NaN.

  private static int firstEqual(float[] x, float m, int plane, int h0, int h1, int w0, int w1, int w) {
    for (int ih = h0; ih < h1; ih++) {
      for (int i = plane + ih * w + w0, end = i + w1 - w0; i < end; i++) if (x[i] == m) return i;
    }
    throw new AssertionError("maximum not found in its window");
  }

  private static int firstEqual(double[] x, double m, int plane, int h0, int h1, int w0, int w1, int w) {
    for (int ih = h0; ih < h1; ih++) {
      for (int i = plane + ih * w + w0, end = i + w1 - w0; i < end; i++) if (x[i] == m) return i;
    }
    throw new AssertionError("maximum not found in its window");
  }

  private static int lastNaN(float[] x, int plane, int h0, int h1, int w0, int w1, int w) {
    int last = -1;
    for (int ih = h0; ih < h1; ih++) {
      for (int i = plane + ih * w + w0, end = i + w1 - w0; i < end; i++) if (x[i] != x[i]) last = i;
    }
    return last;
  }

  private static int lastNaN(double[] x, int plane, int h0, int h1, int w0, int w1, int w) {
    int last = -1;
    for (int ih = h0; ih < h1; ih++) {
      for (int i = plane + ih * w + w0, end = i + w1 - w0; i < end; i++) if (x[i] != x[i]) last = i;
    }
    return last;
  }

  /** Shared by the pooling ops: rank 4, dilation 1, padding at most half the kernel, kernel fits. */
  static int[] checkedShape(String op, Tensor x, Window2d g) {
    int[] s = x.shape();
    if (s.length != 4) {
      throw new IllegalArgumentException(op + ": expects an NCHW input of rank 4, got shape " + Shape.str(s) + " (rank " + s.length + ")");
    }
    if (g.dh != 1 || g.dw != 1) throw new IllegalArgumentException(op + ": dilation is not supported, got " + g);
    g.checkPoolPadding(op);
    g.checkFits(op, s, s[2], s[3]);
    return s;
  }
}
