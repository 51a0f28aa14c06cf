package ansatz.nn;

import ansatz.autograd.Tensor;

/** Elementwise the logistic function 1 / (1 + e^-x), computed without overflow; as PyTorch's {@code nn.Sigmoid}. */
public final class Sigmoid extends Module {
  /** Creates a sigmoid module (no parameters). */
  public Sigmoid() {}

  @Override
  protected Tensor forward(Tensor x) {
    return x.sigmoid();
  }
}
