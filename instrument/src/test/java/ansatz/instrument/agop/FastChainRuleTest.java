package ansatz.instrument.agop;

import static ansatz.instrument.agop.AgopTesting.assertClose;
import static ansatz.instrument.agop.AgopTesting.assertCloseAbs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Conv2d;
import ansatz.nn.Flatten;
import ansatz.nn.Identity;
import ansatz.nn.Linear;
import ansatz.nn.Module;
import ansatz.nn.Parameterization;
import ansatz.nn.ReLU;
import ansatz.nn.Sequential;
import ansatz.nn.Tanh;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The graph-free sweep ({@link FastChainRule}, ChainRuleAgop's default for plain ReLU chains)
 * against the direct per-sample-Jacobian AGOP and against the autograd path, on random small
 * dense and conv networks (widths around the vector width: 1, 7, 8, 9, 15, 17), split into
 * several batches and into many chunks.
 */
class FastChainRuleTest {
  @Provide
  Arbitrary<Integer> widths() {
    return Arbitraries.of(1, 2, 7, 8, 9, 15, 17);
  }

  /** Linear layers of the given widths; between them ReLU, Identity, ReLU twice, or nothing (by {@code gaps}). */
  static Sequential denseChain(long seed, int[] widths, int gaps, boolean bias, boolean ntk, boolean flattenFirst) {
    Rng rng = new Rng(seed);
    Parameterization p = ntk ? Parameterization.NTK : Parameterization.STANDARD;
    List<Module> mods = new ArrayList<>();
    if (flattenFirst) mods.add(new Flatten());
    for (int l = 0; l + 1 < widths.length; l++) {
      mods.add(new Linear(widths[l], widths[l + 1], bias, null, p, rng));
      if (l + 2 < widths.length) {
        switch ((gaps >> (2 * l)) & 3) {
          case 0 -> mods.add(new ReLU());
          case 1 -> mods.add(new Identity());
          case 2 -> {
            mods.add(new ReLU());
            mods.add(new ReLU());
          }
          default -> { }
        }
      }
    }
    return (Sequential) new Sequential(mods).to(DType.FLOAT64);
  }

  /** A random non-empty subset of the probe-able layers (bit l of {@code pick} keeps layer l; the last is kept if none is). */
  static List<ProbedLayer> subset(Module model, int pick) {
    List<ProbedLayer> all = ProbedLayer.all(model), out = new ArrayList<>();
    for (int l = 0; l < all.size(); l++) if (((pick >> l) & 1) == 1) out.add(all.get(l));
    if (out.isEmpty()) out.add(all.get(all.size() - 1));
    return out;
  }

  /** Fast path vs DirectAgop (uncentered and centered) to 1e-10, plus fast vs autograd for K, K centered and the Gram. */
  static void checkAgainstDirect(Module model, List<ProbedLayer> layers, Tensor x, int batch, int chunk) {
    ChainRuleAgop engine = new ChainRuleAgop(model, layers).batchSize(batch).gradCentered(true).gramSamples(Math.min(3, x.size(0)))
        .fastChunkElements(chunk);
    ChainRuleAgop.Accumulation acc = engine.begin();
    int n = x.size(0);
    for (int s = 0; s < n; s += batch) acc.add(x.narrow(0, s, Math.min(batch, n - s)));
    assertEquals((n + batch - 1) / batch, acc.fastBatches(), "every batch takes the fast path");
    Map<String, LayerAgop> fast = acc.finish();
    Map<String, LayerAgop> slow = new ChainRuleAgop(model, layers).batchSize(batch).gradCentered(true).gramSamples(Math.min(3, n))
        .fastPath(false).compute(x);
    Map<String, Tensor> direct = DirectAgop.compute(model, layers, x, false);
    Map<String, Tensor> directCentered = DirectAgop.compute(model, layers, x, true);
    for (ProbedLayer l : layers) {
      LayerAgop f = fast.get(l.name()), a = slow.get(l.name());
      double scale = Math.max(1e-300, ChainRuleAgopTest.frob(direct.get(l.name())));
      assertTrue(ChainRuleAgopTest.frob(f.agop().sub(direct.get(l.name()))) <= 1e-10 * scale, "AGOP of " + l);
      assertTrue(ChainRuleAgopTest.frob(f.agopCentered().sub(directCentered.get(l.name()))) <= 1e-10 * scale, "centered AGOP of " + l);
      double kScale = Math.max(1e-300, ChainRuleAgopTest.frob(a.ptfK()));
      assertTrue(ChainRuleAgopTest.frob(f.ptfK().sub(a.ptfK())) <= 1e-12 * kScale, "K of " + l);
      assertTrue(ChainRuleAgopTest.frob(f.ptfKCentered().sub(a.ptfKCentered())) <= 1e-12 * kScale, "centered K of " + l);
      double gScale = Math.max(1e-300, ChainRuleAgopTest.frob(a.ptkGram()));
      assertTrue(ChainRuleAgopTest.frob(f.ptkGram().sub(a.ptkGram())) <= 1e-12 * gScale, "sample Gram of " + l);
      assertEquals(a.rowsPerSample(), f.rowsPerSample(), "rows per sample of " + l);
      assertEquals(a.inputIsModelInput(), f.inputIsModelInput(), "input flag of " + l);
      assertEquals(a.samples(), f.samples());
      assertEquals(a.outputs(), f.outputs());
    }
  }

  @Property(tries = 30)
  void denseChainsMatchTheDirectForm(@ForAll("widths") int d, @ForAll("widths") int h1, @ForAll("widths") int h2, @ForAll @IntRange(min = 1, max = 3) int c,
                                     @ForAll @IntRange(min = 0, max = 2) int hidden, @ForAll @IntRange(min = 0, max = 15) int gaps,
                                     @ForAll boolean bias, @ForAll boolean ntk, @ForAll boolean flattenFirst,
                                     @ForAll @IntRange(min = 1, max = 9) int n, @ForAll @IntRange(min = 1, max = 9) int batch,
                                     @ForAll @IntRange(min = 1, max = 200) int chunk, @ForAll @IntRange(min = 0, max = 15) int pick,
                                     @ForAll @IntRange(min = 0, max = 1000) int seed) {
    int[] widths = hidden == 0 ? new int[] {d, c} : hidden == 1 ? new int[] {d, h1, c} : new int[] {d, h1, h2, c};
    Sequential model = denseChain(seed, widths, gaps, bias, ntk, flattenFirst);
    Tensor x = flattenFirst ? Tensor.randn(new Rng(seed + 1), DType.FLOAT64, n, 1, d, 1) : Tensor.randn(new Rng(seed + 1), DType.FLOAT64, n, d);
    checkAgainstDirect(model, subset(model, pick), x, batch, chunk);
  }

  /**
   * conv(cin -> c1) [ReLU] [conv(c1 -> c2) [ReLU]] [Identity] Flatten [Linear ReLU] Linear(-> c), with random
   * kernel, stride, padding and dilation.
   */
  @Property(tries = 20)
  void convChainsMatchTheDirectForm(@ForAll @IntRange(min = 1, max = 3) int cin, @ForAll("widths") int c1, @ForAll @IntRange(min = 1, max = 4) int c2,
                                    @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int stride,
                                    @ForAll @IntRange(min = 0, max = 1) int pad, @ForAll @IntRange(min = 1, max = 2) int dilation,
                                    @ForAll @IntRange(min = 3, max = 6) int size, @ForAll @IntRange(min = 0, max = 31) int shape,
                                    @ForAll boolean bias, @ForAll boolean ntk, @ForAll @IntRange(min = 1, max = 3) int c,
                                    @ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 1, max = 5) int batch,
                                    @ForAll @IntRange(min = 1, max = 3000) int chunk, @ForAll @IntRange(min = 0, max = 15) int pick,
                                    @ForAll @IntRange(min = 0, max = 1000) int seed) {
    Rng rng = new Rng(seed);
    Parameterization p = ntk ? Parameterization.NTK : Parameterization.STANDARD;
    int d1 = dilation * (k - 1) + 1;
    if (size + 2 * pad < d1) pad = (d1 - size + 1) / 2; // make the first kernel fit
    List<Module> mods = new ArrayList<>();
    mods.add(new Conv2d(cin, c1, k, k, stride, pad, dilation, bias, null, p, rng));
    int h = (size + 2 * pad - d1) / stride + 1, channels = c1;
    if ((shape & 1) != 0) mods.add(new ReLU());
    if ((shape & 2) != 0 && h >= 2) {
      mods.add(new Conv2d(c1, c2, 2, 2, 1, 0, 1, bias, null, p, rng));
      h -= 1;
      channels = c2;
      if ((shape & 4) != 0) mods.add(new ReLU());
    }
    if ((shape & 8) != 0) mods.add(new Identity());
    mods.add(new Flatten());
    int features = channels * h * h;
    if ((shape & 16) != 0) {
      mods.add(new Linear(features, 5, bias, null, p, rng));
      mods.add(new ReLU());
      features = 5;
    }
    mods.add(new Linear(features, c, bias, null, p, rng));
    Module model = new Sequential(mods).to(DType.FLOAT64);
    Tensor x = Tensor.randn(new Rng(seed + 1), DType.FLOAT64, n, cin, size, size);
    checkAgainstDirect(model, subset(model, pick), x, batch, chunk);
  }

  /**
   * Float32 dense chains: masked rows into a Linear come from index lists ({@link
   * ansatz.autograd.kernel.IndexedCombine}) instead of a GEMM over the written-out rows; both, and
   * the autograd path, agree to float32 rounding, with c around the register block of 5, widths
   * around the vector tile, empty masks (a dead layer) and several chunks.
   */
  @Property(tries = 25)
  void float32IndexListsMatchTheGemmPath(@ForAll @IntRange(min = 1, max = 40) int d, @ForAll @IntRange(min = 1, max = 40) int h1,
                                         @ForAll @IntRange(min = 1, max = 40) int h2, @ForAll @IntRange(min = 1, max = 12) int c,
                                         @ForAll @IntRange(min = 1, max = 2) int extraHidden, @ForAll @IntRange(min = 1, max = 12) int n,
                                         @ForAll @IntRange(min = 1, max = 9) int batch, @ForAll @IntRange(min = 1, max = 3000) int chunk,
                                         @ForAll boolean deadLayer, @ForAll @IntRange(min = 0, max = 1000) int seed) {
    int[] widths = extraHidden == 1 ? new int[] {d, h1, h2, c} : new int[] {d, h1, h2, h1, c};
    Sequential model = (Sequential) denseChain(seed, widths, 0, true, false, false).to(DType.FLOAT32);
    if (deadLayer) {
      // Every unit of the last hidden layer inactive: empty index lists, zero rows below it.
      Linear last = (Linear) model.children().get(model.children().size() - 3);
      try (ansatz.autograd.Grad.Scope off = ansatz.autograd.Grad.disabled()) {
        last.weight().tensor().copyFrom(Tensor.zeros(DType.FLOAT32, last.weight().tensor().shape()));
        last.bias().tensor().copyFrom(Tensor.full(-1, DType.FLOAT32, last.bias().tensor().shape()));
      }
    }
    Tensor x = Tensor.randn(new Rng(seed + 1), DType.FLOAT32, n, d);
    List<ProbedLayer> layers = ProbedLayer.all(model);
    Map<String, LayerAgop> sparse = new ChainRuleAgop(model, layers).batchSize(batch).gradCentered(true).gramSamples(Math.min(3, n))
        .fastChunkElements(chunk).compute(x);
    Map<String, LayerAgop> gemm = new ChainRuleAgop(model, layers).batchSize(batch).gradCentered(true).gramSamples(Math.min(3, n))
        .fastChunkElements(chunk).fastSparseRows(false).compute(x);
    Map<String, LayerAgop> slow = new ChainRuleAgop(model, layers).batchSize(batch).gradCentered(true).gramSamples(Math.min(3, n)).fastPath(false)
        .compute(x);
    for (ProbedLayer l : layers) {
      for (Map<String, LayerAgop> other : List.of(gemm, slow)) {
        String what = (other == gemm ? " (vs GEMM rows) of " : " (vs autograd) of ") + l;
        // W^T K W is multiplied in float32, and its terms can cancel (a one-input layer's AGOP is a
        // signed sum of |K| entries): its rounding is bounded by the size of the terms,
        // ||W||_F^2 ||K||_F scale^2, not by the value. Centering cancels as well (to zero for a single sample).
        LayerAgop ref = other.get(l.name());
        double terms = Math.pow(AgopTesting.frobenius(ref.weight()) * ref.weightScale(), 2)
            * Math.max(AgopTesting.frobenius(ref.ptfK()), AgopTesting.frobenius(ref.ptfKCentered()));
        double agopScale = Math.max(AgopTesting.frobenius(ref.agop()), terms);
        assertCloseAbs(sparse.get(l.name()).agop(), ref.agop(), 1e-5 * agopScale, "AGOP" + what);
        assertCloseAbs(sparse.get(l.name()).agopCentered(), ref.agopCentered(), 1e-5 * agopScale, "centered AGOP" + what);
        assertClose(sparse.get(l.name()).ptfK(), other.get(l.name()).ptfK(), 1e-5, "K" + what);
        assertClose(sparse.get(l.name()).ptkGram(), other.get(l.name()).ptkGram(), 1e-5, "sample Gram" + what);
      }
    }
  }

  @Test
  void float32FastPathMatchesTheAutogradPath() {
    // The small CNN of the benchmark at a smaller size, and the MLP: fast vs autograd in float32.
    Rng rng = new Rng(5);
    Module cnn = new Sequential(new Conv2d(1, 8, 3, 1, 1, true, rng), new ReLU(), new Conv2d(8, 16, 3, 2, 1, true, rng), new ReLU(), new Flatten(),
        new Linear(16 * 5 * 5, 10, true, rng));
    Tensor images = Tensor.uniform(new Rng(6), 0, 1, 37, 1, 10, 10);
    Module mlp = new Sequential(new Linear(20, 33, true, rng), new ReLU(), new Linear(33, 17, true, rng), new ReLU(), new Linear(17, 10, true, rng));
    Tensor points = Tensor.uniform(new Rng(7), 0, 1, 41, 20);
    for (Object[] mc : new Object[][] {{cnn, images}, {mlp, points}}) {
      Module model = (Module) mc[0];
      Tensor x = (Tensor) mc[1];
      List<ProbedLayer> layers = ProbedLayer.all(model);
      Map<String, LayerAgop> fast = new ChainRuleAgop(model, layers).batchSize(16).gradCentered(true).fastChunkElements(5000).compute(x);
      Map<String, LayerAgop> slow = new ChainRuleAgop(model, layers).batchSize(16).gradCentered(true).fastPath(false).compute(x);
      for (ProbedLayer l : layers) {
        assertClose(fast.get(l.name()).agop(), slow.get(l.name()).agop(), 1e-5, "float32 AGOP of " + l);
        assertClose(fast.get(l.name()).agopCentered(), slow.get(l.name()).agopCentered(), 1e-5, "float32 centered AGOP of " + l);
      }
    }
  }

  @Test
  void onlyPlainSupportedChainsTakeTheFastPath() {
    Rng rng = new Rng(1);
    Module relu = new Sequential(new Linear(3, 4, true, rng), new ReLU(), new Linear(4, 2, true, rng));
    assertNotNull(FastChainRule.plan(relu, ProbedLayer.all(relu)));
    Module tanh = new Sequential(new Linear(3, 4, true, rng), new Tanh(), new Linear(4, 2, true, rng));
    assertNull(FastChainRule.plan(tanh, ProbedLayer.all(tanh)));
    Module nested = new Sequential(new Sequential(new Linear(3, 4, true, rng), new ReLU()), new Linear(4, 2, true, rng));
    assertNull(FastChainRule.plan(nested, ProbedLayer.all(nested)));
    // A Linear on inputs with extra axes (positions) falls back to autograd batch by batch, with the same result.
    Module model = new Sequential(new Linear(3, 4, true, rng), new ReLU(), new Linear(4, 2, true, rng)).to(DType.FLOAT64);
    Tensor x = Tensor.randn(new Rng(2), DType.FLOAT64, 5, 6, 3);
    ChainRuleAgop.Accumulation acc = new ChainRuleAgop(model, ProbedLayer.all(model)).begin();
    acc.add(x);
    assertEquals(0, acc.fastBatches());
    Map<String, LayerAgop> got = acc.finish();
    Map<String, Tensor> direct = DirectAgop.compute(model, ProbedLayer.all(model), x, false);
    assertClose(got.get("0").agop(), direct.get("0"), 1e-10, "positions through autograd");
  }

  /**
   * The streamed form keeps the mask Grams of its batches and combines them with the readout once;
   * a batch whose readout differs (the weights changed between batches) is added on its own. Each
   * batch must count with the weights it was run with.
   */
  @Test
  void batchesWithDifferentReadoutsEachCountWithTheirOwn() {
    Module model = ChainRuleAgopTest.mlp(21, new int[] {5, 7, 6, 3}, ansatz.nn.Activation.RELU, true, Parameterization.STANDARD);
    List<ProbedLayer> layers = ProbedLayer.all(model);
    Tensor x1 = Tensor.randn(new Rng(22), DType.FLOAT64, 9, 5), x2 = Tensor.randn(new Rng(23), DType.FLOAT64, 6, 5);
    Map<String, Tensor> before = model.stateDict(), after = model.stateDict();
    String last = layers.get(layers.size() - 1).name() + ".weight";
    after.put(last, before.get(last).mul(-1.5).add(0.25).detach());

    ChainRuleAgop.Accumulation acc = new ChainRuleAgop(model, layers).begin();
    acc.add(x1);
    model.loadStateDict(after);
    acc.add(x2);
    Map<String, LayerAgop> mixed = acc.finish();

    Map<String, LayerAgop> first = new ChainRuleAgop(model, layers).fastPath(false).compute(x2); // the weights after
    model.loadStateDict(before);
    Map<String, LayerAgop> second = new ChainRuleAgop(model, layers).fastPath(false).compute(x1);
    for (ProbedLayer l : layers) {
      // K = (S1 + S2) / (n1 + n2) with S = n K of each batch under its own weights
      Tensor expected = second.get(l.name()).ptfK().mul(9).add(first.get(l.name()).ptfK().mul(6)).mul(1.0 / 15).detach();
      Tensor got = mixed.get(l.name()).ptfK();
      double scale = Math.max(1e-300, ChainRuleAgopTest.frob(expected));
      assertTrue(ChainRuleAgopTest.frob(got.sub(expected)) <= 1e-12 * scale, "K of " + l + " over two batches with different weights");
    }
  }
}
