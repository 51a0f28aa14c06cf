package ansatz.nn;

import ansatz.autograd.Tensor;

/** Elementwise tanh(x); as PyTorch's {@code nn.Tanh}. */
public final class Tanh extends Module {
  /** Creates a tanh module (no parameters). */
  public Tanh() {}

  @Override
  protected Tensor forward(Tensor x) {
    return x.tanh();
  }
}
