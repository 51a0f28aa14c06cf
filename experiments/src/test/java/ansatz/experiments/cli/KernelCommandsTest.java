package ansatz.experiments.cli;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.Tensor;
import ansatz.autograd.io.Npz;
import ansatz.nn.io.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code rfm} and {@code deep-rfm} commands on small synthetic data: files, values, exit codes. */
class KernelCommandsTest {
  private static final String X1X2 = "synthetic:x1x2:d=6,n=120,n-test=60";
  private static final String QUADRANT = "synthetic:quadrant:d=6,n=120,n-test=60";

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run run(String command, String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      List<String> all = new ArrayList<>(List.of(command));
      all.addAll(List.of(args));
      code = AnsatzMain.execute(all.toArray(String[]::new));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, Object> json(Path file) throws Exception {
    return JsonReader.parseObject(Files.readString(file));
  }

  /** A bad-input run: exit 2, one line on stderr naming {@code expected}, no stack trace, no files. */
  private void assertBadInput(Run r, String expected, Path dir) {
    assertEquals(AnsatzMain.EXIT_BAD_INPUT, r.code(), r.out() + r.err());
    String err = r.err().strip();
    assertTrue(err.contains(expected), err);
    assertEquals(1, err.lines().count(), "one line expected: " + err);
    assertFalse(err.contains("\tat "), err);
    assertFalse(Files.exists(dir.resolve("summary.json")), "no summary for a failed run");
  }

  @Test
  @SuppressWarnings("unchecked")
  void rfmWritesScoresPerIterationAndTheMetric() throws Exception {
    Path dir = tmp.resolve("rfm");
    Run r = run("rfm", "--data", X1X2, "--ridge", "1e-4", "--iters", "2", "--center", "--out", dir.toString());
    assertEquals(0, r.code(), r.err());
    Map<String, Object> s = json(dir.resolve("summary.json"));
    assertEquals("rfm", s.get("command"));
    Map<String, Object> config = (Map<String, Object>) s.get("config");
    assertEquals(1e-4, config.get("ridge"));
    assertEquals(true, config.get("center"));
    assertEquals("laplace", config.get("kernel"));
    List<Object> its = (List<Object>) s.get("iterations");
    assertEquals(3, its.size(), "M_0 = I, M_1, and the final refit with M_2");
    for (int t = 0; t < its.size(); t++) {
      Map<String, Object> row = (Map<String, Object>) its.get(t);
      assertEquals((double) t, row.get("iteration"));
      for (String k : List.of("train_mse", "train_r2", "test_mse", "test_r2")) assertTrue(row.get(k) instanceof Double, k + " in " + row);
      assertFalse(row.containsKey("test_accuracy"), "no accuracy for regression targets");
    }
    double r2First = (Double) ((Map<String, Object>) its.get(0)).get("test_r2");
    double r2Last = (Double) ((Map<String, Object>) s.get("final")).get("test_r2");
    assertTrue(r2Last > r2First, "RFM learns x1 x2 better than the plain kernel: " + r2First + " -> " + r2Last);
    Map<String, Tensor> m = Npz.readTensors(dir.resolve("M.npz"));
    Tensor metric = m.get("M");
    assertArrayEquals(new int[] {6, 6}, metric.shape());
    for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) assertEquals(metric.get(i, j), metric.get(j, i), 1e-9, "M is symmetric");
  }

  @Test
  @SuppressWarnings("unchecked")
  void rfmReportsAccuracyForClassLabelsAndHonoursTheOptions() throws Exception {
    Path dir = tmp.resolve("rfm-cls");
    Run r = run("rfm", "--data", QUADRANT, "--kernel", "gaussian", "--bandwidth", "3", "--iters", "1", "--diag", "--normalize",
        "--agop-samples", "50", "--out", dir.toString());
    assertEquals(0, r.code(), r.err());
    Map<String, Object> s = json(dir.resolve("summary.json"));
    assertEquals("gaussian", ((Map<String, Object>) s.get("config")).get("kernel"));
    assertEquals(4.0, ((Map<String, Object>) s.get("data")).get("outputs"));
    double acc = (Double) ((Map<String, Object>) s.get("final")).get("test_accuracy");
    assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
    Tensor metric = Npz.readTensors(dir.resolve("M.npz")).get("M");
    double max = 0;
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 6; j++) {
        if (i != j) assertEquals(0.0, metric.get(i, j), 0.0, "--diag keeps only the diagonal");
        max = Math.max(max, Math.abs(metric.get(i, j)));
      }
    }
    assertEquals(1.0, max, 1e-12, "--normalize divides by the largest entry");
  }

  @Test
  void rfmRejectsBadInputWithOneLine() throws Exception {
    Path dir = tmp.resolve("bad");
    assertBadInput(run("rfm", "--data", X1X2, "--bandwidth", "0", "--out", dir.toString()), "--bandwidth must be finite and > 0", dir);
    assertBadInput(run("rfm", "--data", X1X2, "--bandwidth", "-1", "--out", dir.toString()), "--bandwidth", dir);
    assertBadInput(run("rfm", "--data", X1X2, "--ridge", "-1e-3", "--out", dir.toString()), "--ridge must be finite and >= 0", dir);
    assertBadInput(run("rfm", "--data", X1X2, "--iters", "-1", "--out", dir.toString()), "--iters must be >= 0", dir);
    assertBadInput(run("rfm", "--data", X1X2, "--kernel", "cosine", "--out", dir.toString()), "--kernel must be laplace or gaussian", dir);
    assertBadInput(run("rfm", "--data", X1X2, "--agop-samples", "0", "--out", dir.toString()), "--agop-samples", dir);
    assertBadInput(run("rfm", "--data", "synthetic:x1x2:d=6,n=0,n-test=10", "--out", dir.toString()), "no training samples", dir);
    assertBadInput(run("rfm", "--data", "synthetic:nope", "--out", dir.toString()), "--data", dir);
    assertBadInput(run("rfm", "--data", X1X2, "--test-data", "synthetic:x1x2:d=7,n=10,n-test=10", "--out", dir.toString()),
        "--test-data: 7 features per sample, but --data has 6", dir);
    assertBadInput(run("rfm", "--data", X1X2, "--test-data", QUADRANT, "--out", dir.toString()), "--test-data: 4 target columns", dir);
    assertBadInput(run("rfm", "--data", X1X2, "--bogus", "--out", dir.toString()), "--bogus", dir);
    assertBadInput(run("rfm", "--data", X1X2), "--out", dir);
  }

  @Test
  void nonFiniteFeaturesAndRaggedRowsAreBadInput() throws Exception {
    Path dir = tmp.resolve("csv");
    Path nan = tmp.resolve("nan.csv");
    Files.writeString(nan, "a,b,y\n1,2,0.5\n3,NaN,1.5\n4,5,2.5\n0,1,3.5\n");
    Run r = run("rfm", "--data", "csv:" + nan + ":regression=true", "--out", dir.toString());
    assertBadInput(r, "--data", dir);
    assertTrue(r.err().toLowerCase().contains("finite"), r.err());
    Path ragged = tmp.resolve("ragged.csv");
    Files.writeString(ragged, "a,b,y\n1,2,0\n3,1\n4,5,1\n0,1,0\n");
    assertBadInput(run("deep-rfm", "--data", "csv:" + ragged, "--out", dir.toString()), "--data", dir);
  }

  @Test
  @SuppressWarnings("unchecked")
  void deepRfmWritesCollapseMetricsPerLayer() throws Exception {
    Path dir = tmp.resolve("deep");
    Run r = run("deep-rfm", "--data", QUADRANT, "--layers", "3", "--width", "32", "--out", dir.toString());
    assertEquals(0, r.code(), r.err());
    Map<String, Object> s = json(dir.resolve("summary.json"));
    assertEquals("deep-rfm", s.get("command"));
    List<Object> layers = (List<Object>) s.get("layers");
    assertEquals(3, layers.size());
    for (int l = 0; l < 3; l++) {
      Map<String, Object> row = (Map<String, Object>) layers.get(l);
      assertEquals((double) (l + 1), row.get("layer"));
      for (String part : List.of("input", "projected", "mapped")) {
        Map<String, Object> st = (Map<String, Object>) row.get(part);
        for (String k : List.of("nc1", "nc1_pinv", "nc2")) {
          double v = (Double) st.get(k);
          assertTrue(v >= 0 && Double.isFinite(v), part + "." + k + " = " + v);
        }
      }
    }
    assertTrue(s.containsKey("test_final"), "the synthetic task has a test split");
    Map<String, Tensor> m = Npz.readTensors(dir.resolve("M.npz"));
    assertEquals(3, m.size());
    assertArrayEquals(new int[] {6, 6}, m.get("sqrt_M_0").shape(), "layer 1 acts on the data's 6 features");
    assertArrayEquals(new int[] {32, 32}, m.get("sqrt_M_2").shape(), "later layers act on the map's 32 features");
  }

  @Test
  void deepRfmRejectsBadInput() throws Exception {
    Path dir = tmp.resolve("deep-bad");
    assertBadInput(run("deep-rfm", "--data", X1X2, "--out", dir.toString()), "deep-rfm needs class labels", dir);
    assertBadInput(run("deep-rfm", "--data", QUADRANT, "--layers", "0", "--out", dir.toString()), "--layers must be >= 1", dir);
    assertBadInput(run("deep-rfm", "--data", QUADRANT, "--bandwidth", "0", "--out", dir.toString()), "--bandwidth must be finite and > 0", dir);
    assertBadInput(run("deep-rfm", "--data", QUADRANT, "--map", "tanh", "--out", dir.toString()), "--map must be relu or laplace-fourier", dir);
    assertBadInput(run("deep-rfm", "--data", QUADRANT, "--width", "0", "--out", dir.toString()), "--width must be >= 1", dir);
    assertBadInput(run("deep-rfm", "--data", "synthetic:quadrant:d=6,n=0", "--out", dir.toString()), "no training samples", dir);
  }
}
