package ansatz.nn;

import ansatz.autograd.Tensor;
import java.util.List;

/**
 * Runs its children one after another, as PyTorch's {@code nn.Sequential}. Children are named
 * "0", "1", ... in order, so parameters are called {@code 0.weight}, {@code 2.weight}, ... Each
 * child runs through {@link Module#call}, so its hooks fire. An empty Sequential is the identity.
 */
public final class Sequential extends Module {
  /** @param layers the children, in order */
  public Sequential(Module... layers) {
    for (Module m : layers) add(m);
  }

  /** @param layers the children, in order */
  public Sequential(List<? extends Module> layers) {
    for (Module m : layers) add(m);
  }

  /** Appends a child named by its position. @return this */
  public Sequential add(Module m) {
    registerModule(Integer.toString(size()), m);
    return this;
  }

  /** {@return child {@code i} (negative counts from the end)} */
  public Module get(int i) {
    int n = size();
    int k = i < 0 ? i + n : i;
    if (k < 0 || k >= n) throw new IndexOutOfBoundsException("Sequential.get: index " + i + " out of range for " + n + " layers");
    return namedChildren().get(Integer.toString(k));
  }

  /** {@return number of children} */
  public int size() {
    return namedChildren().size();
  }

  /**
   * Runs the children in order. A {@link Linear} directly followed by a {@link ReLU} runs as one
   * fused op (bias, GEMM and ReLU in one output buffer) when neither has hooks: nothing can then
   * observe the pre-activation between them, and the values are exactly those of the two calls.
   */
  @Override
  protected Tensor forward(Tensor x) {
    List<Module> layers = children();
    for (int i = 0; i < layers.size(); i++) {
      Module m = layers.get(i);
      if (m instanceof Linear lin && i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU relu
          && !lin.hasHooks() && !relu.hasHooks()) {
        x = lin.forwardWithRelu(x);
        i++;
      } else {
        x = m.call(x);
      }
    }
    return x;
  }
}
