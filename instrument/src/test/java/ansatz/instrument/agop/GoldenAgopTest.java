package ansatz.instrument.agop;

import static ansatz.instrument.agop.AgopTesting.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.autograd.io.Npz;
import ansatz.nn.Conv2d;
import ansatz.nn.Flatten;
import ansatz.nn.Linear;
import ansatz.nn.Module;
import ansatz.nn.ReLU;
import ansatz.nn.Sequential;
import ansatz.nn.Tanh;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chain-rule layer AGOPs in float32 against PyTorch's direct per-sample Jacobians
 * (functorch vmap/jacrev), from fixtures written by src/test/python/golden_agop.py.
 */
class GoldenAgopTest {
  private static final double TOL = 1e-5;

  static Map<String, Tensor> fixture(String name) throws IOException, URISyntaxException {
    return Npz.readTensors(Path.of(GoldenAgopTest.class.getResource("/golden/agop_" + name + ".npz").toURI()));
  }

  /** Loads the fixture's parameters into {@code model}, then compares every layer AGOP. */
  static int check(String name, Module model) throws Exception {
    Map<String, Tensor> f = fixture(name);
    Map<String, Tensor> params = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : f.entrySet()) if (e.getKey().startsWith("param.")) params.put(e.getKey().substring(6), e.getValue());
    model.loadStateDict(params);
    Map<String, LayerAgop> got = new ChainRuleAgop(model, ProbedLayer.all(model)).batchSize(7).compute(f.get("x"));
    int compared = 0;
    for (Map.Entry<String, Tensor> e : f.entrySet()) {
      if (!e.getKey().startsWith("agop.")) continue;
      String layer = e.getKey().substring(5);
      assertClose(got.get(layer).agop(), e.getValue().toFloat64(), TOL, name + " layer " + layer);
      compared++;
    }
    return compared;
  }

  @Test
  void mlpWithReluTanhAndBiasesMatchesPyTorch() throws Exception {
    Rng rng = new Rng(0);
    Module model = new Sequential(new Linear(8, 16, true, rng), new ReLU(), new Linear(16, 12, false, rng), new Tanh(), new Linear(12, 3, true, rng));
    assertEquals(3, check("mlp", model));
  }

  @Test
  void ntkParameterizedMlpMatchesPyTorch() throws Exception {
    Rng rng = new Rng(0);
    Module model = new Sequential(Linear.ntk(6, 10, true, rng), new Tanh(), Linear.ntk(10, 9, true, rng), new ReLU(), Linear.ntk(9, 2, false, rng));
    assertEquals(3, check("ntk_mlp", model));
  }

  @Test
  void cnnPatchAgopsMatchPyTorch() throws Exception {
    Rng rng = new Rng(0);
    Module model = new Sequential(new Conv2d(2, 4, 3, 1, 1, true, rng), new ReLU(), new Conv2d(4, 5, 2, 2, 0, false, rng), new Tanh(),
        new Flatten(), new Linear(5 * 3 * 3, 3, true, rng));
    assertEquals(3, check("cnn", model));
  }
}
