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
    int planes = n * c, hw = h * w, area = g.kh * g.kw;
    if (x.dtype() == DType.FLOAT32) {
      float[] xs = src.floats(), ys = out.floats();
      for (int p = 0, o = 0; p < planes; p++) {
        for (int oh = 0; oh < outH; oh++) {
          int h0 = Math.max(oh * g.sh - g.ph, 0), h1 = Math.min(oh * g.sh - g.ph + g.kh, h);
          for (int ow = 0; ow < outW; ow++, o++) {
            int w0 = Math.max(ow * g.sw - g.pw, 0), w1 = Math.min(ow * g.sw - g.pw + g.kw, w);
            float sum = 0;
            for (int ih = h0; ih < h1; ih++) {
              for (int i = p * hw + ih * w + w0, end = i + w1 - w0; i < end; i++) sum += xs[i];
            }
            ys[o] = sum / area;
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
            double sum = 0;
            for (int ih = h0; ih < h1; ih++) {
              for (int i = p * hw + ih * w + w0, end = i + w1 - w0; i < end; i++) sum += xs[i];
            }
            ys[o] = sum / area;
          }
        }
      }
    }
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
    int planes = s[0] * s[1], h = s[2], w = s[3], hw = h * w, outH = g.outH(h), outW = g.outW(w), area = g.kh * g.kw;
    Tensor gd = grad.copyIfNotDense();
    Tensor gx = Tensor.zeros(grad.dtype(), s);
    if (grad.dtype() == DType.FLOAT32) {
      float[] gs = gd.floats(), d = gx.floats();
      for (int p = 0, o = 0; p < planes; p++) {
        for (int oh = 0; oh < outH; oh++) {
          int h0 = Math.max(oh * g.sh - g.ph, 0), h1 = Math.min(oh * g.sh - g.ph + g.kh, h);
          for (int ow = 0; ow < outW; ow++, o++) {
            int w0 = Math.max(ow * g.sw - g.pw, 0), w1 = Math.min(ow * g.sw - g.pw + g.kw, w);
            float share = gs[o] / area;
            for (int ih = h0; ih < h1; ih++) {
              for (int i = p * hw + ih * w + w0, end = i + w1 - w0; i < end; i++) d[i] += share;
            }
          }
        }
      }
    } else {
      double[] gs = gd.doubles(), d = gx.doubles();
      for (int p = 0, o = 0; p < planes; p++) {
        for (int oh = 0; oh < outH; oh++) {
          int h0 = Math.max(oh * g.sh - g.ph, 0), h1 = Math.min(oh * g.sh - g.ph + g.kh, h);
          for (int ow = 0; ow < outW; ow++, o++) {
            int w0 = Math.max(ow * g.sw - g.pw, 0), w1 = Math.min(ow * g.sw - g.pw + g.kw, w);
            double share = gs[o] / area;
            for (int ih = h0; ih < h1; ih++) {
              for (int i = p * hw + ih * w + w0, end = i + w1 - w0; i < end; i++) d[i] += share;
            }
          }
        }
      }
    }
    return new Tensor[] {gx};
  }
}
