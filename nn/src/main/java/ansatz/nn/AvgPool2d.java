package ansatz.nn;

import ansatz.autograd.Tensor;

/** Average pooling over NCHW inputs, as PyTorch's {@code nn.AvgPool2d} (count_include_pad=True). */
public final class AvgPool2d extends Module {
  private final int kernel, stride, padding;

  /** Stride equal to the kernel, no padding (PyTorch's default). */
  public AvgPool2d(int kernel) {
    this(kernel, kernel, 0);
  }

  /**
   * @param kernel window size
   * @param stride step
   * @param padding zero border (counted in the mean)
   */
  public AvgPool2d(int kernel, int stride, int padding) {
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
  }

  @Override
  protected Tensor forward(Tensor x) {
    return x.avgPool2d(kernel, stride, padding);
  }

  @Override
  protected String extraRepr() {
    return "kernel=" + kernel + ", stride=" + stride + ", padding=" + padding;
  }
}
