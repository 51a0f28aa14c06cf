package ansatz.experiments.claims;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.experiments.BaseExperiment;
import ansatz.experiments.Claim;
import ansatz.experiments.ExperimentResult;
import ansatz.nn.io.JsonReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke tests of the NFA, alignment and collapse experiments at tiny sizes on synthetic data (no
 * Fashion-MNIST needed): every output file is written and every claim has a measured value. Whether
 * a claim holds is not asserted (at these sizes it means nothing).
 */
class FeatureExperimentsTest {
  /** Runs {@code e} into {@code dir} and checks summary.json, metrics.jsonl, the charts and the claims. */
  static ExperimentResult runAndCheck(BaseExperiment e, Path dir, String... args) throws Exception {
    ExperimentResult r = e.runWith(args, dir);
    assertEquals(e.name(), r.experiment());
    Map<String, Object> summary = JsonReader.parseObject(Files.readString(dir.resolve("summary.json")));
    assertEquals(e.name(), summary.get("experiment"));
    List<?> claims = (List<?>) summary.get("claims");
    assertEquals(r.claims().size(), claims.size());
    assertFalse(r.claims().isEmpty());
    for (Claim c : r.claims()) {
      assertFalse(c.measured().isBlank(), c.id());
      assertNotEquals("NaN", c.measured(), c.id() + " has no measured value");
      assertFalse(c.expected().isBlank(), c.id());
    }
    List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
    assertFalse(lines.isEmpty());
    for (String line : lines) assertTrue(JsonReader.parseObject(line).containsKey("step"), line);
    assertFalse(r.charts().isEmpty());
    for (Path chart : r.charts()) {
      assertTrue(Files.size(dir.resolve(chart)) > 0, chart.toString());
      String svg = chart.toString().replaceAll("\\.png$", ".svg");
      assertTrue(Files.size(dir.resolve(svg)) > 0, svg);
    }
    return r;
  }

  static boolean anyProbeRow(Path dir) throws Exception {
    for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) if (line.contains("\"probe\"")) return true;
    return false;
  }

  @Test
  void nfaMlp(@TempDir Path dir) throws Exception {
    ExperimentResult r = runAndCheck(new NfaMlp(), dir, "--d", "4", "--n", "64", "--n-test", "32", "--hidden", "8,6", "--epochs", "2",
        "--batch", "32", "--probe-every", "1", "--probe-samples", "32");
    assertTrue(anyProbeRow(dir));
    // hidden layers 1 and 2 are tested (nfa and above-baseline), the single-output layer is not
    assertEquals(1 + 2 * 2, r.claims().size());
    for (String run : List.of("small-init", "default-init")) {
      assertTrue(Files.exists(dir.resolve(run).resolve("snapshots/epoch-0000.npz")), run);
      assertTrue(Files.exists(dir.resolve(run).resolve("snapshots/epoch-0002.npz")), run);
      assertFalse(Files.exists(dir.resolve(run).resolve("snapshots/epoch-0001.npz")), run + ": snapshots only at init and end");
    }
  }

  @Test
  void alignment(@TempDir Path dir) throws Exception {
    runAndCheck(new Alignment(), dir, "--data", "quadrant", "--d", "4", "--n", "64", "--n-test", "32", "--width", "8", "--depth", "2",
        "--epochs", "2", "--batch", "32", "--probe-every", "1", "--probe-samples", "32");
    assertTrue(anyProbeRow(dir));
    assertTrue(Files.exists(dir.resolve("train/model.json")));
  }

  @Test
  void alignmentRule(@TempDir Path dir) throws Exception {
    ExperimentResult r = runAndCheck(new AlignmentRule(), dir, "--data", "quadrant", "--d", "4", "--n", "64", "--n-test", "32", "--width", "8",
        "--depth", "2", "--epochs", "2", "--batch", "32", "--probe-every", "1", "--probe-samples", "32");
    assertTrue(anyProbeRow(dir));
    assertTrue(((Number) r.config().get("rule_lr")).doubleValue() > 0);
  }

  @Test
  void nnCollapse(@TempDir Path dir) throws Exception {
    runAndCheck(new NnCollapse(), dir, "--data", "quadrant", "--d", "4", "--per-class", "8", "--n-read", "200", "--n-test", "32", "--width", "8",
        "--depth", "2", "--epochs", "2", "--batch", "16", "--measure-every", "1", "--probe-samples", "32");
    String metrics = Files.readString(dir.resolve("metrics.jsonl"));
    assertTrue(metrics.contains("\"right_structure_nc1\""));
  }

  @Test
  void nfaConv(@TempDir Path dir) throws Exception {
    ExperimentResult r = runAndCheck(new NfaConv(), dir, "--data", "bars", "--n", "16", "--n-test", "8", "--epochs", "1", "--batch", "8",
        "--probe-every", "1", "--probe-samples", "8");
    assertTrue(anyProbeRow(dir));
    assertEquals(3, r.claims().size());
    assertTrue(r.config().get("optimizer").toString().startsWith("Adam"), r.config().toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NfaConv().runWith(new String[] {"--data", "bars", "--n", "8", "--init", "tiny"}, dir.resolve("bad")));
    assertTrue(e.getMessage().contains("--init"), e.getMessage());
  }

  @Test
  void badDataChoiceIsNamed(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Alignment().runWith(new String[] {"--data", "mnist"}, dir));
    assertTrue(e.getMessage().contains("--data"), e.getMessage());
  }
}
