package ansatz.autograd.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ansatz.autograd.Autograd;
import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.autograd.testing.GradCheck;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The fused convolution op ({@link Tensor#conv2d}) against the im2col + matmul composition it
 * replaces (values and all three gradients), and its gradients against float64 finite differences.
 */
class Conv2dFusedTest {
  /** Geometries with image sizes incl. 1, 7, 8, 9, 15, 17 and batches up to 9 (several images per thread and weight-gradient chunk). */
  @Provide
  Arbitrary<ConvCase> windows() {
    Arbitrary<Integer> size = Arbitraries.of(1, 2, 3, 5, 7, 8, 9, 15, 17);
    Arbitrary<Integer> k = Arbitraries.integers().between(1, 3), s = Arbitraries.integers().between(1, 2);
    Arbitrary<Integer> p = Arbitraries.integers().between(0, 1), d = Arbitraries.integers().between(1, 2);
    Arbitrary<Integer> n = Arbitraries.of(1, 2, 5, 9), c = Arbitraries.integers().between(1, 3);
    return Combinators.combine(List.of(n, c, size, size, k, k, s, s, p, p, d, d))
        .as(v -> new ConvCase(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6), v.get(7), v.get(8), v.get(9), v.get(10), v.get(11)))
        .filter(ConvCase::fits);
  }

  /** Output channels; 16 and more with fewer than 16 im2col rows take the transposed weight-gradient path. */
  @Provide
  Arbitrary<Integer> couts() {
    return Arbitraries.of(1, 2, 3, 5, 16, 17);
  }

  static Tensor fused(ConvCase g, Tensor x, Tensor w, Tensor b, double scale) {
    return x.conv2d(w, b, g.sh(), g.sw(), g.ph(), g.pw(), g.dh(), g.dw(), scale);
  }

  /** The composition nn.Conv2d used before the fused op. */
  static Tensor composed(ConvCase g, Tensor x, Tensor w, Tensor b, double scale) {
    int o = w.size(0);
    Tensor z = w.reshape(o, -1).matmul(g.im2col(x)).mul(scale).reshape(g.n(), o, g.outH(), g.outW());
    return b == null ? z : z.add(b.reshape(1, o, 1, 1));
  }

  @Property(tries = 40)
  void fusedEqualsIm2colMatmulComposition(@ForAll("windows") ConvCase g, @ForAll("couts") int cout,
      @ForAll boolean withBias, @ForAll boolean float32, @ForAll long seed) {
    Rng rng = new Rng(seed);
    DType dt = float32 ? DType.FLOAT32 : DType.FLOAT64;
    double scale = withBias ? 0.75 : 1.0;
    Tensor x = Tensor.randn(rng, dt, g.inShape()).requiresGrad(true);
    Tensor w = Tensor.randn(rng, dt, cout, g.c(), g.kh(), g.kw()).requiresGrad(true);
    Tensor b = withBias ? Tensor.randn(rng, dt, cout).requiresGrad(true) : null;
    Tensor seedGrad = Tensor.randn(rng, dt, g.n(), cout, g.outH(), g.outW());
    Tensor[] in = withBias ? new Tensor[] {x, w, b} : new Tensor[] {x, w};
    Tensor yf = fused(g, x, w, b, scale), yc = composed(g, x, w, b, scale);
    Tensor[] gf = Autograd.grad(new Tensor[] {yf}, in, new Tensor[] {seedGrad}, false);
    Tensor[] gc = Autograd.grad(new Tensor[] {yc}, in, new Tensor[] {seedGrad}, false);
    double tol = float32 ? 1e-4 : 1e-12; // float32: the sums run in another order
    assertArrayEquals(yc.toDoubleArray(), yf.toDoubleArray(), tol * 10, g + " output");
    for (int i = 0; i < in.length; i++) {
      double[] want = gc[i].toDoubleArray(), got = gf[i].toDoubleArray();
      double mag = 1;
      for (double v : want) mag = Math.max(mag, Math.abs(v));
      assertArrayEquals(want, got, tol * 10 * mag, g + " gradient of input " + i);
    }
  }

  @Property(tries = 15)
  void fusedGradientsMatchFiniteDifferences(@ForAll("windows") ConvCase g, @ForAll("couts") int cout, @ForAll long seed) {
    Rng rng = new Rng(seed);
    double scale = 0.5 + rng.nextDouble();
    Tensor x = Tensor.randn(rng, DType.FLOAT64, g.inShape()).requiresGrad(true);
    Tensor w = Tensor.randn(rng, DType.FLOAT64, cout, g.c(), g.kh(), g.kw()).requiresGrad(true);
    Tensor b = Tensor.randn(rng, DType.FLOAT64, cout).requiresGrad(true);
    GradCheck.check("fused conv2d " + g + " scale " + scale, t -> fused(g, t[0], t[1], t[2], scale), x, w, b);
  }

  @Property(tries = 20)
  void fusedEqualsDirectConvolution(@ForAll("windows") ConvCase g, @ForAll @IntRange(min = 1, max = 4) int cout, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, g.inShape());
    Tensor w = Tensor.randn(rng, DType.FLOAT64, cout, g.c(), g.kh(), g.kw());
    double[] want = ConvViaIm2ColTest.naiveConv(g, x.toDoubleArray(), w.toDoubleArray(), cout);
    assertArrayEquals(want, fused(g, x, w, null, 1).toDoubleArray(), 1e-12, g.toString());
  }
}
