package example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The example trains, and training aligns the first layer's weight Gram with its AGOP. */
class MlpNfaTest {
  @Test
  void trainingRaisesTheFirstLayersNfaAndFitsTheTarget() throws Exception {
    MlpNfa.Run run = MlpNfa.run(10);
    String first = run.nfaTrained().keySet().iterator().next();
    double init = run.nfaAtInit().get(first), trained = run.nfaTrained().get(first);
    assertTrue(trained > init + 0.1, "layer " + first + ": NFA " + init + " at init -> " + trained + " trained");
    // The target x1*x2 has variance 1: a network that learned nothing scores about 1.
    assertTrue(run.testLoss() < 0.5, "test MSE " + run.testLoss());
  }
}
