package ansatz.instrument.agop;

import static ansatz.instrument.agop.AgopTesting.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.Parameterization;
import ansatz.nn.init.Init;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ChainRuleAgopTest {
  static Module mlp(long seed, int[] widths, Activation act, boolean bias, Parameterization p) {
    Init init = p == Parameterization.NTK ? null : Init.kaimingNormal();
    return Models.mlp(widths, act, bias, init, p, new Rng(seed)).to(DType.FLOAT64);
  }

  @Property(tries = 24)
  void chainRuleEqualsDirectPerSampleJacobian(@ForAll("activations") Activation act, @ForAll boolean bias, @ForAll boolean ntk,
                                              @ForAll @IntRange(min = 1, max = 9) int d, @ForAll @IntRange(min = 1, max = 8) int width,
                                              @ForAll @IntRange(min = 1, max = 3) int c, @ForAll @IntRange(min = 1, max = 9) int n,
                                              @ForAll @IntRange(min = 0, max = 1000) int seed) {
    Module model = mlp(seed, new int[] {d, width, width + 1, c}, act, bias, ntk ? Parameterization.NTK : Parameterization.STANDARD);
    Tensor x = Tensor.randn(new Rng(seed + 1), DType.FLOAT64, n, d);
    List<ProbedLayer> layers = ProbedLayer.all(model);
    assertEquals(3, layers.size());
    Map<String, LayerAgop> chain = new ChainRuleAgop(model, layers).batchSize(4).gradCentered(true).compute(x);
    Map<String, Tensor> direct = DirectAgop.compute(model, layers, x, false);
    Map<String, Tensor> directCentered = DirectAgop.compute(model, layers, x, true);
    for (ProbedLayer l : layers) {
      assertClose(chain.get(l.name()).agop(), direct.get(l.name()), 1e-10, "AGOP of layer " + l.name());
      // The centered AGOP can be exactly zero (n = 1, or a linear tail): compare with an absolute floor.
      Tensor cc = chain.get(l.name()).agopCentered(), dc = directCentered.get(l.name());
      double scale = Math.max(1e-300, frob(direct.get(l.name())));
      assertTrue(frob(cc.sub(dc)) <= 1e-10 * scale, "centered AGOP of layer " + l.name());
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Activation> activations() {
    return net.jqwik.api.Arbitraries.of(Activation.RELU, Activation.TANH, Activation.IDENTITY, Activation.GELU);
  }

  static double frob(Tensor t) {
    double s = 0;
    for (double v : t.toDoubleArray()) s += v * v;
    return Math.sqrt(s);
  }

  @Test
  void streamingEqualsOneBigBatch() {
    Module model = mlp(3, new int[] {6, 17, 9, 4}, Activation.RELU, true, Parameterization.STANDARD);
    Tensor x = Tensor.randn(new Rng(4), DType.FLOAT64, 37, 6);
    List<ProbedLayer> layers = ProbedLayer.all(model);
    Map<String, LayerAgop> one = new ChainRuleAgop(model, layers).batchSize(1000).gradCentered(true).compute(x);
    ChainRuleAgop.Accumulation acc = new ChainRuleAgop(model, layers).gradCentered(true).begin();
    int[] cuts = {0, 1, 8, 9, 24, 37};
    for (int i = 0; i + 1 < cuts.length; i++) acc.add(x.narrow(0, cuts[i], cuts[i + 1] - cuts[i]));
    Map<String, LayerAgop> streamed = acc.finish();
    for (ProbedLayer l : layers) {
      assertClose(streamed.get(l.name()).ptfK(), one.get(l.name()).ptfK(), 1e-13, "K " + l.name());
      assertClose(streamed.get(l.name()).agop(), one.get(l.name()).agop(), 1e-13, "AGOP " + l.name());
      assertClose(streamed.get(l.name()).agopCentered(), one.get(l.name()).agopCentered(), 1e-12, "centered AGOP " + l.name());
      assertEquals(37, streamed.get(l.name()).samples());
    }
  }

  @Test
  void lastLayerKIsTheIdentityAndCenteredKVanishes() {
    // g = d f_k / d z_L = e_k for the output layer: K = I exactly, and its mean equals itself.
    Module model = mlp(5, new int[] {4, 7, 3}, Activation.TANH, false, Parameterization.STANDARD);
    Tensor x = Tensor.randn(new Rng(6), DType.FLOAT64, 11, 4);
    LayerAgop last = new ChainRuleAgop(model, ProbedLayer.select(model, List.of("2"))).gradCentered(true).compute(x).get("2");
    assertClose(last.ptfK(), Tensor.eye(3, DType.FLOAT64), 1e-15, "K of the output layer");
    assertTrue(frob(last.ptfKCentered()) < 1e-14);
    assertNull(new ChainRuleAgop(model, ProbedLayer.select(model, List.of("2"))).compute(x).get("2").agopCentered());
  }
}
