package ansatz.experiments;

import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The smallest end-to-end check of the engine: a 2-hidden-layer ReLU MLP learns f(x) = x1 * x2 from
 * Gaussian inputs with full-batch gradient descent on the mean squared error, written with raw
 * tensors and {@code backward()} only. The loss should fall by an order of magnitude.
 */
public final class DemoX1X2 implements Experiment {
  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String description() {
    return "train a small ReLU MLP on f(x) = x1*x2 with the autodiff engine and print the loss falling";
  }

  @Override
  public int run(String[] args) {
    int d = 10, width = 64, n = 512, steps = 300;
    double lr = 0.05;
    long seed = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-h", "--help" -> {
          System.out.println("Usage: ansatz run demo [--steps N] [--seed S] [--lr LR]");
          System.out.println("  " + description() + " (defaults: 300 steps, seed 0, lr 0.05)");
          return 0;
        }
        case "--steps" -> steps = Integer.parseInt(value(args, ++i, a));
        case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
        case "--lr" -> lr = Double.parseDouble(value(args, ++i, a));
        default -> throw new IllegalArgumentException("demo: unknown option '" + a + "' (options: --steps N, --seed S, --lr LR)");
      }
    }
    Result r = train(d, width, n, steps, lr, seed, System.out);
    System.out.printf(Locale.ROOT, "demo: loss %.4f -> %.4f (%.1fx lower) in %d steps%n", r.first, r.last, r.first / r.last, steps);
    return 0;
  }

  private static String value(String[] args, int i, String opt) {
    if (i >= args.length) throw new IllegalArgumentException("demo: option " + opt + " needs a value");
    return args[i];
  }

  /** First and last training loss. */
  public record Result(double first, double last) {}

  /** Trains the demo network and returns the first and last loss; prints progress if {@code out} is not null. */
  public static Result train(int d, int width, int n, int steps, double lr, long seed, PrintStream out) {
    Rng rng = new Rng(seed);
    Tensor x = Tensor.randn(rng, n, d);
    Tensor y = x.select(1, 0).mul(x.select(1, 1)).reshape(n, 1);
    Tensor w1 = Tensor.randn(rng, d, width).mul(Math.sqrt(2.0 / d)).detach().requiresGrad(true);
    Tensor w2 = Tensor.randn(rng, width, width).mul(Math.sqrt(2.0 / width)).detach().requiresGrad(true);
    Tensor w3 = Tensor.randn(rng, width, 1).mul(Math.sqrt(1.0 / width)).detach().requiresGrad(true);
    Tensor[] params = {w1, w2, w3};
    double first = Double.NaN, last = Double.NaN;
    for (int step = 0; step < steps; step++) {
      Tensor pred = x.matmul(w1).relu().matmul(w2).relu().matmul(w3);
      Tensor loss = pred.sub(y).square().mean();
      loss.backward();
      last = loss.item();
      if (step == 0) first = last;
      if (out != null && (step % 50 == 0 || step == steps - 1)) out.printf(Locale.ROOT, "step %4d  loss %.5f%n", step, last);
      try (Grad.Scope off = Grad.disabled()) {
        for (Tensor p : params) {
          p.addInPlace(p.grad(), -lr);
          p.zeroGrad();
        }
      }
    }
    return new Result(first, last);
  }
}
