package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Tensor;

/**
 * 2-D average pooling over an NCHW batch, as {@code torch.nn.functional.avg_pool2d} with its
 * defaults (floor mode, {@code count_include_pad=True}): each output is the sum of its window's
 * pixels divided by kh*kw, padding counting as zeros. Backward spreads {@code g / (kh*kw)} over each
 * window's pixels.
 */
public final class AvgPool2d extends Function {
  /** @return the pooled batch (N, C, outH, outW) of {@code x} (N, C, H, W) */
  public static Tensor apply(Tensor x, Window2d g) {
    int[] s = MaxPool2d.checkedShape("avgPool2d", x, g);
    int n = s[0], c = s[1], h = s[2], w = s[3], outH = g.outH(h), outW = g.outW(w);
    Tensor out = Tensor.empty(x.dtype(), n, c, outH, outW);
    Tensor src = x.copyIfNotDense();
    if (x.dtype() == DType.FLOAT32) forward(src.floats(), out.floats(), n * c, h, w, g);
    else forward(src.doubles(), out.doubles(), n * c, h, w, g);
    AvgPool2d fn = new AvgPool2d();
    fn.save(g);
    return fn.record(out, x);
  }

  @Override
  public String name() {
    return "avg_pool2d";
  }

  @Override
  protected Tensor[] backward(Tensor grad) {
    Window2d g = saved(0);
    int[] s = input(0).shape();
    Tensor gd = grad.copyIfNotDense();
    Tensor gx = Tensor.zeros(grad.dtype(), s);
    if (grad.dtype() == DType.FLOAT32) backward(gd.floats(), gx.floats(), s[0] * s[1], s[2], s[3], g);
    else backward(gd.doubles(), gx.doubles(), s[0] * s[1], s[2], s[3], g);
    return new Tensor[] {gx};
  }

  /** Low level: average pooling of {@code planes} images of h x w from {@code x} into {@code y}. */
  static void forward(float[] x, float[] y, int planes, int h, int w, Window2d g) {
    int outH = g.outH(h), outW = g.outW(w), area = g.kh * g.kw;
    for (int p = 0, o = 0; p < planes; p++) {
      int plane = p * h * w;
      for (int oh = 0; oh < outH; oh++) {
        int h0 = Math.max(oh * g.sh - g.ph, 0), h1 = Math.min(oh * g.sh - g.ph + g.kh, h);
        for (int ow = 0; ow < outW; ow++, o++) {
          int w0 = Math.max(ow * g.sw - g.pw, 0), w1 = Math.min(ow * g.sw - g.pw + g.kw, w);
          float sum = 0;
          for (int ih = h0; ih < h1; ih++) {
            for (int i = plane + ih * w + w0, end = i + w1 - w0; i < end; i++) sum += x[i];
          }
          y[o] = sum / area; // count_include_pad: padded pixels count in the divisor
        }
      }
    }
  }

  /** Low level: {@link #forward(float[], float[], int, int, int, Window2d)} for float64. */
  static void forward(double[] x, double[] y, int planes, int h, int w, Window2d g) {
    int outH = g.outH(h), outW = g.outW(w), area = g.kh * g.kw;
    for (int p = 0, o = 0; p < planes; p++) {
      int plane = p * h * w;
      for (int oh = 0; oh < outH; oh++) {
        int h0 = Math.max(oh * g.sh - g.ph, 0), h1 = Math.min(oh * g.sh - g.ph + g.kh, h);
        for (int ow = 0; ow < outW; ow++, o++) {
          int w0 = Math.max(ow * g.sw - g.pw, 0), w1 = Math.min(ow * g.sw - g.pw + g.kw, w);
          double sum = 0;
          for (int ih = h0; ih < h1; ih++) {
            for (int i = plane + ih * w + w0, end = i + w1 - w0; i < end; i++) sum += x[i];
          }
          y[o] = sum / area;
        }
      }
    }
  }

  /** Low level: adds each output gradient {@code gy / (kh*kw)} to its window's pixels in {@code gx}. */
  static void backward(float[] gy, float[] gx, int planes, int h, int w, Window2d g) {
    int outH = g.outH(h), outW = g.outW(w), area = g.kh * g.kw;
    for (int p = 0, o = 0; p < planes; p++) {
      int plane = p * h * w;
      for (int oh = 0; oh < outH; oh++) {
        int h0 = Math.max(oh * g.sh - g.ph, 0), h1 = Math.min(oh * g.sh - g.ph + g.kh, h);
        for (int ow = 0; ow < outW; ow++, o++) {
          int w0 = Math.max(ow * g.sw - g.pw, 0), w1 = Math.min(ow * g.sw - g.pw + g.kw, w);
          float share = gy[o] / area;
          for (int ih = h0; ih < h1; ih++) {
            for (int i = plane + ih * w + w0, end = i + w1 - w0; i < end; i++) gx[i] += share;
          }
        }
      }
    }
  }

  /** Low level: {@link #backward(float[], float[], int, int, int, Window2d)} for float64. */
  static void backward(double[] gy, double[] gx, int planes, int h, int w, Window2d g) {
    int outH = g.outH(h), outW = g.outW(w), area = g.kh * g.kw;
    for (int p = 0, o = 0; p < planes; p++) {
      int plane = p * h * w;
      for (int oh = 0; oh < outH; oh++) {
        int h0 = Math.max(oh * g.sh - g.ph, 0), h1 = Math.min(oh * g.sh - g.ph + g.kh, h);
        for (int ow = 0; ow < outW; ow++, o++) {
          int w0 = Math.max(ow * g.sw - g.pw, 0), w1 = Math.min(ow * g.sw - g.pw + g.kw, w);
          double share = gy[o] / area;
          for (int ih = h0; ih < h1; ih++) {
            for (int i = plane + ih * w + w0, end = i + w1 - w0; i < end; i++) gx[i] += share;
          }
        }
      }
    }
  }
}
