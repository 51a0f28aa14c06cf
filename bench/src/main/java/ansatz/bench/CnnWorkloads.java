package ansatz.bench;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Models;
import ansatz.nn.Sequential;
import ansatz.nn.loss.CrossEntropyLoss;
import ansatz.nn.optim.SGD;

/**
 * The small CNN of torch_bench.py ({@link Models#smallCnn}: conv3x3 1-&gt;32 pad 1, ReLU, conv3x3
 * 32-&gt;64 pad 1 stride 2, ReLU, flatten, linear 64*14*14-&gt;10) on 1x28x28 inputs U[0, 1).
 */
public final class CnnWorkloads {
  private CnnWorkloads() {}

  /** Classes of the CNN's output. */
  public static final int CLASSES = 10;

  /** @return forward FLOPs {conv1, conv2, fc} for a batch of {@code b}, as torch_bench.py's cnn_fwd_flop */
  public static double[] forwardFlop(int b) {
    return new double[] {2.0 * b * 28 * 28 * 32 * 9, 2.0 * b * 14 * 14 * 64 * 32 * 9, 2.0 * b * 64 * 14 * 14 * 10};
  }

  /** @return {@code cnn_train}: one SGD step (lr 0.01) with cross-entropy, batch 64 */
  public static Workload train() {
    int b = 64;
    double[] f = forwardFlop(b);
    double flop = 2 * (f[0] + f[1] + f[2]) + (f[1] + f[2]); // fwd + dW(all) + dX(conv2, fc)
    return new Workload("cnn_train", "small CNN, batch 64, cross-entropy, zero grad + forward + backward + SGD step",
        10, 50, flop, () -> trainStep(b, 0));
  }

  /** @return one SGD step of the small CNN on a fixed random batch */
  public static Step trainStep(int batch, long seed) {
    Rng rng = new Rng(seed);
    Sequential model = Models.smallCnn(CLASSES, rng);
    SGD opt = new SGD(model.parameters(), 0.01);
    Tensor x = Tensor.uniform(rng, 0, 1, batch, 1, 28, 28);
    int[] labels = new int[batch];
    for (int i = 0; i < batch; i++) labels[i] = rng.nextInt(CLASSES);
    CrossEntropyLoss ce = new CrossEntropyLoss();
    return () -> {
      opt.zeroGrad();
      Tensor loss = ce.apply(model.call(x), labels);
      loss.backward();
      opt.step();
      return loss;
    };
  }
}
