package ansatz.instrument.agop;

import static ansatz.instrument.agop.AgopTesting.assertClose;
import static ansatz.instrument.agop.AgopTesting.assertCloseAbs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.instrument.AgopAlignment;
import ansatz.instrument.Measurement;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.Parameterization;
import ansatz.nn.data.Dataset;
import ansatz.nn.data.Synthetic;
import ansatz.nn.init.Init;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** AGOPs with known closed forms. */
class ClosedFormAgopTest {
  /**
   * A deep linear network f(x) = W_L ... W_1 x has the same Jacobian at every x, so
   * AGOP_l = W_l^T A^T A W_l with A = W_L ... W_{l+1} (scaled by 1/sqrt(fan_in) per NTK layer).
   */
  @Property(tries = 12)
  void linearNetworkAgopIsWTransposeATransposeAW(@ForAll @IntRange(min = 1, max = 6) int d, @ForAll @IntRange(min = 1, max = 7) int h,
                                                 @ForAll @IntRange(min = 1, max = 4) int c, @ForAll boolean ntk,
                                                 @ForAll @IntRange(min = 0, max = 999) int seed) {
    Parameterization p = ntk ? Parameterization.NTK : Parameterization.STANDARD;
    int[] widths = {d, h, h + 2, c};
    Module model = Models.mlp(widths, Activation.IDENTITY, false, ntk ? null : Init.kaimingNormal(), p, new Rng(seed)).to(DType.FLOAT64);
    List<ProbedLayer> layers = ProbedLayer.all(model);
    Map<String, LayerAgop> got = new ChainRuleAgop(model, layers).compute(Tensor.randn(new Rng(seed + 1), DType.FLOAT64, 5, d));
    Tensor[] eff = new Tensor[layers.size()];
    for (int l = 0; l < layers.size(); l++) eff[l] = layers.get(l).weightMatrix().mul(ntk ? 1 / Math.sqrt(widths[l]) : 1).detach();
    for (int l = 0; l < layers.size(); l++) {
      Tensor a = Tensor.eye(c, DType.FLOAT64);
      for (int m = layers.size() - 1; m > l; m--) a = a.matmul(eff[m]);
      Tensor j = a.matmul(eff[l]); // the c x d_l input Jacobian of the tail
      // Rounding is relative to the unsigned products (|W|^T |A|^T |A| |W|), not to the result:
      // when A W cancels (d = c = 1 gives a single dot product) the result can be far smaller.
      Tensor absA = Tensor.eye(c, DType.FLOAT64);
      for (int m = layers.size() - 1; m > l; m--) absA = absA.matmul(eff[m].abs());
      Tensor absJ = absA.matmul(eff[l].abs());
      double scale = AgopTesting.frobenius(absJ.t().matmul(absJ));
      assertCloseAbs(got.get(layers.get(l).name()).agop(), j.t().matmul(j), 1e-12 * scale, "layer " + layers.get(l).name());
    }
  }

  /**
   * The sample AGOP of the true predictor x1*x2 is mean [[x2^2, x1x2], [x1x2, x1^2]] in the top
   * corner and 0 elsewhere; at n = 20000 it is diag(1, 1, 0, ...) to sampling error ~ 1/sqrt(n).
   */
  @Test
  void sampleAgopOfX1X2ApproachesTheTrueAgop() {
    Dataset train = Synthetic.builder("x1x2").d(6).n(20000).nTest(0).seed(3).build().train();
    Tensor g = PredictorAgop.of(train.truePredictor().orElseThrow(), train.inputs().toFloat64(), 4096, false);
    Tensor truth = train.trueAgop().orElseThrow();
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 6; j++) {
        double expected = (i == j && i < 2) ? 1 : 0;
        assertEquals(expected, g.get(i, j), i < 2 && j < 2 ? 0.05 : 1e-12, "entry " + i + "," + j);
        assertEquals(expected, truth.get(i, j), 0, "Dataset.trueAgop entry " + i + "," + j);
      }
    }
    List<Measurement> align = AgopAlignment.measure("truth", g, truth, false);
    assertEquals("cosine,alpha=1,init_removed=false,grad_centered=false", align.get(0).variantLabel());
    assertTrue(align.get(0).value() > 0.998, "cosine " + align.get(0).value());
    assertTrue(align.get(1).value() > 0.998, "pearson " + align.get(1).value());
    // Exactly: mean of x2^2 and of x1^2 from the data.
    Tensor x = train.inputs().toFloat64();
    assertEquals(x.select(1, 1).square().mean().item(), g.get(0, 0), 1e-10);
    assertEquals(x.select(1, 0).mul(x.select(1, 1)).mean().item(), g.get(0, 1), 1e-10);
  }

  /** Gradient centering removes the mean Jacobian: for a linear predictor the centered AGOP is 0. */
  @Test
  void gradientCenteredAgopOfALinearMapIsZero() {
    Tensor w = Tensor.randn(new Rng(8), DType.FLOAT64, 4, 3);
    Tensor x = Tensor.randn(new Rng(9), DType.FLOAT64, 50, 4);
    Tensor centered = PredictorAgop.of(v -> v.matmul(w), x, 16, true);
    Tensor plain = PredictorAgop.of(v -> v.matmul(w), x, 16, false);
    assertClose(plain, w.matmul(w.t()), 1e-13, "uncentered AGOP of x W");
    assertTrue(ChainRuleAgopTest.frob(centered) < 1e-13, "centered AGOP of a linear map");
  }

  /** The predictor AGOP of a model equals its first layer's AGOP (the layer input is the model input). */
  @Test
  void predictorAgopOfTheModelEqualsTheFirstLayerAgop() {
    Module model = Models.mlp(new int[] {5, 9, 2}, Activation.TANH, true, new Rng(10)).to(DType.FLOAT64);
    Tensor x = Tensor.randn(new Rng(11), DType.FLOAT64, 33, 5);
    LayerAgop first = new ChainRuleAgop(model, ProbedLayer.all(model)).gradCentered(true).compute(x).get("0");
    assertClose(PredictorAgop.of(model::call, x, 8, false), first.agop(), 1e-12, "model AGOP");
    assertClose(PredictorAgop.of(model::call, x, 8, true), first.agopCentered(), 1e-11, "centered model AGOP");
  }
}
