package ansatz.instrument.ntk;

import ansatz.autograd.HookHandle;
import ansatz.autograd.Tensor;
import ansatz.nn.Linear;
import ansatz.nn.Module;
import ansatz.nn.Parameter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records, for one forward pass, the input h_l and pre-activation z_l of every {@link Linear} layer
 * of a model (forward hooks, removed on {@link #close()}). Also checks that the model's parameters
 * all belong to Linear layers, since the Gamma/H construction of the NTK only knows those.
 */
final class LinearTape implements AutoCloseable {
  /** One layer call: its dotted name, the layer, what went in and what came out. */
  record Call(String name, Linear layer, Tensor input, Tensor output) {}

  private final Map<Linear, String> names = new IdentityHashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private final List<HookHandle> handles = new ArrayList<>();

  LinearTape(String op, Module model) {
    Map<Parameter, String> owned = new IdentityHashMap<>();
    for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
      if (e.getValue() instanceof Linear lin) {
        names.put(lin, e.getKey().isEmpty() ? "(model)" : e.getKey());
        owned.put(lin.weight(), "");
        if (lin.bias() != null) owned.put(lin.bias(), "");
      }
    }
    List<String> foreign = new ArrayList<>();
    for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
      if (!owned.containsKey(p.getValue())) foreign.add(p.getKey());
    }
    if (!foreign.isEmpty()) {
      throw new IllegalArgumentException(op + ": parameters " + foreign + " are not the weight or bias of a Linear layer;"
          + " the Gamma/H construction of the NTK covers Linear layers only (conv layers: not yet)");
    }
    if (names.isEmpty()) throw new IllegalArgumentException(op + ": the model has no Linear layer, so its NTK is zero");
    for (Linear lin : names.keySet()) {
      handles.add(lin.registerForwardHook((m, in, out) -> {
        calls.add(new Call(names.get(lin), lin, in, out));
        return null;
      }));
    }
  }

  /**
   * @return the calls of the last forward, in execution order
   * @throws IllegalArgumentException if a layer ran more than once (shared weights)
   */
  List<Call> calls(String op) {
    Map<Linear, Integer> count = new LinkedHashMap<>();
    for (Call c : calls) count.merge(c.layer(), 1, Integer::sum);
    for (Map.Entry<Linear, Integer> e : count.entrySet()) {
      if (e.getValue() > 1) {
        throw new IllegalArgumentException(op + ": Linear layer '" + names.get(e.getKey()) + "' ran " + e.getValue()
            + " times in one forward pass; shared weights are not supported (each layer must run once)");
      }
    }
    return List.copyOf(calls);
  }

  @Override
  public void close() {
    for (HookHandle h : handles) h.close();
  }
}
