package ansatz.instrument.agop;

import ansatz.autograd.HookHandle;
import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * Forward hooks that remember, for one forward pass, each probed layer's input h_l and output
 * (the pre-activation z_l). Close it to remove the hooks. A layer called twice in one forward
 * (weight sharing) is an error: its AGOP would mix two positions in the network.
 */
final class LayerCapture implements AutoCloseable {
  private final List<ProbedLayer> layers;
  private final Tensor[] inputs;
  private final Tensor[] outputs;
  private final List<HookHandle> handles = new ArrayList<>();

  LayerCapture(List<ProbedLayer> layers) {
    this.layers = layers;
    this.inputs = new Tensor[layers.size()];
    this.outputs = new Tensor[layers.size()];
    for (int i = 0; i < layers.size(); i++) {
      final int index = i;
      handles.add(layers.get(i).module().registerForwardHook((Module m, Tensor in, Tensor out) -> {
        if (outputs[index] != null) {
          throw new IllegalStateException("probe: layer '" + layers.get(index).name()
              + "' ran twice in one forward pass (shared weights); its AGOP is not defined per layer");
        }
        inputs[index] = in;
        outputs[index] = out;
        return null;
      }));
    }
  }

  /** Forgets the tensors of the previous forward. */
  void reset() {
    java.util.Arrays.fill(inputs, null);
    java.util.Arrays.fill(outputs, null);
  }

  /** {@return the inputs h_l seen in the last forward, in layer order} */
  Tensor[] inputs() {
    return checked(inputs);
  }

  /** {@return the outputs z_l seen in the last forward, in layer order} */
  Tensor[] outputs() {
    return checked(outputs);
  }

  private Tensor[] checked(Tensor[] t) {
    for (int i = 0; i < t.length; i++) {
      if (t[i] == null) {
        throw new IllegalStateException("probe: layer '" + layers.get(i).name() + "' did not run in the model's forward pass");
      }
    }
    return t.clone();
  }

  @Override
  public void close() {
    for (HookHandle h : handles) h.close();
    handles.clear();
  }
}
