package ansatz.experiments.cli;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.nn.io.JsonReader;
import ansatz.nn.train.Checkpoint;
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

class TrainCommandTest {
  private static final String QUADRANT = "synthetic:quadrant:d=8,n=256,n-test=64";
  private static final String X1X2 = "synthetic:x1x2:d=6,n=128,n-test=64";

  @TempDir Path tmp;

  /** Exit code and everything printed. */
  private record Run(int code, String out, String err) {}

  private static Run train(String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      List<String> all = new ArrayList<>(List.of("train"));
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

  @Test
  void probeFlagsAttachTheFeatureProbes() throws Exception {
    Path dir = tmp.resolve("probed");
    Run r = train("--model", "mlp:6,16,1", "--data", X1X2, "--loss", "mse", "--epochs", "2", "--lr", "0.05", "--out", dir.toString(),
        "--progress", "off", "--probe", "--probe-samples", "64");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isRegularFile(dir.resolve("model.json")), "model.json");
    assertTrue(Files.isDirectory(dir.resolve("snapshots")), "snapshots/");
    String metrics = Files.readString(dir.resolve("metrics.jsonl"));
    assertTrue(metrics.contains("\"quantity\":\"nfa\""), metrics.lines().limit(3).toList().toString());
  }

  @Test
  void badProbeOptionsFailBeforeTraining() {
    String m = "--model", d = "--data";
    rejects("--probe-samples 100000 is larger than the training data (128 samples)", m, "mlp:6,1", d, X1X2, "--probe-samples", "100000");
    rejects("--probe-every", m, "mlp:6,1", d, X1X2, "--probe", "--probe-every", "often");
    rejects("nope", m, "mlp:6,1", d, X1X2, "--probe-layers", "nope");
  }

  @Test
  @SuppressWarnings("unchecked")
  void trainsOnSyntheticDataAndWritesTheRunFiles() throws Exception {
    Path dir = tmp.resolve("run");
    Run r = train("--model", "mlp:8,16,4", "--data", QUADRANT, "--epochs", "2", "--batch", "32", "--lr", "0.05",
        "--momentum", "0.9", "--seed", "5", "--out", dir.toString(), "--progress", "lines", "--log-every", "4");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("epoch 2/2  train loss"), r.out());
    assertTrue(r.out().contains("finished after 16 steps (2 epochs)"), r.out());
    Map<String, Object> summary = json(dir.resolve("summary.json"));
    assertEquals("finished", summary.get("status"));
    assertEquals(16.0, summary.get("steps"));
    Map<String, Object> config = (Map<String, Object>) summary.get("config");
    assertEquals("mlp:8,16,4", config.get("model"));
    assertEquals("ce", config.get("loss"), "cross-entropy is the default for classification data");
    assertEquals(0.9, config.get("momentum"));
    assertTrue(((Map<String, Object>) summary.get("final")).containsKey("test_accuracy"));
    List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
    assertEquals(4 + 2, lines.size(), "rows every 4 steps plus one per epoch");
    for (String line : lines) JsonReader.parseObject(line);
    assertTrue(Files.size(dir.resolve(Checkpoint.FILE_NAME)) > 0);

    // --resume continues to a later epoch count from the checkpoint in --out.
    Run again = train("--model", "mlp:8,16,4", "--data", QUADRANT, "--epochs", "3", "--batch", "32", "--lr", "0.05",
        "--momentum", "0.9", "--seed", "5", "--out", dir.toString(), "--progress", "off", "--resume");
    assertEquals(0, again.code(), again.err());
    assertEquals(24.0, json(dir.resolve("summary.json")).get("steps"));
    assertEquals(16.0, json(dir.resolve("summary.json")).get("resumed_at_step"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void mseOnClassificationDataAndTheAlignmentRuleWithoutBiases() throws Exception {
    Path dir = tmp.resolve("align");
    Run r = train("--model", "mlp:8,16,16,4", "--data", QUADRANT, "--loss", "mse", "--optimizer", "align", "--align-target", "1",
        "--lr", "0.05", "--no-bias", "--activation", "tanh", "--init", "small:0.5", "--epochs", "1", "--batch", "64",
        "--out", dir.toString(), "--progress", "off");
    assertEquals(0, r.code(), r.err());
    Map<String, Object> setup = (Map<String, Object>) json(dir.resolve("summary.json")).get("setup");
    assertEquals(8.0 * 16 + 16 * 16 + 16 * 4, setup.get("parameters"), "no biases");
    assertTrue(((String) setup.get("optimizer")).startsWith("AlignmentBoostingSGD(lr=0.05, target=1"), setup.get("optimizer").toString());
    assertTrue(((String) setup.get("loss")).startsWith("MSELoss"), setup.get("loss").toString());
  }

  @Test
  void divergenceExitsWithCode3AndSaysWhereAndTheLastFiniteLoss() throws Exception {
    Path dir = tmp.resolve("div");
    Run r = train("--model", "mlp:6,32,1", "--data", X1X2, "--lr", "1e6", "--batch", "16", "--epochs", "3",
        "--out", dir.toString(), "--progress", "off");
    assertEquals(AnsatzMain.EXIT_DIVERGED, r.code(), r.out() + r.err());
    assertTrue(r.err().matches("(?s)ansatz: training diverged at step \\d+: .*; last finite loss [-0-9.Ee]+.*"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertEquals("diverged", json(dir.resolve("summary.json")).get("status"));
  }

  /** Runs with one bad option and checks: exit 2, one line, no stack trace, the message names it. */
  private void rejects(String expectedInMessage, String... args) {
    Run r = train(args);
    assertEquals(AnsatzMain.EXIT_BAD_INPUT, r.code(), "exit code for " + List.of(args) + ": " + r.err());
    assertTrue(r.err().contains(expectedInMessage), "expected '" + expectedInMessage + "' in: " + r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void relativeLearningRateIsResolvedFromLambda0() {
    Run r = train("--model", "mlp:6,16,1", "--data", X1X2, "--loss", "mse", "--lr", "0.5x", "--steps", "3", "--progress", "off");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("lambda_0 =") && r.out().contains("--lr 0.5x ="), r.out());
  }

  @Test
  void badOptionsAreOneClearLineWithExitCode2() {
    String m = "--model", d = "--data";
    rejects("--bogus", m, "mlp:8,4", d, QUADRANT, "--bogus");
    rejects("--batch", m, "mlp:8,4", d, QUADRANT, "--batch", "abc");
    rejects("--batch must be >= 1", m, "mlp:8,4", d, QUADRANT, "--batch", "0");
    rejects("--model", d, QUADRANT);
    rejects("--lr 1.5x: the critical rate is defined for squared losses", m, "mlp:8,4", d, QUADRANT, "--lr", "1.5x", "--loss", "ce");
    rejects("--lr: 'fastx' is not a multiple of the critical rate", m, "mlp:8,4", d, QUADRANT, "--lr", "fastx");
    rejects("--lr: 'fast' is not a number", m, "mlp:8,4", d, QUADRANT, "--lr", "fast");
    rejects("--loss ce needs class labels", m, "mlp:6,1", d, X1X2, "--loss", "ce");
    rejects("--loss must be mse or ce", m, "mlp:8,4", d, QUADRANT, "--loss", "hinge");
    rejects("input width 9 does not match the data's 8 features", m, "mlp:9,4", d, QUADRANT);
    rejects("output width 3 does not match the data's 4 classes", m, "mlp:8,3", d, QUADRANT);
    rejects("--model cnn:small needs 1 x 28 x 28 images", m, "cnn:small", d, QUADRANT);
    rejects("--init apply to mlp only", m, "cnn:small", d, QUADRANT, "--init", "kaiming");
    rejects("--model rnn:big: unknown kind", m, "rnn:big", d, QUADRANT);
    rejects("--optimizer must be sgd or align", m, "mlp:8,4", d, QUADRANT, "--optimizer", "adam");
    rejects("--momentum applies to --optimizer sgd only", m, "mlp:8,4", d, QUADRANT, "--optimizer", "align", "--momentum", "0.9");
    rejects("--align-c applies to --optimizer align only", m, "mlp:8,4", d, QUADRANT, "--align-c", "3");
    rejects("--nesterov needs --momentum > 0", m, "mlp:8,4", d, QUADRANT, "--nesterov");
    rejects("--align-target", m, "mlp:8,4", d, QUADRANT, "--optimizer", "align", "--align-target", "5");
    rejects("--activation must be one of", m, "mlp:8,4", d, QUADRANT, "--activation", "swish");
    rejects("--init must be", m, "mlp:8,4", d, QUADRANT, "--init", "orthogonal");
    rejects("--init small:x: SCALE must be a number", m, "mlp:8,4", d, QUADRANT, "--init", "small:x");
    rejects("--data: data spec 'mnist'", m, "mlp:8,4", d, "mnist");
    rejects("--test-data: ", m, "mlp:8,4", d, QUADRANT, "--test-data", "synthetic:nope");
    rejects("--resume without a file needs --out", m, "mlp:8,4", d, QUADRANT, "--resume");
    rejects("--resume: no checkpoint at", m, "mlp:8,4", d, QUADRANT, "--resume", tmp.resolve("none.npz").toString());
    rejects("--progress must be", m, "mlp:8,4", d, QUADRANT, "--progress", "fancy");
  }

  @Test
  void smallCnnTrainsOnFashionMnistRowsWhenTheDataIsInstalled() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")), "Fashion-MNIST not installed");
    Path dir = tmp.resolve("cnn");
    Run r = train("--model", "cnn:small", "--data", "fashion-mnist:n=16,n-test=8", "--steps", "2", "--batch", "8",
        "--out", dir.toString(), "--progress", "off");
    assertEquals(0, r.code(), r.err());
    assertEquals(2.0, json(dir.resolve("summary.json")).get("steps"));
  }

  @Test
  void missingFashionMnistIsAClearDataError() {
    rejects("--data: Fashion-MNIST directory", "--model", "mlp:784,10", "--data", "fashion-mnist:" + tmp.resolve("nowhere"));
  }
}
