package ansatz.instrument.record;

import ansatz.autograd.Rng;
import ansatz.nn.Conv2d;
import ansatz.nn.Flatten;
import ansatz.nn.Linear;
import ansatz.nn.Module;
import ansatz.nn.Parameterization;
import ansatz.nn.ReLU;
import ansatz.nn.Sequential;
import ansatz.nn.Tanh;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Rebuilds a network from model.json alone (what a numpy/PyTorch user would do), for the tests. */
final class ModelRebuild {
  private ModelRebuild() {}

  @SuppressWarnings("unchecked")
  static Module from(Map<String, Object> desc) {
    Map<String, Map<String, Object>> byName = new HashMap<>();
    for (Object o : (List<Object>) desc.get("modules")) {
      Map<String, Object> m = (Map<String, Object>) o;
      byName.put((String) m.get("name"), m);
    }
    return build("", byName);
  }

  @SuppressWarnings("unchecked")
  private static Module build(String name, Map<String, Map<String, Object>> byName) {
    Map<String, Object> m = byName.get(name);
    Rng rng = new Rng(0);
    Parameterization p = "ntk".equals(m.get("parameterization")) ? Parameterization.NTK : Parameterization.STANDARD;
    return switch ((String) m.get("type")) {
      case "Sequential" -> {
        Sequential s = new Sequential();
        for (Object c : (List<Object>) m.get("children")) s.add(build(name.isEmpty() ? (String) c : name + "." + c, byName));
        yield s;
      }
      case "Linear" -> new Linear(i(m, "in"), i(m, "out"), (Boolean) m.get("bias"), null, p, rng);
      case "Conv2d" -> {
        String[] k = ((String) m.get("kernel")).split("x");
        yield new Conv2d(i(m, "in"), i(m, "out"), Integer.parseInt(k[0]), Integer.parseInt(k[1]), i(m, "stride"), i(m, "padding"),
            m.containsKey("dilation") ? i(m, "dilation") : 1, (Boolean) m.get("bias"), null, p, rng);
      }
      case "ReLU" -> new ReLU();
      case "Tanh" -> new Tanh();
      case "Flatten" -> new Flatten(i(m, "start"), i(m, "end"));
      default -> throw new IllegalArgumentException("cannot rebuild " + m.get("type"));
    };
  }

  private static int i(Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (v == null) throw new IllegalArgumentException("model.json entry " + m.get("name") + " lacks '" + k + "'");
    return (int) Math.round((Double) v);
  }
}
