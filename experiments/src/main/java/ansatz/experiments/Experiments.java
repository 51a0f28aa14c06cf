package ansatz.experiments;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The registry of experiments, in the order {@code ./ansatz list} shows them. */
public final class Experiments {
  private Experiments() {}

  /** @return name to experiment, in listing order */
  public static Map<String, Experiment> all() {
    Map<String, Experiment> m = new LinkedHashMap<>();
    for (Experiment e : new Experiment[] {new DemoX1X2(), new ansatz.experiments.claims.NfaLinear(),
        new ansatz.experiments.claims.CatapultGd(),
        new ansatz.experiments.claims.CatapultSgd()}) m.put(e.name(), e);
    return m;
  }

  /** @return the experiment with that name, if any */
  public static Optional<Experiment> find(String name) {
    return Optional.ofNullable(all().get(name));
  }
}
