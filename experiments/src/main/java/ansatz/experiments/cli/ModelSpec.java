package ansatz.experiments.cli;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Activation;
import ansatz.nn.Flatten;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.Parameterization;
import ansatz.nn.Sequential;
import ansatz.nn.data.Dataset;
import ansatz.nn.init.Init;
import java.util.Arrays;
import java.util.Locale;

/**
 * A {@code --model} value: {@code mlp:W0,W1,...,WL} (input width, hidden widths, output width) or
 * {@code cnn:small}. Widths are checked against the data so that a mismatch is one clear line
 * instead of a shape error at the first step.
 *
 * @param kind {@code mlp} or {@code cnn}
 * @param widths the MLP's widths (empty for a CNN)
 * @param text the spec as given
 */
record ModelSpec(String kind, int[] widths, String text) {
  private static final String USAGE = "expected mlp:W0,W1,...,WL (e.g. mlp:784,1024,1024,10) or cnn:small";

  /** Parses a spec; errors name the option and the problem. */
  static ModelSpec parse(String text) {
    String t = text.trim();
    int colon = t.indexOf(':');
    String kind = colon < 0 ? t : t.substring(0, colon);
    String rest = colon < 0 ? "" : t.substring(colon + 1);
    switch (kind) {
      case "mlp" -> {
        String[] parts = rest.split(",", -1);
        if (rest.isEmpty() || parts.length < 2) throw new IllegalArgumentException("--model " + text + ": an MLP needs at least an input and an output width; " + USAGE);
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
          try {
            w[i] = Integer.parseInt(parts[i].trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--model " + text + ": width '" + parts[i] + "' is not an integer; " + USAGE);
          }
          if (w[i] < 1) throw new IllegalArgumentException("--model " + text + ": widths must be >= 1, got " + w[i]);
        }
        return new ModelSpec("mlp", w, text);
      }
      case "cnn" -> {
        if (!rest.equals("small")) throw new IllegalArgumentException("--model " + text + ": unknown CNN '" + rest + "'; " + USAGE);
        return new ModelSpec("cnn", new int[0], text);
      }
      default -> throw new IllegalArgumentException("--model " + text + ": unknown kind '" + kind + "'; " + USAGE);
    }
  }

  /**
   * Builds the network for {@code train}.
   *
   * @param init default | kaiming | kaiming-uniform | xavier | xavier-uniform | small:SCALE | ntk
   */
  Module build(Dataset train, Activation act, boolean bias, String init, Rng rng) {
    int outputs = train.targets().size(1);
    if (kind.equals("cnn")) return smallCnn(train, outputs, act, bias, init, rng);
    int features = train.featureCount();
    if (widths[0] != features) {
      throw new IllegalArgumentException("--model " + text + ": input width " + widths[0] + " does not match the data's " + features
          + " features per sample (" + train.name() + ", inputs " + Arrays.toString(train.inputs().shape()) + ")");
    }
    if (widths[widths.length - 1] != outputs) {
      throw new IllegalArgumentException("--model " + text + ": output width " + widths[widths.length - 1] + " does not match the data's "
          + outputs + (train.isClassification() ? " classes" : " target columns"));
    }
    Sequential mlp;
    if (init.equals("ntk")) {
      mlp = Models.ntkMlp(widths, act, bias, rng);
    } else {
      mlp = Models.mlp(widths, act, bias, initRule(init), Parameterization.STANDARD, rng);
    }
    // Image inputs (n x C x H x W) are flattened in front of the first layer.
    return train.inputs().dim() > 2 ? new Sequential(new Flatten(), mlp) : mlp;
  }

  /**
   * {@link Models#smallCnn}: 1 x 28 x 28 images (flat 784-pixel rows are viewed as images), ReLU,
   * biases and PyTorch's default init, as the benchmark fixes them.
   */
  private Module smallCnn(Dataset train, int outputs, Activation act, boolean bias, String init, Rng rng) {
    if (act != Activation.RELU || !bias || !init.equals("default")) {
      throw new IllegalArgumentException("--model cnn:small has ReLU, biases and PyTorch's default init; --activation, --no-bias and --init apply to mlp only");
    }
    int[] shape = train.inputs().shape();
    boolean image = shape.length == 4 && shape[1] == 1 && shape[2] == 28 && shape[3] == 28;
    boolean flat = shape.length == 2 && shape[1] == 28 * 28;
    if (!image && !flat) {
      throw new IllegalArgumentException("--model cnn:small needs 1 x 28 x 28 images (or rows of 784 pixels); " + train.name()
          + " has inputs " + Arrays.toString(shape));
    }
    Sequential cnn = Models.smallCnn(outputs, rng);
    return flat ? new Sequential(new ToImage(), cnn) : cnn;
  }

  /** Views rows of 784 pixels as 1 x 28 x 28 images (a reshape, differentiable). */
  static final class ToImage extends Module {
    @Override
    protected Tensor forward(Tensor x) {
      return x.reshape(x.size(0), 1, 28, 28);
    }
  }

  /** @return the weight rule named by {@code --init} (not ntk, which is a parameterization) */
  static Init initRule(String init) {
    String s = init.toLowerCase(Locale.ROOT);
    if (s.startsWith("small:")) {
      double scale;
      try {
        scale = Double.parseDouble(s.substring(6));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--init " + init + ": SCALE must be a number, e.g. small:0.1");
      }
      if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("--init " + init + ": SCALE must be finite and > 0");
      return Init.pytorchDefault().scaled(scale);
    }
    return switch (s) {
      case "default", "pytorch" -> Init.pytorchDefault();
      case "kaiming", "kaiming-normal" -> Init.kaimingNormal();
      case "kaiming-uniform" -> Init.kaimingUniform();
      case "xavier", "xavier-normal" -> Init.xavierNormal();
      case "xavier-uniform" -> Init.xavierUniform();
      default -> throw new IllegalArgumentException("--init must be default, kaiming, kaiming-uniform, xavier, xavier-uniform, small:SCALE or ntk; got '" + init + "'");
    };
  }
}
