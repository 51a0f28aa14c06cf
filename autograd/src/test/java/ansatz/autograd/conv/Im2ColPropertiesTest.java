package ansatz.autograd.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.autograd.testing.GradCheck;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of im2col (torch unfold) and col2im (torch fold) over random shapes and geometries. */
class Im2ColPropertiesTest {
  @Provide
  Arbitrary<ConvCase> windows() {
    return ConvCase.windows();
  }

  @Property(tries = 40)
  void im2colEntriesAreTheWindowPixelsInUnfoldOrder(@ForAll("windows") ConvCase g, @ForAll long seed) {
    Tensor x = Tensor.randn(new Rng(seed), DType.FLOAT64, g.inShape());
    Tensor cols = g.im2col(x);
    int outH = g.outH(), outW = g.outW();
    assertArrayEquals(new int[] {g.n(), g.c() * g.kh() * g.kw(), outH * outW}, cols.shape(), g.toString());
    double[] xs = x.toDoubleArray(), cs = cols.toDoubleArray();
    for (int n = 0, k = 0; n < g.n(); n++) {
      for (int c = 0; c < g.c(); c++) {
        for (int ki = 0; ki < g.kh(); ki++) {
          for (int kj = 0; kj < g.kw(); kj++) {
            for (int oh = 0; oh < outH; oh++) {
              for (int ow = 0; ow < outW; ow++, k++) {
                int ih = oh * g.sh() - g.ph() + ki * g.dh(), iw = ow * g.sw() - g.pw() + kj * g.dw();
                boolean inside = ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w();
                double want = inside ? xs[((n * g.c() + c) * g.h() + ih) * g.w() + iw] : 0;
                assertEquals(want, cs[k], 0, g + " at flat column entry " + k);
              }
            }
          }
        }
      }
    }
  }

  @Property(tries = 40)
  void im2colGradientMatchesFiniteDifferences(@ForAll("windows") ConvCase g, @ForAll long seed) {
    Tensor x = Tensor.randn(new Rng(seed), DType.FLOAT64, g.inShape()).requiresGrad(true);
    GradCheck.check("im2col " + g, in -> g.im2col(in[0]), x);
  }

  @Property(tries = 40)
  void col2imGradientMatchesFiniteDifferences(@ForAll("windows") ConvCase g, @ForAll long seed) {
    Tensor cols = Tensor.randn(new Rng(seed), DType.FLOAT64, g.n(), g.c() * g.kh() * g.kw(), g.outH() * g.outW()).requiresGrad(true);
    GradCheck.check("col2im " + g, in -> g.col2im(in[0]), cols);
  }

  @Property(tries = 60)
  void col2imOfIm2colIsInputTimesWindowCount(@ForAll("windows") ConvCase g, @ForAll long seed) {
    Tensor x = Tensor.randn(new Rng(seed), DType.FLOAT64, g.inShape());
    double[] back = g.col2im(g.im2col(x)).toDoubleArray(), xs = x.toDoubleArray();
    // How many (window, tap) pairs read each row / column: windows are separable, so count = rows * cols.
    int[] rowCount = new int[g.h()], colCount = new int[g.w()];
    for (int oh = 0; oh < g.outH(); oh++) {
      for (int ki = 0; ki < g.kh(); ki++) {
        int ih = oh * g.sh() - g.ph() + ki * g.dh();
        if (ih >= 0 && ih < g.h()) rowCount[ih]++;
      }
    }
    for (int ow = 0; ow < g.outW(); ow++) {
      for (int kj = 0; kj < g.kw(); kj++) {
        int iw = ow * g.sw() - g.pw() + kj * g.dw();
        if (iw >= 0 && iw < g.w()) colCount[iw]++;
      }
    }
    for (int i = 0; i < xs.length; i++) {
      int iw = i % g.w(), ih = (i / g.w()) % g.h();
      double want = xs[i] * rowCount[ih] * colCount[iw];
      assertEquals(want, back[i], 1e-12 * (1 + Math.abs(want)), g + " at flat pixel " + i);
    }
  }

  @Property(tries = 40)
  void float32AndFloat64ForwardAgree(@ForAll("windows") ConvCase g, @ForAll long seed) {
    Tensor x64 = Tensor.randn(new Rng(seed), DType.FLOAT64, g.inShape());
    Tensor x32 = x64.toFloat32();
    // im2col only copies, so the float32 result is exactly the rounded float64 one.
    assertArrayEquals(g.im2col(x64).toFloatArray(), g.im2col(x32).toFloatArray(), 0f, g.toString());
    assertEquals(DType.FLOAT32, g.im2col(x32).dtype());
    Tensor cols64 = Tensor.randn(new Rng(seed + 1), DType.FLOAT64, g.n(), g.c() * g.kh() * g.kw(), g.outH() * g.outW());
    Tensor folded32 = g.col2im(cols64.toFloat32());
    assertEquals(DType.FLOAT32, folded32.dtype());
    assertArrayEquals(g.col2im(cols64).toDoubleArray(), folded32.toFloat64().toDoubleArray(), 1e-5, g.toString());
  }

  @Property(tries = 20)
  void nonContiguousInputGivesTheSameColumns(@ForAll("windows") ConvCase g, @ForAll long seed) {
    // A transposed view (W and H swapped back) must read like its dense copy.
    Tensor xt = Tensor.randn(new Rng(seed), DType.FLOAT32, g.n(), g.c(), g.w(), g.h()).transpose(2, 3);
    assertArrayEquals(g.im2col(xt.contiguous()).toFloatArray(), g.im2col(xt).toFloatArray(), 0f, g.toString());
  }
}
