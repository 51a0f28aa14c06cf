package ansatz.docs.tutorial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.docs.Samples;
import ansatz.nn.train.TrainResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the samples of docs/tutorial/04-networks.md: the networks must actually learn. */
class NetworksTest {
  @Test
  void parametersAreNamedAfterTheChildren() {
    Map<String, int[]> shapes = Samples.run(Networks.class, "parameterNames").as();
    assertEquals(List.of("hidden.weight", "hidden.bias", "out.weight", "out.bias"), List.copyOf(shapes.keySet()));
    assertArrayEquals(new int[] {16, 5}, shapes.get("hidden.weight"));
    assertArrayEquals(new int[] {1}, shapes.get("out.bias"));
  }

  @Test
  void handWrittenLoopLearnsX1X2() {
    double[] r = Samples.run(Networks.class, "trainByHand").as();
    assertTrue(r[1] < 0.05 * r[0], "train loss must fall by 20x: " + r[0] + " -> " + r[1]);
    assertTrue(r[2] < 0.2, "test loss (variance of the target is 1): " + r[2]);
  }

  @Test
  void cnnTellsHorizontalFromVerticalBars() {
    double[] r = Samples.run(Networks.class, "cnn").as();
    assertTrue(r[0] >= 0.9, "test accuracy " + r[0]);
  }

  @Test
  void trainerLearnsX1X2() {
    TrainResult r = Samples.run(Networks.class, "withTrainer").as();
    assertEquals(160, r.steps());
    assertTrue(r.finalMetrics().get("test_loss") < 0.2, r.finalMetrics().toString());
  }
}
