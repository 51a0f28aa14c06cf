package ansatz.nn;

import ansatz.autograd.Tensor;

/** Elementwise max(x, 0); as PyTorch's {@code nn.ReLU}. */
public final class ReLU extends Module {
  /** Creates a ReLU module (no parameters). */
  public ReLU() {}

  @Override
  protected Tensor forward(Tensor x) {
    return x.relu();
  }
}
