package ansatz.autograd.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.autograd.testing.GradCheck;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** A convolution written as im2col + matmul, against the textbook direct loops. */
class ConvViaIm2ColTest {
  @Provide
  Arbitrary<ConvCase> windows() {
    return ConvCase.windows();
  }

  /** conv2d(x, weight) as the conv layer will compute it: (Cout, C*kh*kw) @ (N, C*kh*kw, L). */
  static Tensor convViaIm2col(ConvCase g, Tensor x, Tensor weight) {
    int cout = weight.size(0);
    return weight.reshape(cout, -1).matmul(g.im2col(x)).reshape(g.n(), cout, g.outH(), g.outW());
  }

  /** The direct 7-loop cross-correlation (PyTorch's conv2d, no bias), padding reads as 0. */
  static double[] naiveConv(ConvCase g, double[] x, double[] wt, int cout) {
    int outH = g.outH(), outW = g.outW();
    double[] y = new double[g.n() * cout * outH * outW];
    for (int n = 0; n < g.n(); n++)
      for (int co = 0; co < cout; co++)
        for (int oh = 0; oh < outH; oh++)
          for (int ow = 0; ow < outW; ow++) {
            double s = 0;
            for (int c = 0; c < g.c(); c++)
              for (int ki = 0; ki < g.kh(); ki++)
                for (int kj = 0; kj < g.kw(); kj++) {
                  int ih = oh * g.sh() - g.ph() + ki * g.dh(), iw = ow * g.sw() - g.pw() + kj * g.dw();
                  if (ih < 0 || ih >= g.h() || iw < 0 || iw >= g.w()) continue;
                  s += x[((n * g.c() + c) * g.h() + ih) * g.w() + iw] * wt[((co * g.c() + c) * g.kh() + ki) * g.kw() + kj];
                }
            y[((n * cout + co) * outH + oh) * outW + ow] = s;
          }
    return y;
  }

  @Property(tries = 60)
  void im2colMatmulEqualsDirectConvolution(@ForAll("windows") ConvCase g, @ForAll @IntRange(min = 1, max = 4) int cout, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, g.inShape());
    Tensor w = Tensor.randn(rng, DType.FLOAT64, cout, g.c(), g.kh(), g.kw());
    double[] want = naiveConv(g, x.toDoubleArray(), w.toDoubleArray(), cout);
    assertArrayEquals(want, convViaIm2col(g, x, w).toDoubleArray(), 1e-12, g.toString());
    // float32 end to end stays close to the float64 reference
    assertArrayEquals(want, convViaIm2col(g, x.toFloat32(), w.toFloat32()).toFloat64().toDoubleArray(), 1e-4, g.toString());
  }

  @Property(tries = 15)
  void convolutionGradientsMatchFiniteDifferences(@ForAll("windows") ConvCase g, @ForAll @IntRange(min = 1, max = 3) int cout, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, g.inShape()).requiresGrad(true);
    Tensor w = Tensor.randn(rng, DType.FLOAT64, cout, g.c(), g.kh(), g.kw()).requiresGrad(true);
    GradCheck.check("conv via im2col " + g, in -> convViaIm2col(g, in[0], in[1]), x, w);
  }
}
