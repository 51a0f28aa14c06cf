package ansatz.nn;

import ansatz.autograd.Tensor;

/** Elementwise x for x &gt; 0, slope * x otherwise; as PyTorch's {@code nn.LeakyReLU} (slope 0.01 by default). */
public final class LeakyReLU extends Module {
  private final double slope;

  /** With PyTorch's default negative slope 0.01. */
  public LeakyReLU() {
    this(0.01);
  }

  /** @param slope the slope for negative inputs */
  public LeakyReLU(double slope) {
    if (!Double.isFinite(slope)) throw new IllegalArgumentException("LeakyReLU: slope must be finite, got " + slope);
    this.slope = slope;
  }

  /** {@return the slope for negative inputs} */
  public double slope() {
    return slope;
  }

  @Override
  protected Tensor forward(Tensor x) {
    return x.leakyRelu(slope);
  }

  @Override
  protected String extraRepr() {
    return "slope=" + slope;
  }
}
