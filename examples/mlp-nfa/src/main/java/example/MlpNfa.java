package example;

import ansatz.autograd.Rng;
import ansatz.instrument.NfaVariant;
import ansatz.instrument.record.FeatureProbes;
import ansatz.instrument.record.ProbeConfig;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Sequential;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Split;
import ansatz.nn.data.Synthetic;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.SGD;
import ansatz.nn.train.TrainResult;
import ansatz.nn.train.Trainer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains a small ReLU MLP on f*(x) = x1 x2 with feature probes attached and prints, per layer, the
 * Neural Feature Ansatz correlation pearson(W^T W, AGOP^1/2) at initialization and after training.
 *
 * <p>Only x1 and x2 matter for the target, so a network that learns features concentrates the
 * first layer's weight Gram on those two coordinates, and so does the AGOP: the correlation rises.
 */
public final class MlpNfa {
  private MlpNfa() {}

  /** What one run measured. */
  public record Run(Map<String, Double> nfaAtInit, Map<String, Double> nfaTrained, double testLoss) {}

  /**
   * Trains and prints one line per layer.
   *
   * @param epochs passes over the 1000 training samples
   * @return the NFA of every layer at initialization and after training, and the test loss
   * @throws IOException only if the trainer is given an output directory (this example gives none)
   */
  public static Run run(int epochs) throws IOException {
    Split data = Synthetic.builder("x1x2").d(10).n(1000).nTest(500).seed(0).build();
    Sequential model = Models.mlp(new int[] {10, 64, 64, 1}, Activation.RELU, false, new Rng(0));
    // One probe at initialization, one at the end of training, on 500 training samples.
    FeatureProbes probes =
        FeatureProbes.attach(model, ProbeConfig.builder().everyEpochs(epochs).probeSamples(500).build());
    TrainResult result = Trainer.builder()
        .model(model)
        .loss(MSELoss.mean())
        .optimizer(new SGD(model.parameters(), 0.1).momentum(0.9))
        .train(new DataLoader(data.train(), 64, true, false, new Rng(1)))
        .test(data.test())
        .epochs(epochs)
        .listener(probes)
        .build()
        .run();

    String variant = NfaVariant.DEFAULT.label(); // pearson correlation with AGOP^{1/2}
    Map<String, Double> atInit = new LinkedHashMap<>(), trained = new LinkedHashMap<>();
    for (var layer : probes.layers()) {
      atInit.put(layer.name(), probes.history().getFirst().value(layer.name(), "nfa", variant));
      trained.put(layer.name(), probes.latest().value(layer.name(), "nfa", variant));
      System.out.printf("layer %s: NFA pearson(W^T W, AGOP^1/2) = %.3f at init, %.3f after %d epochs%n",
          layer.name(), atInit.get(layer.name()), trained.get(layer.name()), epochs);
    }
    double testLoss = result.finalMetrics().get("test_loss");
    System.out.printf("test MSE = %.4f%n", testLoss);
    return new Run(atInit, trained, testLoss);
  }

  /**
   * Entry point.
   *
   * @param args optional number of epochs (default 20)
   * @throws IOException never here: the run writes no files
   */
  public static void main(String[] args) throws IOException {
    run(args.length > 0 ? Integer.parseInt(args[0]) : 20);
  }
}
