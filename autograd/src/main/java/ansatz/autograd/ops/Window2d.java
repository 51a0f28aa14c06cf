package ansatz.autograd.ops;

import ansatz.autograd.Shape;

/**
 * The geometry of a 2-D sliding window (a convolution kernel or a pooling window): kernel size,
 * stride, zero padding and dilation, each given separately for height and width. The output size
 * along one axis follows PyTorch:
 *
 * <pre>  out = floor((in + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1</pre>
 *
 * <p>Window {@code (oh, ow)}, kernel tap {@code (ki, kj)} reads input pixel
 * {@code (oh * sh - ph + ki * dh, ow * sw - pw + kj * dw)}; pixels outside the input are padding.
 */
public final class Window2d {
  /** Kernel height and width. */
  public final int kh, kw;
  /** Stride along height and width. */
  public final int sh, sw;
  /** Padding added on both sides of height and width. */
  public final int ph, pw;
  /** Dilation (spacing between kernel taps) along height and width. */
  public final int dh, dw;

  private Window2d(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
    this.kh = kh;
    this.kw = kw;
    this.sh = sh;
    this.sw = sw;
    this.ph = ph;
    this.pw = pw;
    this.dh = dh;
    this.dw = dw;
  }

  /**
   * A checked window geometry.
   *
   * @param op name of the calling op, used in error messages
   * @throws IllegalArgumentException for a nonpositive kernel, stride or dilation, or a negative padding
   */
  public static Window2d of(String op, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
    Window2d g = new Window2d(kh, kw, sh, sw, ph, pw, dh, dw);
    if (kh < 1 || kw < 1) throw new IllegalArgumentException(op + ": kernel size must be positive, got " + g);
    if (sh < 1 || sw < 1) throw new IllegalArgumentException(op + ": stride must be positive, got " + g);
    if (dh < 1 || dw < 1) throw new IllegalArgumentException(op + ": dilation must be positive, got " + g);
    if (ph < 0 || pw < 0) throw new IllegalArgumentException(op + ": padding must not be negative, got " + g);
    return g;
  }

  /** @return number of window positions along the height of an input of height {@code h} (may be &lt; 1) */
  public int outH(int h) {
    return Math.floorDiv(h + 2 * ph - dh * (kh - 1) - 1, sh) + 1;
  }

  /** @return number of window positions along the width of an input of width {@code w} (may be &lt; 1) */
  public int outW(int w) {
    return Math.floorDiv(w + 2 * pw - dw * (kw - 1) - 1, sw) + 1;
  }

  /**
   * Checks that the (dilated) kernel fits in the padded input of height {@code h} and width {@code w}.
   *
   * @param op name of the calling op, used in the error message
   * @param shape the full image shape (N, C, H, W), for the error message
   * @throws IllegalArgumentException if no window position fits
   */
  public void checkFits(String op, int[] shape, int h, int w) {
    if (outH(h) < 1 || outW(w) < 1) {
      throw new IllegalArgumentException(String.format(
          "%s: the kernel %dx%d (dilation %dx%d, so it spans %dx%d) is larger than the padded image %dx%d (image %dx%d of shape %s, padding %dx%d)",
          op, kh, kw, dh, dw, dh * (kh - 1) + 1, dw * (kw - 1) + 1, h + 2 * ph, w + 2 * pw, h, w, Shape.str(shape), ph, pw));
    }
  }

  /**
   * Pooling's extra rule (PyTorch's): padding at most half the kernel, so that every window overlaps
   * the image and no output is made of padding only.
   *
   * @throws IllegalArgumentException naming {@code op} otherwise
   */
  public void checkPoolPadding(String op) {
    if (ph > kh / 2 || pw > kw / 2) {
      throw new IllegalArgumentException(op + ": padding must be at most half the kernel size, got " + this);
    }
  }

  /**
   * Loop bound for the kernels: the first output column whose kernel tap {@code kj} lands inside the
   * input of width {@code w} (columns before it read left padding). Computing the inside range once per tap keeps the
   * inner loops free of bounds tests.
   */
  public int firstColInside(int kj, int w) {
    return Math.min(outW(w), Math.max(0, Math.ceilDiv(pw - kj * dw, sw)));
  }

  /** Loop bound: one past the last output column whose tap {@code kj} lands inside an input of width {@code w}. */
  public int endColInside(int kj, int w) {
    int end = Math.min(outW(w), Math.floorDiv(w - 1 + pw - kj * dw, sw) + 1);
    return Math.max(end, firstColInside(kj, w));
  }

  @Override
  public String toString() {
    return String.format("kernel %dx%d, stride %dx%d, padding %dx%d, dilation %dx%d", kh, kw, sh, sw, ph, pw, dh, dw);
  }
}
