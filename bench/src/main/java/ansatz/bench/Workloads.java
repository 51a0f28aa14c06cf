package ansatz.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The side-by-side workloads by name, in the order {@code ./ansatz bench} runs them. */
public final class Workloads {
  private Workloads() {}

  /** @return every workload, keyed by name */
  public static Map<String, Workload> all() {
    Map<String, Workload> m = new LinkedHashMap<>();
    for (Workload w : List.of(
        GemmWorkloads.square(1024),
        MlpWorkloads.train(MlpWorkloads.LossKind.CE),
        MlpWorkloads.train(MlpWorkloads.LossKind.MSE),
        MlpWorkloads.infer(),
        CnnWorkloads.train(),
        AgopWorkloads.agopMlp(),
        AgopWorkloads.patchAgopCnn())) {
      m.put(w.name(), w);
    }
    return m;
  }

  /** @return the workload called {@code name} */
  public static Optional<Workload> find(String name) {
    return Optional.ofNullable(all().get(name));
  }

  /** @return the named workloads; an unknown name is an error listing the known ones */
  public static List<Workload> select(List<String> names) {
    Map<String, Workload> all = all();
    List<Workload> out = new ArrayList<>();
    for (String n : names) {
      Workload w = all.get(n.trim());
      if (w == null) throw new IllegalArgumentException("unknown workload '" + n + "'; known: " + String.join(", ", all.keySet()));
      out.add(w);
    }
    return out;
  }
}
