package ansatz.bench;

import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Sequential;
import ansatz.nn.loss.CrossEntropyLoss;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.SGD;

/**
 * The 784-1024-1024-10 ReLU MLP with biases, as {@code make_mlp} in torch_bench.py: training steps
 * (batch 128, plain SGD, lr 0.01) and batched inference (batch 1024). Inputs are U[0, 1), labels
 * uniform over the 10 classes, all seeded.
 */
public final class MlpWorkloads {
  private MlpWorkloads() {}

  /** Input, hidden and output widths. */
  public static final int D_IN = 784, H = 1024, D_OUT = 10;
  /** Multiply-adds per sample of one forward pass. */
  public static final double MACS = (double) D_IN * H + (double) H * H + (double) H * D_OUT;

  /** The loss of a training step. */
  public enum LossKind {
    /** cross-entropy on class labels */
    CE,
    /** mean squared error against one-hot labels */
    MSE
  }

  /** @return the MLP, PyTorch's default initialization */
  public static Sequential model(Rng rng) {
    return Models.mlp(new int[] {D_IN, H, H, D_OUT}, Activation.RELU, true, rng);
  }

  /** @return {@code mlp_train_ce} or {@code mlp_train_mse} */
  public static Workload train(LossKind kind) {
    int b = 128;
    // forward 2 B MACS; backward dW for all layers + dX for layers 2, 3 (x needs no grad)
    double flop = 2.0 * b * MACS * 2 + 2.0 * b * ((double) H * H + (double) H * D_OUT);
    String name = kind == LossKind.CE ? "mlp_train_ce" : "mlp_train_mse";
    return new Workload(name, "MLP 784-1024-1024-10 ReLU, batch 128, " + kind + " loss, zero grad + forward + backward + SGD step",
        10, 50, flop, () -> trainStep(kind, b, 0));
  }

  /** @return one SGD step of the MLP on a fixed random batch of size {@code batch} */
  public static Step trainStep(LossKind kind, int batch, long seed) {
    Rng rng = new Rng(seed);
    Sequential model = model(rng);
    SGD opt = new SGD(model.parameters(), 0.01);
    Tensor x = Tensor.uniform(rng, 0, 1, batch, D_IN);
    int[] labels = new int[batch];
    for (int i = 0; i < batch; i++) labels[i] = rng.nextInt(D_OUT);
    Tensor oneHot = Tensor.oneHot(labels, D_OUT, x.dtype());
    CrossEntropyLoss ce = new CrossEntropyLoss();
    MSELoss mse = MSELoss.mean();
    return () -> {
      opt.zeroGrad();
      Tensor out = model.call(x);
      Tensor loss = kind == LossKind.CE ? ce.apply(out, labels) : mse.apply(out, oneHot);
      loss.backward();
      opt.step();
      return loss;
    };
  }

  /** @return {@code mlp_infer_b1024}: forward only, no graph, batch 1024 */
  public static Workload infer() {
    int b = 1024;
    return new Workload("mlp_infer_b1024", "MLP forward pass without gradient tracking, batch 1024",
        10, 50, 2.0 * b * MACS, () -> {
          Rng rng = new Rng(0);
          Sequential model = model(rng);
          Tensor x = Tensor.uniform(rng, 0, 1, b, D_IN);
          return () -> {
            try (var off = Grad.disabled()) {
              return model.call(x);
            }
          };
        });
  }
}
