package ansatz.nn;

import ansatz.autograd.Rng;
import ansatz.nn.init.Init;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builders for the networks of the AGOP papers.
 *
 * <p>{@link #smallCnn} is the benchmark and conv-NFA network.
 */
public final class Models {
  private Models() {}

  /**
   * A multilayer perceptron: Linear(w0, w1), act, Linear(w1, w2), act, ..., Linear(w_{L-1}, w_L),
   * with no activation after the last layer. The layers are children "0", "1", ... of the returned
   * {@link Sequential}, so the Linear layers sit at the even positions.
   *
   * @param widths layer sizes from input to output, at least two entries, e.g. {784, 1024, 10}
   * @param act the nonlinearity between layers
   * @param bias whether the Linear layers have biases (the papers' MLPs have none)
   * @param weightInit rule for every weight (biases use PyTorch's default rule)
   * @param parameterization STANDARD or NTK
   * @param rng draws all weights, layer by layer
   */
  public static Sequential mlp(int[] widths, Activation act, boolean bias, Init weightInit, Parameterization parameterization, Rng rng) {
    if (widths == null || widths.length < 2) {
      throw new IllegalArgumentException("mlp: need at least input and output widths, got " + Arrays.toString(widths));
    }
    if (act == null) throw new IllegalArgumentException("mlp: activation is null (use Activation.IDENTITY for a linear network)");
    List<Module> layers = new ArrayList<>();
    for (int l = 0; l + 1 < widths.length; l++) {
      layers.add(new Linear(widths[l], widths[l + 1], bias, weightInit, parameterization, rng));
      if (l + 2 < widths.length) layers.add(act.create());
    }
    return new Sequential(layers);
  }

  /** A standard-parameterization MLP with weights drawn by {@code weightInit}. */
  public static Sequential mlp(int[] widths, Activation act, boolean bias, Init weightInit, Rng rng) {
    return mlp(widths, act, bias, weightInit, Parameterization.STANDARD, rng);
  }

  /** A standard-parameterization MLP with PyTorch's default initialization. */
  public static Sequential mlp(int[] widths, Activation act, boolean bias, Rng rng) {
    return mlp(widths, act, bias, Init.pytorchDefault(), Parameterization.STANDARD, rng);
  }

  /** An NTK-parameterized MLP (all parameters N(0, 1), each layer divides by sqrt(fan_in)). */
  public static Sequential ntkMlp(int[] widths, Activation act, boolean bias, Rng rng) {
    return mlp(widths, act, bias, null, Parameterization.NTK, rng);
  }

  /** {@return the {@link Linear} layers of a model in {@link Module#namedModules()} order (layer 0 first)} */
  public static List<Linear> linearLayers(Module model) {
    List<Linear> out = new ArrayList<>();
    for (Module m : model.namedModules().values()) if (m instanceof Linear lin) out.add(lin);
    return out;
  }

  /**
   * The small CNN of the benchmarks and the convolutional NFA experiment, for 1 x 28 x 28 inputs:
   * conv3x3(1 to 32, pad 1), ReLU, conv3x3(32 to 64, pad 1, stride 2), ReLU, flatten,
   * linear(64*14*14 to classes). Biases everywhere, PyTorch's default init.
   */
  public static Sequential smallCnn(int classes, Rng rng) {
    return new Sequential(
        new Conv2d(1, 32, 3, 1, 1, true, rng), new ReLU(),
        new Conv2d(32, 64, 3, 2, 1, true, rng), new ReLU(),
        new Flatten(), new Linear(64 * 14 * 14, classes, true, rng));
  }

  /** {@return the {@link Conv2d} layers of a model in {@link Module#namedModules()} order} */
  public static List<Conv2d> convLayers(Module model) {
    List<Conv2d> out = new ArrayList<>();
    for (Module m : model.namedModules().values()) if (m instanceof Conv2d c) out.add(c);
    return out;
  }
}
