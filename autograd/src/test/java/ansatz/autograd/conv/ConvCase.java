package ansatz.autograd.conv;

import ansatz.autograd.Tensor;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One random test geometry for the convolution-support ops: an NCHW input shape and a window
 * (kernel, stride, padding, dilation per axis). Output sizes are computed here from PyTorch's formula,
 * independently of the code under test.
 */
record ConvCase(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
  /** Spatial sizes the properties draw from: 1, small ones, and the 7/8/9 around a power of two. */
  private static final Arbitrary<Integer> SIZES = Arbitraries.of(1, 2, 3, 4, 5, 7, 8, 9);

  int outH() {
    return (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
  }

  int outW() {
    return (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
  }

  /** @return whether the dilated kernel fits in the padded input (PyTorch's requirement) */
  boolean fits() {
    return h + 2 * ph >= dh * (kh - 1) + 1 && w + 2 * pw >= dw * (kw - 1) + 1;
  }

  int[] inShape() {
    return new int[] {n, c, h, w};
  }

  Tensor im2col(Tensor x) {
    return x.im2col(kh, kw, sh, sw, ph, pw, dh, dw);
  }

  Tensor col2im(Tensor cols) {
    return cols.col2im(h, w, kh, kw, sh, sw, ph, pw, dh, dw);
  }

  Tensor maxPool(Tensor x) {
    return x.maxPool2d(kh, kw, sh, sw, ph, pw);
  }

  Tensor avgPool(Tensor x) {
    return x.avgPool2d(kh, kw, sh, sw, ph, pw);
  }

  /** Random im2col/col2im geometries: kernels 1-3, strides 1-2, paddings 0-1, dilations 1-2. */
  static Arbitrary<ConvCase> windows() {
    Arbitrary<Integer> k = Arbitraries.integers().between(1, 3), s = Arbitraries.integers().between(1, 2);
    Arbitrary<Integer> p = Arbitraries.integers().between(0, 1), d = Arbitraries.integers().between(1, 2);
    return combine(List.of(Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 3), SIZES, SIZES, k, k, s, s, p, p, d, d))
        .filter(ConvCase::fits);
  }

  /** Random pooling geometries: no dilation, padding at most half the kernel (as PyTorch requires). */
  static Arbitrary<ConvCase> pools() {
    Arbitrary<Integer> k = Arbitraries.integers().between(1, 3), s = Arbitraries.integers().between(1, 2);
    Arbitrary<Integer> p = Arbitraries.integers().between(0, 1), one = Arbitraries.just(1);
    return combine(List.of(Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 3), SIZES, SIZES, k, k, s, s, p, p, one, one))
        .filter(g -> g.fits() && g.ph <= g.kh / 2 && g.pw <= g.kw / 2);
  }

  private static Arbitrary<ConvCase> combine(List<Arbitrary<Integer>> parts) {
    return Combinators.combine(parts).as(v -> new ConvCase(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5),
        v.get(6), v.get(7), v.get(8), v.get(9), v.get(10), v.get(11)));
  }
}
