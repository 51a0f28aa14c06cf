package ansatz.autograd.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ansatz.autograd.Autograd;
import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.autograd.testing.GradCheck;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of maxPool2d and avgPool2d over random shapes and geometries. */
class PoolPropertiesTest {
  @Provide
  Arbitrary<ConvCase> pools() {
    return ConvCase.pools();
  }

  /** Distinct values (a scaled random permutation): no ties, so max is differentiable at every point. */
  static Tensor distinct(ConvCase g, long seed) {
    int[] perm = new Rng(seed).permutation(Shape.numel(g.inShape()));
    double[] v = new double[perm.length];
    for (int i = 0; i < v.length; i++) v[i] = 0.01 * perm[i] - 0.3;
    return Tensor.wrap(v, g.inShape());
  }

  @Property(tries = 40)
  void maxPoolGradientMatchesFiniteDifferences(@ForAll("pools") ConvCase g, @ForAll long seed) {
    GradCheck.check("maxPool2d " + g, in -> g.maxPool(in[0]), distinct(g, seed).requiresGrad(true));
  }

  @Property(tries = 40)
  void avgPoolGradientMatchesFiniteDifferences(@ForAll("pools") ConvCase g, @ForAll long seed) {
    Tensor x = Tensor.randn(new Rng(seed), DType.FLOAT64, g.inShape()).requiresGrad(true);
    GradCheck.check("avgPool2d " + g, in -> g.avgPool(in[0]), x);
  }

  @Property(tries = 40)
  void maxPoolMatchesNaiveReferenceIncludingTies(@ForAll("pools") ConvCase g, @ForAll long seed) {
    Rng rng = new Rng(seed);
    double[] v = new double[Shape.numel(g.inShape())];
    for (int i = 0; i < v.length; i++) v[i] = -1 - rng.nextInt(3); // values in {-3,-2,-1}: ties everywhere, all below the 0 a zero-pad would give
    Tensor x = Tensor.wrap(v, g.inShape()).requiresGrad(true);
    Tensor y = g.maxPool(x);
    Tensor seedGrad = Tensor.randn(rng, DType.FLOAT64, y.shape());
    Tensor gx = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, new Tensor[] {seedGrad}, false)[0];

    int outH = g.outH(), outW = g.outW();
    double[] wantY = new double[g.n() * g.c() * outH * outW], wantGx = new double[v.length], gs = seedGrad.toDoubleArray();
    for (int p = 0, o = 0; p < g.n() * g.c(); p++) {
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++, o++) {
          int arg = -1;
          for (int ki = 0; ki < g.kh(); ki++) {
            for (int kj = 0; kj < g.kw(); kj++) {
              int ih = oh * g.sh() - g.ph() + ki, iw = ow * g.sw() - g.pw() + kj;
              if (ih < 0 || ih >= g.h() || iw < 0 || iw >= g.w()) continue;
              int i = (p * g.h() + ih) * g.w() + iw;
              if (arg < 0 || v[i] > v[arg]) arg = i; // strict: the first maximum wins
            }
          }
          wantY[o] = v[arg];
          wantGx[arg] += gs[o];
        }
      }
    }
    assertArrayEquals(wantY, y.toDoubleArray(), 0, g.toString());
    assertArrayEquals(wantGx, gx.toDoubleArray(), 1e-12, g.toString());
  }

  @Property(tries = 40)
  void avgPoolIsTheMeanOfTheIm2colTaps(@ForAll("pools") ConvCase g, @ForAll long seed) {
    Tensor x = Tensor.randn(new Rng(seed), DType.FLOAT64, g.inShape());
    int taps = g.kh() * g.kw(), l = g.outH() * g.outW();
    Tensor viaCols = g.im2col(x).reshape(g.n(), g.c(), taps, l).mean(2, false).reshape(g.n(), g.c(), g.outH(), g.outW());
    assertArrayEquals(viaCols.toDoubleArray(), g.avgPool(x).toDoubleArray(), 1e-12, g.toString());
  }

  @Property(tries = 40)
  void float32AndFloat64ForwardAgree(@ForAll("pools") ConvCase g, @ForAll long seed) {
    Tensor x64 = Tensor.randn(new Rng(seed), DType.FLOAT64, g.inShape());
    Tensor x32 = x64.toFloat32();
    Tensor max32 = g.maxPool(x32), avg32 = g.avgPool(x32);
    assertEquals(DType.FLOAT32, max32.dtype());
    assertEquals(DType.FLOAT32, avg32.dtype());
    assertArrayEquals(g.maxPool(x64).toFloatArray(), max32.toFloatArray(), 0f, g.toString());
    assertArrayEquals(g.avgPool(x64).toDoubleArray(), avg32.toFloat64().toDoubleArray(), 1e-6, g.toString());
  }
}
