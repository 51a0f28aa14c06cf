package ansatz.instrument.agop;

import static ansatz.instrument.agop.AgopTesting.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Conv2d;
import ansatz.nn.Flatten;
import ansatz.nn.Linear;
import ansatz.nn.Module;
import ansatz.nn.Parameterization;
import ansatz.nn.ReLU;
import ansatz.nn.Sequential;
import ansatz.nn.Tanh;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ConvAgopTest {
  /** conv(cin->c1, k, stride, pad) -> act -> conv(c1->c2, 2, 1, 0) -> act -> flatten -> linear(-> classes) */
  static Module cnn(long seed, int cin, int c1, int c2, int k, int stride, int pad, int h, int classes, boolean bias, boolean ntk, boolean relu) {
    Rng rng = new Rng(seed);
    Parameterization p = ntk ? Parameterization.NTK : Parameterization.STANDARD;
    int h1 = (h + 2 * pad - k) / stride + 1;
    int h2 = h1 - 1;
    return new Sequential(
        new Conv2d(cin, c1, k, k, stride, pad, 1, bias, null, p, rng), relu ? new ReLU() : new Tanh(),
        new Conv2d(c1, c2, 2, 2, 1, 0, 1, bias, null, p, rng), relu ? new ReLU() : new Tanh(),
        new Flatten(), new Linear(c2 * h2 * h2, classes, bias, null, p, rng)).to(DType.FLOAT64);
  }

  @Property(tries = 10)
  void patchAgopChainRuleEqualsColumnGradientForm(@ForAll @IntRange(min = 1, max = 3) int cin, @ForAll @IntRange(min = 1, max = 4) int c1,
                                                  @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int stride,
                                                  @ForAll @IntRange(min = 0, max = 1) int pad, @ForAll boolean bias, @ForAll boolean ntk,
                                                  @ForAll boolean relu, @ForAll @IntRange(min = 0, max = 999) int seed) {
    int h = 5;
    Module model = cnn(seed, cin, c1, 3, k, stride, pad, h, 2, bias, ntk, relu);
    Tensor x = Tensor.randn(new Rng(seed + 1), DType.FLOAT64, 4, cin, h, h);
    List<ProbedLayer> layers = ProbedLayer.all(model);
    assertEquals(List.of(ProbedLayer.Kind.CONV, ProbedLayer.Kind.CONV, ProbedLayer.Kind.DENSE), layers.stream().map(ProbedLayer::kind).toList());
    Map<String, LayerAgop> chain = new ChainRuleAgop(model, layers).batchSize(3).gradCentered(true).compute(x);
    Map<String, Tensor> direct = DirectAgop.compute(model, layers, x, false);
    Map<String, Tensor> directCentered = DirectAgop.compute(model, layers, x, true);
    for (ProbedLayer l : layers) {
      assertClose(chain.get(l.name()).agop(), direct.get(l.name()), 1e-10, "patch AGOP of " + l);
      double scale = Math.max(1e-300, ChainRuleAgopTest.frob(direct.get(l.name())));
      assertTrue(ChainRuleAgopTest.frob(chain.get(l.name()).agopCentered().sub(directCentered.get(l.name()))) <= 1e-10 * scale,
          "centered patch AGOP of " + l);
    }
  }

  @Test
  void patchAgopOfTheFirstConvLayerIsTheAgopOverInputPatches() {
    // A 1x1 convolution with stride 1 sees single pixels: its patch AGOP sums the input AGOP's
    // per-pixel channel blocks, which the predictor AGOP over the whole image gives independently.
    Rng rng = new Rng(3);
    Module model = new Sequential(new Conv2d(2, 3, 1, 1, 0, false, rng), new Tanh(), new Flatten(), new Linear(3 * 4 * 4, 2, false, rng))
        .to(DType.FLOAT64);
    Tensor x = Tensor.randn(new Rng(4), DType.FLOAT64, 6, 2, 4, 4);
    Tensor patch = new ChainRuleAgop(model, ProbedLayer.select(model, List.of("0"))).compute(x).get("0").agop();
    Tensor full = PredictorAgop.of(model::call, x, 4, false); // (2*16) x (2*16), channel-major pixels
    double[][] expected = new double[2][2];
    for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) for (int p = 0; p < 16; p++) expected[a][b] += full.get(a * 16 + p, b * 16 + p);
    assertClose(patch, Tensor.of(expected), 1e-12, "1x1 patch AGOP");
  }

  @Test
  void convKIsOverFiltersAndCountsPositions() {
    Module model = cnn(5, 2, 3, 2, 3, 1, 1, 4, 2, true, false, true);
    LayerAgop a = new ChainRuleAgop(model, ProbedLayer.select(model, List.of("0"))).compute(Tensor.randn(new Rng(6), DType.FLOAT64, 3, 2, 4, 4)).get("0");
    assertEquals(3, a.ptfK().size(0));
    assertEquals(2 * 9, a.agop().size(0));
    assertEquals(16, a.rowsPerSample());
    assertEquals(3, a.samples());
  }

  @Test
  void selectingAMissingOrParameterFreeLayerNamesTheAvailableOnes() {
    Module model = cnn(7, 1, 2, 2, 3, 1, 1, 4, 2, false, false, true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProbedLayer.select(model, List.of("9")));
    assertTrue(e.getMessage().contains("no layer named '9'") && e.getMessage().contains("'0' (Conv2d)") && e.getMessage().contains("'5' (Linear)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ProbedLayer.select(model, List.of("1")));
    assertTrue(e.getMessage().contains("ReLU"), e.getMessage());
  }
}
