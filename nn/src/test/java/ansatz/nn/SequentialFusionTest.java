package ansatz.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.loss.CrossEntropyLoss;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Sequential} runs a Linear directly followed by a ReLU as one fused op. The result and
 * all gradients must be bitwise those of the two layers run one by one, and a hook on either layer
 * must switch the fusion off so that it sees the pre-activation.
 */
class SequentialFusionTest {

  private static Sequential model(long seed) {
    Rng rng = new Rng(seed);
    return new Sequential(new Linear(9, 17, true, rng), new ReLU(), new Linear(17, 7, true, rng), new ReLU(), new Linear(7, 3, true, rng));
  }

  /** @return loss, output and the parameter gradients after one backward */
  private static List<float[]> run(Sequential m, Tensor x, int[] labels) {
    Tensor out = m.call(x);
    Tensor loss = new CrossEntropyLoss().apply(out, labels);
    loss.backward();
    List<float[]> r = new ArrayList<>(List.of(loss.toFloatArray(), out.toFloatArray()));
    for (Parameter p : m.parameters()) r.add(p.grad().toFloatArray());
    return r;
  }

  @Test
  void fusedLinearReluEqualsTheLayersRunOneByOne() {
    Rng rng = new Rng(11);
    Tensor x = Tensor.randn(rng, 15, 9);
    int[] labels = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2};
    List<float[]> fused = run(model(5), x, labels);
    // a forward hook that changes nothing turns the fusion off for that ReLU
    Sequential unfused = model(5);
    List<Tensor> seenInputs = new ArrayList<>();
    for (Module layer : unfused.children()) {
      if (layer instanceof ReLU) layer.registerForwardHook((mod, in, out) -> { seenInputs.add(in); return null; });
    }
    List<float[]> ref = run(unfused, x, labels);
    assertEquals(ref.size(), fused.size());
    for (int i = 0; i < ref.size(); i++) assertArrayEquals(ref.get(i), fused.get(i), "tensor " + i + " (loss, output, then parameter grads)");
    // the hooks saw the pre-activations, which have negative entries (not ReLU outputs)
    assertEquals(2, seenInputs.size());
    for (Tensor pre : seenInputs) {
      boolean negative = false;
      for (float v : pre.toFloatArray()) negative |= v < 0;
      assertEquals(true, negative, "a hook on ReLU must see its input, the pre-activation");
    }
  }
}
