package ansatz.nn.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.Rng;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Split;
import ansatz.nn.data.Synthetic;
import ansatz.nn.io.JsonReader;
import ansatz.nn.loss.CrossEntropyLoss;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.Optimizer;
import ansatz.nn.optim.SGD;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small, fast training set-ups shared by the trainer tests (a few ms per epoch). */
final class Fixture {
  private Fixture() {}

  /** 4-class quadrant task, d = 8: 256 training samples = 8 batches of 32 per epoch. */
  static Split quadrant() {
    return Synthetic.builder("quadrant").d(8).n(256).nTest(128).seed(3).build();
  }

  /** Regression x1*x2, d = 6, 128 samples. */
  static Split x1x2() {
    return Synthetic.builder("x1x2").d(6).n(128).nTest(64).seed(4).build();
  }

  static Module mlp(int in, int out, long seed) {
    return Models.mlp(new int[] {in, 32, 32, out}, Activation.RELU, true, new Rng(seed));
  }

  /**
   * A classification trainer with momentum SGD (so the optimizer has state to checkpoint) whose
   * model and batch order come from {@code seed}.
   */
  static Trainer.Builder classifier(long seed, Split data) {
    Module model = mlp(8, 4, seed);
    Optimizer opt = new SGD(model.parameters(), 0.05).momentum(0.9);
    return Trainer.builder()
        .model(model)
        .loss(new CrossEntropyLoss())
        .optimizer(opt)
        .train(new DataLoader(data.train(), 32, true, false, new Rng(seed + 1000)))
        .test(data.test());
  }

  /** A regression trainer (MSE) with plain SGD at rate {@code lr}. */
  static Trainer.Builder regressor(long seed, Split data, double lr) {
    Module model = mlp(6, 1, seed);
    return Trainer.builder()
        .model(model)
        .loss(MSELoss.mean())
        .optimizer(new SGD(model.parameters(), lr))
        .train(new DataLoader(data.train(), 16, true, false, new Rng(seed + 1000)))
        .test(data.test());
  }

  /** Parses every line of a .jsonl file (fails the test on invalid JSON). */
  static List<Map<String, Object>> jsonLines(Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      assertTrue(!line.isBlank(), file + " has a blank line");
      rows.add(JsonReader.parseObject(line));
    }
    return rows;
  }

  static Map<String, Object> jsonFile(Path file) throws IOException {
    return JsonReader.parseObject(Files.readString(file));
  }
}
