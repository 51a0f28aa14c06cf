package ansatz.experiments;

import ansatz.experiments.claims.Alignment;
import ansatz.experiments.claims.AlignmentRule;
import ansatz.experiments.claims.CatapultGd;
import ansatz.experiments.claims.CatapultSgd;
import ansatz.experiments.claims.DeepRfmCollapse;
import ansatz.experiments.claims.LinRfmRecovery;
import ansatz.experiments.claims.NfaConv;
import ansatz.experiments.claims.NfaLinear;
import ansatz.experiments.claims.NfaMlp;
import ansatz.experiments.claims.NnCollapse;
import ansatz.experiments.claims.RfmLowRank;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The registry of experiments, in the order {@code ./ansatz list} shows them (the order). */
public final class Experiments {
  private Experiments() {}

  /** @return name to experiment, in listing order */
  public static Map<String, Experiment> all() {
    Map<String, Experiment> m = new LinkedHashMap<>();
    Experiment[] inOrder = {
      new DemoX1X2(),
      new NfaMlp(),
      new NfaLinear(),
      new Alignment(),
      new AlignmentRule(),
      new NfaConv(),
      new CatapultGd(),
      new CatapultSgd(),
      new DeepRfmCollapse(),
      new NnCollapse(),
      new RfmLowRank(),
      new LinRfmRecovery()
    };
    for (Experiment e : inOrder) m.put(e.name(), e);
    return m;
  }

  /** @return the experiment with that name, if any */
  public static Optional<Experiment> find(String name) {
    return Optional.ofNullable(all().get(name));
  }
}
