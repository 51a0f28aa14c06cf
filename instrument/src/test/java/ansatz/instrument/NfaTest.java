package ansatz.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.instrument.agop.ChainRuleAgop;
import ansatz.instrument.agop.LayerAgop;
import ansatz.instrument.agop.ProbedLayer;
import ansatz.instrument.math.Correlation;
import ansatz.instrument.math.Matrices;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.Parameterization;
import ansatz.nn.init.Init;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NfaTest {
  /** A float64 MLP whose weights have moved away from their initial values (so dW != 0). */
  static Module perturbed(long seed, int[] widths, Parameterization p, Map<String, Tensor> w0) {
    Module model = Models.mlp(widths, Activation.TANH, true, p == Parameterization.NTK ? null : Init.kaimingNormal(), p, new Rng(seed))
        .to(DType.FLOAT64);
    for (ProbedLayer l : ProbedLayer.all(model)) w0.put(l.name(), l.weightMatrix());
    Rng rng = new Rng(seed + 99);
    try (var off = ansatz.autograd.Grad.disabled()) {
      for (var prm : model.parameters()) prm.tensor().addInPlace(Tensor.randn(rng, DType.FLOAT64, prm.shape()), 0.3);
    }
    return model;
  }

  @Property(tries = 12)
  void denseAndFactoredRoutesAgree(@ForAll @IntRange(min = 1, max = 9) int d, @ForAll @IntRange(min = 1, max = 12) int width,
                                   @ForAll @IntRange(min = 1, max = 3) int c, @ForAll boolean ntk, @ForAll @IntRange(min = 0, max = 99) int seed) {
    Map<String, Tensor> w0 = new java.util.HashMap<>();
    Module model = perturbed(seed, new int[] {d, width, c}, ntk ? Parameterization.NTK : Parameterization.STANDARD, w0);
    Tensor x = Tensor.randn(new Rng(seed + 7), DType.FLOAT64, 13, d);
    for (LayerAgop a : new ChainRuleAgop(model, ProbedLayer.all(model)).gradCentered(true).compute(x).values()) {
      List<Measurement> dense = Nfa.measure(a, w0.get(a.layer().name()), Nfa.Route.DENSE);
      List<Measurement> factored = Nfa.measure(a, w0.get(a.layer().name()), Nfa.Route.FACTORED);
      assertEquals(dense.size(), factored.size());
      for (int i = 0; i < dense.size(); i++) {
        Measurement u = dense.get(i), v = factored.get(i);
        assertEquals(u.key(), v.key());
        if (Double.isNaN(u.value())) {
          assertTrue(Double.isNaN(v.value()) || Math.abs(v.value()) <= 1, u.key());
        } else {
          assertEquals(u.value(), v.value(), 1e-7, u.key());
        }
      }
    }
  }

  /**
   * The staged form gives exactly the numbers of the one-call form, whichever thread runs each
   * root and in whichever order (the probes run the roots of several layers side by side).
   */
  @Property(tries = 8)
  void stagesRunOnOtherThreadsGiveTheSameNumbers(@ForAll @IntRange(min = 1, max = 9) int d, @ForAll @IntRange(min = 1, max = 12) int width,
                                                 @ForAll boolean centered, @ForAll @IntRange(min = 0, max = 99) int seed) throws Exception {
    Map<String, Tensor> w0 = new java.util.HashMap<>();
    Module model = perturbed(seed, new int[] {d, width, 3}, Parameterization.STANDARD, w0);
    Tensor x = Tensor.randn(new Rng(seed + 7), DType.FLOAT64, 11, d);
    for (LayerAgop a : new ChainRuleAgop(model, ProbedLayer.all(model)).gradCentered(centered).compute(x).values()) {
      Nfa.Result once = Nfa.measureWithNfms(a, w0.get(a.layer().name()), Nfa.Route.AUTO);
      Nfa.Stages st = Nfa.stages(a, w0.get(a.layer().name()), Nfa.Route.AUTO);
      st.products();
      assertEquals(centered ? 2 : 1, st.rootCount());
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
        for (int i = st.rootCount() - 1; i >= 0; i--) {
          int r = i;
          fs.add(pool.submit(() -> st.root(r)));
        }
        for (var f : fs) f.get();
      } finally {
        pool.shutdown();
      }
      List<Measurement> staged = st.result().measurements();
      assertEquals(once.measurements().size(), staged.size());
      for (int i = 0; i < staged.size(); i++) {
        assertEquals(once.measurements().get(i).key(), staged.get(i).key());
        assertEquals(once.measurements().get(i).value(), staged.get(i).value(), 0.0, staged.get(i).key());
      }
    }
  }

  @Test
  void resultBeforeTheRootsIsAnError() {
    Map<String, Tensor> w0 = new java.util.HashMap<>();
    Module model = perturbed(2, new int[] {4, 6, 2}, Parameterization.STANDARD, w0);
    LayerAgop a = new ChainRuleAgop(model, ProbedLayer.select(model, List.of("0"))).compute(Tensor.randn(new Rng(1), DType.FLOAT64, 9, 4)).get("0");
    Nfa.Stages st = Nfa.stages(a, w0.get("0"), Nfa.Route.DENSE);
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, st::result);
    assertTrue(e.getMessage().contains("products()"), e.getMessage());
    st.products();
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, st::result);
    assertTrue(e.getMessage().contains("root(0)"), e.getMessage());
  }

  /**
   * A float32 model's products run in float32 (Products.gram/congruence with the layer's dtype):
   * its correlations agree with those of the same network in float64 to float rounding.
   */
  @Property(tries = 6)
  void aFloat32ModelMeasuresWhatItsFloat64TwinMeasures(@ForAll @IntRange(min = 1, max = 17) int d, @ForAll @IntRange(min = 1, max = 17) int width,
                                                       @ForAll @IntRange(min = 0, max = 99) int seed) {
    Module m32 = Models.mlp(new int[] {d, width, 3}, Activation.RELU, true, new Rng(seed));
    Module m64 = Models.mlp(new int[] {d, width, 3}, Activation.RELU, true, new Rng(seed)).to(DType.FLOAT64);
    Map<String, Tensor> w0 = new java.util.HashMap<>();
    for (ProbedLayer l : ProbedLayer.all(m64)) w0.put(l.name(), l.weightMatrix().mul(0.5).detach()); // dW != 0
    Tensor x = Tensor.randn(new Rng(seed + 3), DType.FLOAT64, 40, d);
    Map<String, LayerAgop> a32 = new ChainRuleAgop(m32, ProbedLayer.all(m32)).compute(x.to(DType.FLOAT32));
    Map<String, LayerAgop> a64 = new ChainRuleAgop(m64, ProbedLayer.all(m64)).compute(x);
    for (String layer : a64.keySet()) {
      assertEquals(DType.FLOAT32, a32.get(layer).layer().dtype());
      List<Measurement> u = Nfa.measure(a32.get(layer), w0.get(layer)), v = Nfa.measure(a64.get(layer), w0.get(layer));
      for (int i = 0; i < u.size(); i++) {
        if (Double.isNaN(v.get(i).value())) continue; // a constant matrix (e.g. a 1 x 1 NFM under pearson)
        assertEquals(v.get(i).value(), u.get(i).value(), 2e-4, u.get(i).key());
      }
    }
  }

  @Test
  void everyVariantIsLabelledAndTheDefaultComesFirst() {
    Map<String, Tensor> w0 = new java.util.HashMap<>();
    Module model = perturbed(1, new int[] {5, 8, 2}, Parameterization.STANDARD, w0);
    LayerAgop a = new ChainRuleAgop(model, ProbedLayer.select(model, List.of("0"))).gradCentered(true)
        .compute(Tensor.randn(new Rng(2), DType.FLOAT64, 20, 5)).get("0");
    List<Measurement> ms = Nfa.measure(a, w0.get("0"));
    Measurement first = ms.get(0);
    assertEquals(Nfa.NFA, first.quantity());
    assertEquals("pearson,alpha=0.5,init_removed=false,grad_centered=false", first.variantLabel());
    assertEquals("pearson,alpha=1,init_removed=false,grad_centered=false", ms.stream()
        .filter(m -> m.quantity().equals(Nfa.NFA) && m.variant().alpha() == 1).findFirst().orElseThrow().variantLabel());
    Set<String> keys = new HashSet<>();
    for (Measurement m : ms) {
      assertTrue(keys.add(m.key()), "duplicate " + m.key());
      Map<String, Object> row = m.row();
      assertEquals(m.variantLabel(), row.get("variant"));
      if (m.variant() != null) {
        assertEquals(m.variant().correlation().label(), row.get("corr"));
        assertEquals(m.variant().alpha(), row.get("alpha"));
        assertEquals(m.variant().initRemoved(), row.get("init_removed"));
        assertEquals(m.variant().gradCentered(), row.get("grad_centered"));
      }
    }
    // nfa: 2 centerings x 2 alphas x 2 NFMs x 2 correlations; uc/c: 2 x 2 each; weight_change: 1
    assertEquals(16 + 4 + 4 + 1, ms.size());
    assertTrue(keys.contains("0|c_nfa|cosine,alpha=1,init_removed=true,grad_centered=true"));
    assertTrue(keys.contains("0|uc_nfa|pearson,alpha=1,init_removed=false,grad_centered=false"));
    Measurement wc = ms.get(ms.size() - 1);
    assertEquals(Nfa.WEIGHT_CHANGE, wc.quantity());
    assertNull(wc.variant());
    Tensor w = a.weight();
    assertEquals(FeatureMatrix.relativeChange(w, w0.get("0")), wc.value(), 0);
  }

  @Test
  void valuesMatchTheirDefinitions() {
    Map<String, Tensor> w0 = new java.util.HashMap<>();
    Module model = perturbed(3, new int[] {6, 9, 3}, Parameterization.NTK, w0);
    LayerAgop a = new ChainRuleAgop(model, ProbedLayer.select(model, List.of("0"))).compute(Tensor.randn(new Rng(4), DType.FLOAT64, 30, 6)).get("0");
    List<Measurement> ms = Nfa.measure(a, w0.get("0"), Nfa.Route.DENSE);
    Tensor w = a.weight(), dw = w.sub(w0.get("0")).detach();
    Tensor nfm = w.t().matmul(w), dnfm = dw.t().matmul(dw);
    Tensor sqrtAgop = Matrices.psdSqrt(a.agop());
    assertEquals(Correlation.PEARSON.of(nfm, sqrtAgop), find(ms, Nfa.NFA, "pearson,alpha=0.5,init_removed=false,grad_centered=false"), 1e-12);
    assertEquals(Correlation.COSINE.of(dnfm, a.agop()), find(ms, Nfa.NFA, "cosine,alpha=1,init_removed=true,grad_centered=false"), 1e-12);
    Tensor k = a.ptfK();
    assertEquals(Correlation.PEARSON.of(nfm, w.t().matmul(k).matmul(w)), find(ms, Nfa.UC_NFA, "pearson,alpha=1,init_removed=false,grad_centered=false"), 1e-12);
    assertEquals(Correlation.COSINE.of(dnfm, dw.t().matmul(k).matmul(dw)), find(ms, Nfa.C_NFA, "cosine,alpha=1,init_removed=true,grad_centered=false"), 1e-12);
    double dwNorm = Math.sqrt(dw.square().sum().item()), wNorm = Math.sqrt(w.square().sum().item());
    assertEquals(dwNorm / wNorm, find(ms, Nfa.WEIGHT_CHANGE, "-"), 1e-12);
  }

  @Test
  void initRemovedQuantitiesAreUndefinedAtInitialization() {
    Module model = Models.mlp(new int[] {4, 6, 2}, Activation.RELU, false, new Rng(5)).to(DType.FLOAT64);
    LayerAgop a = new ChainRuleAgop(model, ProbedLayer.select(model, List.of("0"))).compute(Tensor.randn(new Rng(6), DType.FLOAT64, 10, 4)).get("0");
    for (Measurement m : Nfa.measure(a, a.weight())) {
      boolean fromDw = m.variant() != null && m.variant().initRemoved();
      if (fromDw) assertTrue(Double.isNaN(m.value()), m.key());
      else assertFalse(Double.isNaN(m.value()), m.key());
    }
  }

  /** DEFINITIONS.md section 3: cosine(W^T W, W^T K W) depends on W = U S V^T only through U and S. */
  @Property(tries = 20)
  void svdIdentityOfTheUncenteredNfa(@ForAll @IntRange(min = 1, max = 7) int r, @ForAll @IntRange(min = 1, max = 7) int c,
                                     @ForAll @IntRange(min = 0, max = 999) int seed) {
    Rng rng = new Rng(seed);
    Tensor w = Tensor.randn(rng, DType.FLOAT64, r, c);
    Tensor b = Tensor.randn(rng, DType.FLOAT64, r, r);
    Tensor k = b.matmul(b.t()).detach();
    double direct = Correlation.COSINE.of(w.t().matmul(w), w.t().matmul(k).matmul(w));
    // W W^T = U S^2 U^T: with E its eigenvectors and s2 its eigenvalues,
    // cosine = tr(S^4 U^T K U) / (||S^2||_F ||S U^T K U S||_F).
    Matrices.Eigen e = Matrices.symmetricEigen(w.matmul(w.t()));
    Tensor u = e.vectors();
    Tensor s2 = Tensor.of(e.values()).clamp(0, Double.MAX_VALUE);
    Tensor utku = u.t().matmul(k).matmul(u);
    double num = 0;
    for (int i = 0; i < r; i++) num += s2.get(i) * s2.get(i) * utku.get(i, i);
    double s4 = 0, mid = 0;
    for (int i = 0; i < r; i++) {
      s4 += s2.get(i) * s2.get(i);
      for (int j = 0; j < r; j++) mid += s2.get(i) * s2.get(j) * utku.get(i, j) * utku.get(i, j);
    }
    assertEquals(direct, num / Math.sqrt(s4 * mid), 1e-9);
  }

  static double find(List<Measurement> ms, String quantity, String variant) {
    return ms.stream().filter(m -> m.quantity().equals(quantity) && m.variantLabel().equals(variant)).findFirst().orElseThrow().value();
  }
}
