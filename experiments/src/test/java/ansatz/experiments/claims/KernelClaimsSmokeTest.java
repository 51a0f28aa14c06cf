package ansatz.experiments.claims;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.experiments.BaseExperiment;
import ansatz.experiments.Claim;
import ansatz.experiments.ExperimentResult;
import ansatz.nn.data.FashionMnist;
import ansatz.nn.io.JsonReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke tests of the kernel-machine claim experiments at tiny sizes: the files are written and
 * parse, every claim has a measured value. They do not assert that the claims hold.
 */
class KernelClaimsSmokeTest {
  @TempDir Path tmp;

  @SuppressWarnings("unchecked")
  private static void assertRun(BaseExperiment e, String[] args, Path dir, int claims, List<String> charts) throws Exception {
    ExperimentResult r = e.runWith(args, dir);
    assertEquals(claims, r.claims().size(), "claims: " + r.claims());
    for (Claim c : r.claims()) {
      assertFalse(c.measured().isBlank(), c.id());
      assertFalse(c.measured().contains("NaN"), c.id() + " measured " + c.measured());
    }
    Map<String, Object> s = JsonReader.parseObject(Files.readString(dir.resolve("summary.json")));
    assertEquals(e.name(), s.get("experiment"));
    List<Object> written = (List<Object>) s.get("claims");
    assertEquals(claims, written.size());
    for (Object o : written) assertNotNull(((Map<String, Object>) o).get("measured"));
    List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
    assertFalse(lines.isEmpty());
    for (String line : lines) JsonReader.parseObject(line);
    assertEquals(charts, ((List<Object>) s.get("charts")).stream().map(Object::toString).toList());
    for (String c : charts) {
      assertTrue(Files.size(dir.resolve(c)) > 1000, c);
      assertTrue(Files.exists(dir.resolve(c.replace(".png", ".svg"))), c);
    }
  }

  @Test
  void deepRfmCollapse() throws Exception {
    assertRun(new DeepRfmCollapse(), new String[] {"--n", "80", "--d", "6", "--layers", "2", "--width", "24", "--data", "none"},
        tmp.resolve("drc"), 2, List.of("quadrant_nc1.png", "quadrant_nc2.png"));
  }

  @Test
  void rfmLowRank() throws Exception {
    Path dir = tmp.resolve("rl");
    assertRun(new RfmLowRank(), new String[] {"--d", "8", "--n", "100", "--n-test", "100", "--iters", "1", "--data", "none"},
        dir, 4, List.of("x1x2_diag_m.png", "x1x2_r2.png"));
    assertTrue(Files.size(dir.resolve("M_x1x2.npz")) > 0);
  }

  @Test
  void rfmLowRankOnFashionMnist() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST not installed");
    assertRun(new RfmLowRank(), new String[] {"--d", "4", "--n", "50", "--n-test", "50", "--iters", "1", "--fm-per-class", "5",
        "--fm-test", "40", "--fm-iters", "1", "--agop-samples", "20"},
        tmp.resolve("rl-fm"), 5, List.of("x1x2_diag_m.png", "x1x2_r2.png", "fmnist_m.png", "fmnist_accuracy.png"));
  }

  @Test
  void linRfm() throws Exception {
    assertRun(new LinRfmRecovery(), new String[] {"--d", "30", "--k", "2", "--n-claim", "15", "--ns", "5,15", "--trials", "2", "--iters", "10",
        "--size", "8", "--rank", "1", "--fractions", "0.3,0.6", "--completion-trials", "2", "--completion-iters", "10"},
        tmp.resolve("lin"), 2, List.of("sparse_success.png", "completion_success.png", "completion_error.png"));
  }
}
