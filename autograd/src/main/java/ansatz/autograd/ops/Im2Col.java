package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import java.util.Arrays;

/**
 * im2col, as {@code torch.nn.functional.unfold}: an NCHW image batch becomes the columns
 * {@code (N, C*kh*kw, L)}, one column per window position ({@code L = outH*outW}, row-major over
 * the positions) and one row per (channel, kernel row, kernel column), channel-major. A convolution is
 * then one matrix product: {@code weight.reshape(Cout, C*kh*kw).matmul(cols)}. Backward is
 * {@link Col2Im} (a scatter-add of the column gradients back onto the pixels they were read from).
 */
public final class Im2Col extends Function {
  /** @return the columns of {@code x} (N, C, H, W) for window {@code g}: shape (N, C*kh*kw, outH*outW) */
  public static Tensor apply(Tensor x, Window2d g) {
    int[] s = x.shape();
    if (s.length != 4) {
      throw new IllegalArgumentException("im2col: expects an NCHW input of rank 4, got shape " + Shape.str(s) + " (rank " + s.length + ")");
    }
    int n = s[0], c = s[1], h = s[2], w = s[3];
    g.checkFits("im2col", s, h, w);
    int rows = c * g.kh * g.kw, l = g.outH(h) * g.outW(w);
    Tensor out = Tensor.empty(x.dtype(), n, rows, l);
    Tensor src = x.copyIfNotDense();
    int inStep = c * h * w, outStep = rows * l;
    if (x.dtype() == DType.FLOAT32) {
      float[] xs = src.floats(), cols = out.floats();
      for (int i = 0; i < n; i++) unfold(xs, i * inStep, cols, i * outStep, c, h, w, g);
    } else {
      double[] xs = src.doubles(), cols = out.doubles();
      for (int i = 0; i < n; i++) unfold(xs, i * inStep, cols, i * outStep, c, h, w, g);
    }
    Im2Col fn = new Im2Col();
    fn.save(g);
    return fn.record(out, x);
  }

  @Override
  public String name() {
    return "im2col";
  }

  @Override
  protected Tensor[] backward(Tensor grad) {
    int[] s = input(0).shape();
    return new Tensor[] {Col2Im.apply(grad, s[2], s[3], saved(0))};
  }

  /**
   * Low level: unfolds one image into the {@code (C*kh*kw, L)} block at {@code colOff}: the block
   * is zeroed (padding becomes 0), then {@link #unfoldInside} writes the entries read from the image,
   * row by row (with stride 1 each row segment is a single array copy).
   *
   * @param x image data, the {@code (C, H, W)} block starting at {@code xOff}
   * @param cols destination, the {@code (C*kh*kw, outH*outW)} block starting at {@code colOff}
   */
  public static void unfold(float[] x, int xOff, float[] cols, int colOff, int c, int h, int w, Window2d g) {
    Arrays.fill(cols, colOff, colOff + c * g.kh * g.kw * g.outH(h) * g.outW(w), 0f);
    unfoldInside(x, xOff, cols, colOff, c, h, w, g);
  }

  /** Low level: {@link #unfold(float[], int, float[], int, int, int, int, Window2d)} for float64. */
  public static void unfold(double[] x, int xOff, double[] cols, int colOff, int c, int h, int w, Window2d g) {
    Arrays.fill(cols, colOff, colOff + c * g.kh * g.kw * g.outH(h) * g.outW(w), 0.0);
    unfoldInside(x, xOff, cols, colOff, c, h, w, g);
  }

  /**
   * Low level: {@link #unfold(float[], int, float[], int, int, int, int, Window2d)} that writes
   * only the entries read from the image and leaves the padding entries alone. For a buffer reused
   * image after image with one geometry the padding entries are the same every time, so zeroing
   * them once per buffer (a new array is zero) saves a fill per image: the convolution op does so.
   */
  public static void unfoldInside(float[] x, int xOff, float[] cols, int colOff, int c, int h, int w, Window2d g) {
    int outH = g.outH(h), outW = g.outW(w), sw = g.sw, row = colOff;
    for (int ch = 0; ch < c; ch++) {
      int plane = xOff + ch * h * w;
      for (int ki = 0; ki < g.kh; ki++) {
        for (int kj = 0; kj < g.kw; kj++, row += outH * outW) {
          int shiftW = kj * g.dw - g.pw; // input column = ow * sw + shiftW
          int lo = g.firstColInside(kj, w), hi = g.endColInside(kj, w);
          for (int oh = 0; oh < outH; oh++) {
            int ih = oh * g.sh - g.ph + ki * g.dh;
            if (ih < 0 || ih >= h) continue;
            int src = plane + ih * w + shiftW, dst = row + oh * outW;
            if (sw == 1) System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
            else for (int ow = lo, s = src + lo * sw; ow < hi; ow++, s += sw) cols[dst + ow] = x[s];
          }
        }
      }
    }
  }

  /** Low level: {@link #unfoldInside(float[], int, float[], int, int, int, int, Window2d)} for float64. */
  public static void unfoldInside(double[] x, int xOff, double[] cols, int colOff, int c, int h, int w, Window2d g) {
    int outH = g.outH(h), outW = g.outW(w), sw = g.sw, row = colOff;
    for (int ch = 0; ch < c; ch++) {
      int plane = xOff + ch * h * w;
      for (int ki = 0; ki < g.kh; ki++) {
        for (int kj = 0; kj < g.kw; kj++, row += outH * outW) {
          int shiftW = kj * g.dw - g.pw;
          int lo = g.firstColInside(kj, w), hi = g.endColInside(kj, w);
          for (int oh = 0; oh < outH; oh++) {
            int ih = oh * g.sh - g.ph + ki * g.dh;
            if (ih < 0 || ih >= h) continue;
            int src = plane + ih * w + shiftW, dst = row + oh * outW;
            if (sw == 1) System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
            else for (int ow = lo, s = src + lo * sw; ow < hi; ow++, s += sw) cols[dst + ow] = x[s];
          }
        }
      }
    }
  }
}
