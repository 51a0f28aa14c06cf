package ansatz.docs.tutorial;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Conv2d;
import ansatz.nn.Flatten;
import ansatz.nn.Linear;
import ansatz.nn.MaxPool2d;
import ansatz.nn.Module;
import ansatz.nn.ReLU;
import ansatz.nn.Sequential;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Dataset;
import ansatz.nn.data.Split;
import ansatz.nn.data.Synthetic;
import ansatz.nn.loss.CrossEntropyLoss;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.SGD;
import ansatz.nn.train.TrainResult;
import ansatz.nn.train.Trainer;
import java.util.Map;

/** Samples of docs/tutorial/04-networks.md; see NetworksTest. */
final class Networks {
  private Networks() {}

  // region twoLayer
  /** f(x) = W2 relu(W1 x + b1) + b2: a module owning two child modules. */
  static final class TwoLayer extends Module {
    private final Linear hidden;
    private final Linear out;

    TwoLayer(int in, int width, int outputs, Rng rng) {
      hidden = registerModule("hidden", new Linear(in, width, true, rng));  // named children:
      out = registerModule("out", new Linear(width, outputs, true, rng));   // hidden.weight, out.bias, ...
    }

    @Override
    protected Tensor forward(Tensor x) {
      return out.call(hidden.call(x).relu());   // call(), never forward(): call() runs the hooks
    }
  }
  // endregion twoLayer

  static Map<String, int[]> parameterNames() {
    // region parameterNames
    TwoLayer net = new TwoLayer(5, 16, 1, new Rng(0));
    System.out.println(net);
    net.namedParameters().forEach((name, p) -> System.out.println(name + " " + java.util.Arrays.toString(p.shape())));
    System.out.println(net.parameterCount() + " parameters");
    // endregion parameterNames
    Map<String, int[]> shapes = new java.util.LinkedHashMap<>();
    net.namedParameters().forEach((name, p) -> shapes.put(name, p.shape()));
    return shapes;
  }

  static double[] trainByHand() {
    // region trainByHand
    Split data = Synthetic.builder("x1x2").d(5).n(512).nTest(512).seed(0).build();  // y = x1 * x2
    Tensor x = data.train().inputs(), y = data.train().targets();                       // [512, 5], [512, 1]
    TwoLayer net = new TwoLayer(5, 64, 1, new Rng(1));
    SGD sgd = new SGD(net.parameters(), 0.1).momentum(0.9);
    MSELoss mse = MSELoss.mean();
    double first = Double.NaN, last = Double.NaN;
    for (int step = 0; step < 300; step++) {     // full-batch gradient descent
      Tensor loss = mse.apply(net.call(x), y);
      sgd.zeroGrad();                            // gradients accumulate: clear them first
      loss.backward();                           // fills p.grad() for every parameter p
      sgd.step();                                // p <- p - lr * (momentum-smoothed) p.grad()
      if (step == 0) first = loss.item();
      last = loss.item();
    }
    double test = mse.apply(net.call(data.test().inputs()), data.test().targets()).item();
    System.out.printf("train loss %.3f -> %.3f, test loss %.3f (predicting 0 gives about 1)%n", first, last, test);
    // endregion trainByHand
    return new double[] {first, last, test};
  }

  // region bars
  /**
   * 8 x 8 images holding one bright bar, horizontal (label 0) or vertical (label 1), on noise.
   * Shape [n, 1, 8, 8]: batch, channels, height, width.
   */
  static Dataset bars(int n, Rng rng) {
    float[] pixels = new float[n * 64];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(2);
      int line = rng.nextInt(8);
      for (int r = 0; r < 8; r++) {
        for (int c = 0; c < 8; c++) {
          boolean on = labels[i] == 0 ? r == line : c == line;
          pixels[i * 64 + r * 8 + c] = (on ? 1f : 0f) + 0.3f * (float) rng.nextGaussian();
        }
      }
    }
    return Dataset.classification("bars", Tensor.wrap(pixels, n, 1, 8, 8), labels, 2);
  }
  // endregion bars

  static double[] cnn() {
    // region cnn
    Rng rng = new Rng(2);
    Sequential cnn = new Sequential(
        new Conv2d(1, 8, 3, 1, 1, true, rng),  // 1 -> 8 channels, 3x3 kernel, stride 1, padding 1: [n, 8, 8, 8]
        new ReLU(),
        new MaxPool2d(2),                       // [n, 8, 4, 4]
        new Flatten(),                          // [n, 128]
        new Linear(8 * 4 * 4, 2, true, rng));   // two logits
    Dataset train = bars(512, new Rng(3)), test = bars(256, new Rng(4));
    SGD sgd = new SGD(cnn.parameters(), 0.05).momentum(0.9);
    CrossEntropyLoss ce = new CrossEntropyLoss();
    for (int epoch = 0; epoch < 3; epoch++) {
      for (var batch : new DataLoader(train, 32, true, false, new Rng(epoch))) {   // shuffled mini-batches
        Tensor loss = ce.apply(cnn.call(batch.x()), batch.labels());
        sgd.zeroGrad();
        loss.backward();
        sgd.step();
      }
    }
    int[] predicted = cnn.call(test.inputs()).argmax(1);
    int correct = 0;
    for (int i = 0; i < predicted.length; i++) if (predicted[i] == test.labels()[i]) correct++;
    System.out.printf("test accuracy %.3f%n", correct / (double) predicted.length);
    // endregion cnn
    return new double[] {correct / (double) predicted.length};
  }

  static TrainResult withTrainer() throws java.io.IOException {
    // region withTrainer
    Split data = Synthetic.builder("x1x2").d(5).n(512).nTest(512).seed(0).build();
    TwoLayer net = new TwoLayer(5, 64, 1, new Rng(1));
    TrainResult result = Trainer.builder()
        .model(net)
        .loss(MSELoss.mean())
        .optimizer(new SGD(net.parameters(), 0.1).momentum(0.9))
        .train(new DataLoader(data.train(), 64, true, false, new Rng(5)))   // 8 steps per epoch
        .test(data.test())
        .epochs(20)
        .build()
        .run();
    System.out.printf("%d steps, final train loss %.3f, test loss %.3f%n", result.steps(),
        result.finalMetrics().get("train_loss"), result.finalMetrics().get("test_loss"));
    // endregion withTrainer
    return result;
  }
}
