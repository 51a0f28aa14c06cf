package ansatz.instrument.ntk;

import ansatz.autograd.HookHandle;
import ansatz.autograd.Tensor;
import ansatz.nn.Conv2d;
import ansatz.nn.Linear;
import ansatz.nn.Module;
import ansatz.nn.Parameter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records, for one forward pass, the input h_l and pre-activation z_l of every {@link Linear} and
 * {@link Conv2d} layer of a model (forward hooks, removed on {@link #close()}). Also checks that the
 * model's parameters all belong to such layers, since the NTK construction only knows those.
 */
final class LayerTape implements AutoCloseable {
  /** One layer call: its dotted name, the layer (Linear or Conv2d), what went in and what came out. */
  record Call(String name, Module layer, Tensor input, Tensor output) {}

  private final Map<Module, String> names = new IdentityHashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private final List<HookHandle> handles = new ArrayList<>();

  LayerTape(String op, Module model) {
    Map<Parameter, String> owned = new IdentityHashMap<>();
    for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
      Parameter weight, bias;
      if (e.getValue() instanceof Linear lin) {
        weight = lin.weight();
        bias = lin.bias();
      } else if (e.getValue() instanceof Conv2d conv) {
        weight = conv.weight();
        bias = conv.bias();
      } else {
        continue;
      }
      names.put(e.getValue(), e.getKey().isEmpty() ? "(model)" : e.getKey());
      owned.put(weight, "");
      if (bias != null) owned.put(bias, "");
    }
    List<String> foreign = new ArrayList<>();
    for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
      if (!owned.containsKey(p.getValue())) foreign.add(p.getKey());
    }
    if (!foreign.isEmpty()) {
      throw new IllegalArgumentException(op + ": parameters " + foreign + " are not the weight or bias of a Linear or Conv2d layer;"
          + " the NTK construction covers only those layers");
    }
    if (names.isEmpty()) throw new IllegalArgumentException(op + ": the model has no Linear or Conv2d layer, so its NTK is zero");
    for (Module layer : names.keySet()) {
      handles.add(layer.registerForwardHook((m, in, out) -> {
        calls.add(new Call(names.get(layer), layer, in, out));
        return null;
      }));
    }
  }

  /**
   * {@return the calls of the last forward, in execution order}
   *
   * @throws IllegalArgumentException if a layer ran more than once (shared weights)
   */
  List<Call> calls(String op) {
    Map<Module, Integer> count = new LinkedHashMap<>();
    for (Call c : calls) count.merge(c.layer(), 1, Integer::sum);
    for (Map.Entry<Module, Integer> e : count.entrySet()) {
      if (e.getValue() > 1) {
        throw new IllegalArgumentException(op + ": layer '" + names.get(e.getKey()) + "' ran " + e.getValue()
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
