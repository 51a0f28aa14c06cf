package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/**
 * col2im, as {@code torch.nn.functional.fold}: columns {@code (N, C*kh*kw, L)} laid out as by
 * {@link Im2Col} are added back onto an {@code (N, C, H, W)} image; a pixel covered by several
 * windows receives the sum of its entries, and entries that fall on padding are dropped. It is the
 * adjoint of im2col, so backward is {@link Im2Col}.
 */
public final class Col2Im extends Function {
  /** @return the image (N, C, h, w) assembled from {@code cols} (N, C*kh*kw, L) for window {@code g} */
  public static Tensor apply(Tensor cols, int h, int w, Window2d g) {
    int[] s = cols.shape();
    if (s.length != 3) {
      throw new IllegalArgumentException("col2im: expects columns of rank 3 (N, C*kh*kw, L), got shape " + Shape.str(s) + " (rank " + s.length + ")");
    }
    if (h < 1 || w < 1) throw new IllegalArgumentException("col2im: output size must be positive, got " + h + "x" + w);
    int taps = g.kh * g.kw;
    if (s[1] % taps != 0) {
      throw new IllegalArgumentException("col2im: columns of shape " + Shape.str(s) + " have " + s[1]
          + " rows, not a multiple of kh*kw = " + taps + " (" + g + ")");
    }
    g.checkFits("col2im", new int[] {s[0], s[1] / taps, h, w}, h, w);
    int outH = g.outH(h), outW = g.outW(w), l = outH * outW;
    if (s[2] != l) {
      throw new IllegalArgumentException("col2im: columns of shape " + Shape.str(s) + " have L = " + s[2] + ", but a "
          + h + "x" + w + " output with " + g + " has " + outH + "x" + outW + " = " + l + " window positions");
    }
    int n = s[0], c = s[1] / taps;
    Tensor out = Tensor.empty(cols.dtype(), n, c, h, w);
    Tensor src = cols.copyIfNotDense();
    int inStep = s[1] * l, outStep = c * h * w;
    if (cols.dtype() == DType.FLOAT32) {
      float[] cs = src.floats(), x = out.floats();
      for (int i = 0; i < n; i++) fold(cs, i * inStep, x, i * outStep, c, h, w, g);
    } else {
      double[] cs = src.doubles(), x = out.doubles();
      for (int i = 0; i < n; i++) fold(cs, i * inStep, x, i * outStep, c, h, w, g);
    }
    Col2Im fn = new Col2Im();
    fn.save(g);
    return fn.record(out, cols);
  }

  @Override
  public String name() {
    return "col2im";
  }

  @Override
  protected Tensor[] backward(Tensor grad) {
    return new Tensor[] {Im2Col.apply(grad, saved(0))};
  }

  /**
   * Low level: folds one image's columns, ADDING into {@code x} (the caller zeroes it). Reads the
   * columns row by row (contiguously), the mirror image of {@link Im2Col#unfold}.
   *
   * @param cols the {@code (C*kh*kw, outH*outW)} block starting at {@code colOff}
   * @param x destination, the {@code (C, H, W)} block starting at {@code xOff}
   */
  public static void fold(float[] cols, int colOff, float[] x, int xOff, int c, int h, int w, Window2d g) {
    int outH = g.outH(h), outW = g.outW(w), row = colOff;
    for (int ch = 0; ch < c; ch++) {
      int plane = xOff + ch * h * w;
      for (int ki = 0; ki < g.kh; ki++) {
        for (int kj = 0; kj < g.kw; kj++, row += outH * outW) {
          int shiftW = kj * g.dw - g.pw; // input column = ow * sw + shiftW
          int lo = g.firstColInside(kj, w), hi = g.endColInside(kj, w);
          for (int oh = 0; oh < outH; oh++) {
            int ih = oh * g.sh - g.ph + ki * g.dh;
            if (ih < 0 || ih >= h) continue;
            int src = row + oh * outW, dst = plane + ih * w + shiftW;
            if (g.sw == 1) for (int ow = lo; ow < hi; ow++) x[dst + ow] += cols[src + ow];
            else for (int ow = lo; ow < hi; ow++) x[dst + ow * g.sw] += cols[src + ow];
          }
        }
      }
    }
  }

  /** Low level: {@link #fold(float[], int, float[], int, int, int, int, Window2d)} for float64. */
  public static void fold(double[] cols, int colOff, double[] x, int xOff, int c, int h, int w, Window2d g) {
    int outH = g.outH(h), outW = g.outW(w), row = colOff;
    for (int ch = 0; ch < c; ch++) {
      int plane = xOff + ch * h * w;
      for (int ki = 0; ki < g.kh; ki++) {
        for (int kj = 0; kj < g.kw; kj++, row += outH * outW) {
          int shiftW = kj * g.dw - g.pw;
          int lo = g.firstColInside(kj, w), hi = g.endColInside(kj, w);
          for (int oh = 0; oh < outH; oh++) {
            int ih = oh * g.sh - g.ph + ki * g.dh;
            if (ih < 0 || ih >= h) continue;
            int src = row + oh * outW, dst = plane + ih * w + shiftW;
            if (g.sw == 1) for (int ow = lo; ow < hi; ow++) x[dst + ow] += cols[src + ow];
            else for (int ow = lo; ow < hi; ow++) x[dst + ow * g.sw] += cols[src + ow];
          }
        }
      }
    }
  }
}
