package ansatz.instrument.agop;

import ansatz.autograd.HookHandle;
import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * Forward hooks for the direct AGOP check: they remember each layer's direct-check variable (the
 * layer input, or a conv layer's im2col columns, see {@link ProbedLayer#directVariable}).
 */
final class PatchCapture implements AutoCloseable {
  private final List<ProbedLayer> layers;
  private final Tensor[] variables;
  private final List<HookHandle> handles = new ArrayList<>();

  PatchCapture(List<ProbedLayer> layers) {
    this.layers = layers;
    this.variables = new Tensor[layers.size()];
    for (int i = 0; i < layers.size(); i++) {
      final int index = i;
      ProbedLayer layer = layers.get(i);
      handles.add(layer.module().registerForwardHook((Module m, Tensor in, Tensor out) -> {
        if (variables[index] != null) {
          throw new IllegalStateException("probe: layer '" + layer.name() + "' ran twice in one forward pass (shared weights)");
        }
        ProbedLayer.DirectVariable v = layer.directVariable(in, out);
        variables[index] = v.variable();
        return v.replacementOutput();
      }));
    }
  }

  /** {@return the variables of the last forward, in layer order} */
  Tensor[] variables() {
    for (int i = 0; i < variables.length; i++) {
      if (variables[i] == null) throw new IllegalStateException("probe: layer '" + layers.get(i).name() + "' did not run in the forward pass");
    }
    return variables.clone();
  }

  @Override
  public void close() {
    for (HookHandle h : handles) h.close();
    handles.clear();
  }
}
