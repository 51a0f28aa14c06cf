package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.ops.Affine;
import ansatz.autograd.ops.Relu;
import ansatz.autograd.ops.SoftmaxCrossEntropy;
import ansatz.autograd.testing.GradCheck;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The fused MLP ops (linear(+ReLU) as {@link Affine}, {@link Relu}, {@link SoftmaxCrossEntropy}):
 * float64 gradients against central finite differences ({@link GradCheck}) over odd and vector-edge
 * sizes, batch axes, non-dense inputs and broadcast gradients; forward values and gradients against
 * the composed ops they replace; cross-entropy on logits of magnitude 1e4; and the engine's buffer
 * ownership (a fused backward may overwrite a gradient in place) seen through hooks and retainGrad.
 */
class FusedOpsGradPropertiesTest {

  @Provide
  Arbitrary<Integer> size() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.of(1, 7, 8, 9, 15, 17)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 12)));
  }

  private static Tensor leaf(Rng rng, int... shape) {
    return Tensor.randn(rng, DType.FLOAT64, shape).requiresGrad(true);
  }

  /** The composed reference: scale * x W^T + b, then ReLU. */
  private static Tensor composed(Tensor x, Tensor w, Tensor b, double scale, boolean relu) {
    Tensor z = x.matmul(w.t()).mul(scale);
    if (b != null) z = z.add(b);
    return relu ? z.relu() : z;
  }

  private static void assertClose(Tensor want, Tensor got, double tol, String what) {
    assertArrayEquals(want.shape(), got.shape(), what + " shape");
    double[] a = want.toDoubleArray(), b = got.toDoubleArray();
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], tol * (1 + Math.abs(a[i])), what + " at flat index " + i);
    }
  }

  // ---------------------------------------------------------------- Affine

  @Property(tries = 30)
  void affineGradientsMatchFiniteDifferences(@ForAll @From("size") int m, @ForAll @From("size") int in,
      @ForAll @From("size") int out, @ForAll boolean bias, @ForAll boolean relu, @ForAll boolean ntkScale,
      @ForAll boolean batchAxis, @ForAll boolean transposedInput, @ForAll boolean reducedAfter, @ForAll long seed) {
    Rng rng = new Rng(seed);
    double scale = ntkScale ? 1 / Math.sqrt(in) : 1;
    // x is (2, m, in) with a batch axis, else (m, in); optionally a transposed view of an (in, m) leaf
    boolean transposed = transposedInput && !batchAxis;
    Tensor xLeaf = batchAxis ? leaf(rng, 2, m, in) : transposed ? leaf(rng, in, m) : leaf(rng, m, in);
    Tensor w = leaf(rng, out, in), b = bias ? leaf(rng, out) : null;
    java.util.function.Function<Tensor[], Tensor> f = t -> {
      Tensor x = transposed ? t[0].t() : t[0];
      Tensor y = Affine.apply(x, t[1], bias ? t[2] : null, scale, relu);
      // a reduction after the op hands it an expanded (stride 0) gradient instead of a dense one
      return reducedAfter ? y.sum(0, true) : y;
    };
    Tensor[] inputs = bias ? new Tensor[] {xLeaf, w, b} : new Tensor[] {xLeaf, w};
    if (relu) { // finite differences across the kink are meaningless: keep pre-activations away from 0
      try (var off = Grad.disabled()) {
        Tensor z = composed(transposed ? xLeaf.t() : xLeaf, w, b, scale, false);
        for (double v : z.toDoubleArray()) Assume.that(Math.abs(v) > 1e-3);
      }
    }
    GradCheck.check("linear" + (relu ? "_relu" : ""), f, inputs);

    // forward and gradients equal the composed ops up to rounding
    Tensor x = transposed ? xLeaf.t() : xLeaf;
    Tensor fused = Affine.apply(x, w, b, scale, relu);
    Tensor ref = composed(x, w, b, scale, relu);
    assertClose(ref, fused, 1e-12, "forward");
    Tensor seedOut = Tensor.randn(new Rng(seed + 1), DType.FLOAT64, fused.shape());
    Tensor[] wrt = bias ? new Tensor[] {xLeaf, w, b} : new Tensor[] {xLeaf, w};
    Tensor[] gf = Autograd.grad(new Tensor[] {fused}, wrt, new Tensor[] {seedOut}, true); // x may be a shared view
    Tensor[] gr = Autograd.grad(new Tensor[] {ref}, wrt, new Tensor[] {seedOut}, false);
    for (int i = 0; i < wrt.length; i++) assertClose(gr[i], gf[i], 1e-12, "gradient of input " + i);
  }

  @Test
  void affineFloat32MatchesComposedOps() {
    Rng rng = new Rng(7);
    Tensor x = Tensor.randn(rng, 17, 9).requiresGrad(true), w = Tensor.randn(rng, 15, 9).requiresGrad(true);
    Tensor b = Tensor.randn(rng, 15).requiresGrad(true);
    Tensor fused = Affine.apply(x, w, b, 0.5, true);
    Tensor ref = composed(x, w, b, 0.5, true);
    assertClose(ref, fused, 1e-5, "float32 forward");
    fused.sum().backward();
    Tensor[] fusedGrads = {x.grad(), w.grad(), b.grad()};
    x.zeroGrad();
    w.zeroGrad();
    b.zeroGrad();
    ref.sum().backward();
    Tensor[] refGrads = {x.grad(), w.grad(), b.grad()};
    for (int i = 0; i < 3; i++) assertClose(refGrads[i], fusedGrads[i], 1e-5, "float32 gradient " + i);
  }

  @Test
  void affineRejectsMismatchedShapesAndTypesByName() {
    Tensor x = Tensor.zeros(DType.FLOAT32, 4, 3), w = Tensor.zeros(DType.FLOAT32, 5, 3);
    var e1 = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Affine.apply(Tensor.zeros(DType.FLOAT32, 4, 2), w, null, 1, false));
    assertTrue(e1.getMessage().contains("linear") && e1.getMessage().contains("[4, 2]"), e1.getMessage());
    var e2 = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Affine.apply(x, w, Tensor.zeros(DType.FLOAT32, 4), 1, false));
    assertTrue(e2.getMessage().contains("bias"), e2.getMessage());
    var e3 = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Affine.apply(x.to(DType.FLOAT64), w, null, 1, false));
    assertTrue(e3.getMessage().toLowerCase(java.util.Locale.ROOT).contains("float64"), e3.getMessage());
  }

  // ---------------------------------------------------------------- ReLU

  @Property(tries = 30)
  void reluGradientsOnViewsAndBroadcastInputs(@ForAll @From("size") int m, @ForAll @From("size") int n, @ForAll boolean expanded,
      @ForAll long seed) {
    Rng rng = new Rng(seed);
    // values bounded away from the kink
    Tensor a = Tensor.randn(rng, DType.FLOAT64, expanded ? 1 : n, expanded ? n : m);
    double[] v = a.toDoubleArray();
    for (int i = 0; i < v.length; i++) v[i] = v[i] >= 0 ? v[i] + 0.1 : v[i] - 0.1;
    Tensor leafA = Tensor.of(v, a.shape()).requiresGrad(true);
    // a transposed view (not dense) or a row broadcast to m rows (stride 0): the gradient sums back
    java.util.function.Function<Tensor[], Tensor> f = t -> Relu.apply(expanded ? t[0].expand(m, n) : t[0].t());
    GradCheck.check("relu", f, leafA);
    Tensor y = f.apply(new Tensor[] {leafA});
    Tensor ref = (expanded ? leafA.expand(m, n) : leafA.t()).maximum(Tensor.scalar(0.0, DType.FLOAT64));
    assertClose(ref, y, 0, "relu forward");
  }

  // ---------------------------------------------------------------- softmax cross-entropy

  /** The composed loss the fused op replaces: -(1/n) sum_i logSoftmax(z)[i, y_i]. */
  private static Tensor composedCrossEntropy(Tensor logits, int[] labels) {
    int n = logits.size(0), c = logits.size(1);
    int[] flat = new int[n];
    for (int i = 0; i < n; i++) flat[i] = i * c + labels[i];
    return logits.logSoftmax(1).reshape(n * c).indexSelect(0, flat).sum().mul(-1.0 / n);
  }

  @Property(tries = 30)
  void crossEntropyGradientsMatchFiniteDifferencesAndComposedOps(@ForAll @From("size") int n, @ForAll @From("size") int c,
      @ForAll boolean transposed, @ForAll boolean large, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Tensor leafZ = Tensor.randn(rng, DType.FLOAT64, transposed ? c : n, transposed ? n : c).mul(large ? 30.0 : 2.0).detach().requiresGrad(true);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) labels[i] = rng.nextInt(c);
    java.util.function.Function<Tensor[], Tensor> f = t -> SoftmaxCrossEntropy.apply(transposed ? t[0].t() : t[0], labels);
    GradCheck.check("cross_entropy", f, leafZ);

    for (DType dt : DType.values()) {
      Tensor z = leafZ.detach().to(dt).requiresGrad(true);
      Tensor zv = transposed ? z.t() : z;
      Tensor fused = SoftmaxCrossEntropy.apply(zv, labels), ref = composedCrossEntropy(zv, labels);
      double tol = dt == DType.FLOAT64 ? 1e-12 : 2e-6;
      assertClose(ref, fused, tol, dt + " loss");
      Tensor gf = Autograd.grad(new Tensor[] {fused}, new Tensor[] {z}, null, true)[0]; // zv is shared
      Tensor gr = Autograd.grad(new Tensor[] {ref}, new Tensor[] {z}, null, false)[0];
      assertClose(gr, gf, tol, dt + " gradient");
    }
  }

  @Test
  void crossEntropyIsStableForLogitsOfMagnitude1e4() {
    // row 0 [1e4, 1e4 - 1, -1e4] label 0: loss log(1 + e^-1); row 1 [-1e4, -1e4 - 1, 1e4] label 2: loss 0;
    // row 2 label 2 (the -1e4 entry): loss 2e4 + log(1 + e^-1)
    double c0 = Math.log1p(Math.exp(-1));
    double[] v = {1e4, 1e4 - 1, -1e4, -1e4, -1e4 - 1, 1e4, 1e4, 1e4 - 1, -1e4};
    int[] labels = {0, 2, 2};
    for (DType dt : DType.values()) {
      Tensor z = Tensor.of(v, 3, 3).to(dt).requiresGrad(true);
      Tensor loss = SoftmaxCrossEntropy.apply(z, labels);
      double want = (c0 + 0 + 2e4 + c0) / 3;
      assertEquals(want, loss.item(), dt == DType.FLOAT64 ? 1e-9 : 2e-3, dt + " loss");
      Tensor ref = composedCrossEntropy(Tensor.of(v, 3, 3).to(dt), labels);
      assertEquals(ref.item(), loss.item(), dt == DType.FLOAT64 ? 1e-9 : 2e-3, dt + " loss vs composed");
      loss.backward();
      double p0 = 1 / (1 + Math.exp(-1));
      double[] g = z.grad().toDoubleArray();
      for (double x : g) assertTrue(Double.isFinite(x), dt + " gradient " + z.grad());
      double[] wantG = {(p0 - 1) / 3, (1 - p0) / 3, 0, 0, 0, 0, p0 / 3, (1 - p0) / 3, -1.0 / 3};
      for (int i = 0; i < 9; i++) assertEquals(wantG[i], g[i], 1e-6, dt + " gradient at " + i);
    }
  }

  @Test
  void crossEntropyRejectsBadLabelsAndShapes() {
    Tensor z = Tensor.zeros(DType.FLOAT32, 2, 3);
    var e1 = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.apply(z, new int[] {0, 3}));
    assertTrue(e1.getMessage().contains("label 3") && e1.getMessage().contains("position 1"), e1.getMessage());
    var e2 = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.apply(z, new int[] {0}));
    assertTrue(e2.getMessage().contains("1 labels"), e2.getMessage());
    var e3 = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> SoftmaxCrossEntropy.apply(Tensor.zeros(DType.FLOAT32, 6), new int[] {0}));
    assertTrue(e3.getMessage().contains("[6]"), e3.getMessage());
  }

  // ---------------------------------------------------------------- engine buffer ownership

  /**
   * The fused backward rules overwrite engine-owned gradients in place and hand them over as leaf
   * grads. Whatever a hook or retainGrad was shown must keep its value afterwards, and all
   * gradients must equal those of the composed (never in-place) graph.
   */
  @Test
  void gradientsShownToHooksAndRetainGradAreNotOverwritten() {
    Rng rng = new Rng(3);
    Tensor x = leaf(rng, 9, 7), w1 = leaf(rng, 8, 7), b1 = leaf(rng, 8), w2 = leaf(rng, 5, 8), b2 = leaf(rng, 5);
    int[] labels = {0, 1, 2, 3, 4, 0, 1, 2, 3};
    List<double[]> fusedSeen = new ArrayList<>(), refSeen = new ArrayList<>();
    Tensor[] fusedGrads = run(x, w1, b1, w2, b2, labels, true, fusedSeen);
    Tensor[] refGrads = run(x, w1, b1, w2, b2, labels, false, refSeen);
    for (int i = 0; i < fusedGrads.length; i++) assertClose(refGrads[i], fusedGrads[i], 1e-12, "grad " + i);
    assertEquals(refSeen.size(), fusedSeen.size());
    for (int i = 0; i < refSeen.size(); i++) assertArrayEquals(refSeen.get(i), fusedSeen.get(i), 1e-12, "hook value " + i);
  }

  private static Tensor[] run(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, int[] labels, boolean fused, List<double[]> seen) {
    for (Tensor t : new Tensor[] {x, w1, b1, w2, b2}) t.zeroGrad();
    Tensor h = fused ? Affine.apply(x, w1, b1, 1, true) : composed(x, w1, b1, 1, true);
    h.retainGrad();
    List<Tensor> shown = new ArrayList<>();
    h.registerHook(g -> { shown.add(g); return null; });
    Tensor z = fused ? Affine.apply(h, w2, b2, 1, false) : composed(h, w2, b2, 1, false);
    z.retainGrad();
    z.registerHook(g -> { shown.add(g); return null; });
    // the loss used twice: the engine sums two owned gradients into z
    Tensor loss = fused ? SoftmaxCrossEntropy.apply(z, labels).add(SoftmaxCrossEntropy.apply(z, labels).mul(0.5))
        : composedCrossEntropy(z, labels).add(composedCrossEntropy(z, labels).mul(0.5));
    loss.backward();
    for (Tensor g : shown) seen.add(g.toDoubleArray());
    return new Tensor[] {x.grad(), w1.grad(), b1.grad(), w2.grad(), b2.grad(), h.grad(), z.grad()};
  }
}
