package ansatz.nn;

import ansatz.autograd.Tensor;

/** Elementwise the exact (erf) GELU x * Phi(x), PyTorch's default {@code approximate='none'}; as PyTorch's {@code nn.GELU}. */
public final class GELU extends Module {
  /** Creates a GELU module (no parameters). */
  public GELU() {}

  @Override
  protected Tensor forward(Tensor x) {
    return x.gelu();
  }
}
