package ansatz.instrument.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.instrument.Measurement;
import ansatz.instrument.Nfa;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProbeWarmupTest {
  @Test
  void startsOneBackgroundThreadPerJvmThatFinishes() throws Exception {
    ProbeWarmup.startInBackground();
    ProbeWarmup.startInBackground();
    long alive = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("ansatz-probe-warmup")).count();
    assertTrue(alive <= 1, alive + " warm-up threads");
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("ansatz-probe-warmup")) t.join(60_000);
    }
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("ansatz-probe-warmup")), "the warm-up ended");
  }

  @Test
  void theWorkRunsEveryStageOfAProbe() {
    // The whole chain-rule sweep and every NFA stage on a small float32 network, uncentered: per layer
    // 8 NFA variants (2 alphas x 2 NFMs x 2 correlations), 2 UC-NFA, 2 C-NFA and the weight change.
    List<Measurement> ms = ProbeWarmup.run();
    assertEquals(3 * 13, ms.size(), "measurements: " + ms.size());
    for (Measurement m : ms) {
      if (m.variant() != null) assertTrue(Double.isNaN(m.value()) || Math.abs(m.value()) <= 1 + 1e-9, m.key() + " = " + m.value());
    }
    assertTrue(ms.stream().filter(m -> m.quantity().equals(Nfa.NFA)).allMatch(m -> Double.isFinite(m.value())), "NFA values are finite");
  }
}
