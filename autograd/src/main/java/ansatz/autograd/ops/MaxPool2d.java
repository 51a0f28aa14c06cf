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
    int planes = n * c, hw = h * w;
    if (x.dtype() == DType.FLOAT32) {
      float[] xs = src.floats(), ys = out.floats();
      for (int p = 0, o = 0; p < planes; p++) {
        for (int oh = 0; oh < outH; oh++) {
          int h0 = Math.max(oh * g.sh - g.ph, 0), h1 = Math.min(oh * g.sh - g.ph + g.kh, h);
          for (int ow = 0; ow < outW; ow++, o++) {
            int w0 = Math.max(ow * g.sw - g.pw, 0), w1 = Math.min(ow * g.sw - g.pw + g.kw, w);
            int best = p * hw + h0 * w + w0;
            float bv = Float.NEGATIVE_INFINITY;
            for (int ih = h0; ih < h1; ih++) {
              for (int iw = w0, i = p * hw + ih * w + w0; iw < w1; iw++, i++) {
                float v = xs[i];
                if (v > bv || Float.isNaN(v)) {
                  bv = v;
                  best = i;
                }
              }
            }
            ys[o] = bv;
            argmax[o] = best;
          }
        }
      }
    } else {
      double[] xs = src.doubles(), ys = out.doubles();
      for (int p = 0, o = 0; p < planes; p++) {
        for (int oh = 0; oh < outH; oh++) {
          int h0 = Math.max(oh * g.sh - g.ph, 0), h1 = Math.min(oh * g.sh - g.ph + g.kh, h);
          for (int ow = 0; ow < outW; ow++, o++) {
            int w0 = Math.max(ow * g.sw - g.pw, 0), w1 = Math.min(ow * g.sw - g.pw + g.kw, w);
            int best = p * hw + h0 * w + w0;
            double bv = Double.NEGATIVE_INFINITY;
            for (int ih = h0; ih < h1; ih++) {
              for (int iw = w0, i = p * hw + ih * w + w0; iw < w1; iw++, i++) {
                double v = xs[i];
                if (v > bv || Double.isNaN(v)) {
                  bv = v;
                  best = i;
                }
              }
            }
            ys[o] = bv;
            argmax[o] = best;
          }
        }
      }
    }
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
