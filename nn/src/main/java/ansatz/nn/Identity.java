package ansatz.nn;

import ansatz.autograd.Tensor;

/** Returns its input unchanged (a placeholder, e.g. "no activation"); as PyTorch's {@code nn.Identity}. */
public final class Identity extends Module {
  /** Creates an identity module (no parameters). */
  public Identity() {}

  @Override
  protected Tensor forward(Tensor x) {
    return x;
  }
}
