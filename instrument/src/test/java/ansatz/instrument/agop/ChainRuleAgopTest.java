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

  @Test
  void ptkGramMatchesPerSampleTangentFeatures() {
    Module model = mlp(8, new int[] {5, 6, 4, 3}, Activation.TANH, true, Parameterization.STANDARD);
    Tensor x = Tensor.randn(new Rng(9), DType.FLOAT64, 12, 5);
    List<ProbedLayer> layers = ProbedLayer.all(model);
    int m = 7; // spans two batches of 4
    Map<String, LayerAgop> got = new ChainRuleAgop(model, layers).batchSize(4).gramSamples(m).compute(x);
    // Diagonal entries against single-sample runs.
    for (ProbedLayer l : layers) {
      Tensor gamma = got.get(l.name()).ptkGram();
      assertEquals(m, gamma.size(0));
      for (int i = 0; i < m; i++) {
        // K of one sample is sum_k g_k g_k^T, whose trace is Gamma[i,i].
        LayerAgop one = new ChainRuleAgop(model, List.of(l)).compute(x.narrow(0, i, 1)).get(l.name());
        double tr = 0;
        for (int a = 0; a < l.rows(); a++) tr += one.ptfK().get(a, a);
        assertEquals(tr, gamma.get(i, i), 1e-12 * Math.max(1, tr), "diagonal " + i);
      }
      assertClose(gamma, gamma.t(), 1e-15, "symmetry");
      // Off-diagonal: the gradient-centered K of the pair {i, j} has trace (1/4) sum_k ||g_k(x_i) - g_k(x_j)||^2
      // = (Gamma_ii + Gamma_jj - 2 Gamma_ij) / 4.
      for (int[] ij : new int[][] {{0, 1}, {2, 6}, {3, 4}}) {
        Tensor pair = Tensor.concat(0, x.narrow(0, ij[0], 1), x.narrow(0, ij[1], 1));
        Tensor kc = new ChainRuleAgop(model, List.of(l)).gradCentered(true).compute(pair).get(l.name()).ptfKCentered();
        double tr = 0;
        for (int a = 0; a < l.rows(); a++) tr += kc.get(a, a);
        double expected = (gamma.get(ij[0], ij[0]) + gamma.get(ij[1], ij[1]) - 4 * tr) / 2;
        assertEquals(expected, gamma.get(ij[0], ij[1]), 1e-12 * Math.max(1, Math.abs(gamma.get(ij[0], ij[0]))), "entry " + ij[0] + "," + ij[1]);
      }
    }
    // Off-diagonal entries: on a linear network the tangent features do not depend on x, so every
    // entry equals ||A||_F^2 (A the c x d Jacobian of the tail w.r.t. z_l).
    Module linear = mlp(10, new int[] {3, 4, 2}, Activation.IDENTITY, false, Parameterization.STANDARD);
    List<ProbedLayer> ll = ProbedLayer.all(linear);
    Tensor gamma = new ChainRuleAgop(linear, ll).gramSamples(5).compute(Tensor.randn(new Rng(11), DType.FLOAT64, 5, 3)).get("0").ptkGram();
    Tensor w2 = ll.get(1).weightMatrix();
    double expected = w2.square().sum().item();
    for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) assertEquals(expected, gamma.get(i, j), 1e-12);
  }
}
