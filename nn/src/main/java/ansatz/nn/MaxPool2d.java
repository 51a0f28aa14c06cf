package ansatz.nn;

import ansatz.autograd.Tensor;

/** Max pooling over NCHW inputs, as PyTorch's {@code nn.MaxPool2d} (padding acts as -inf). */
public final class MaxPool2d extends Module {
  private final int kernel, stride, padding;

  /** Stride equal to the kernel, no padding (PyTorch's default). */
  public MaxPool2d(int kernel) {
    this(kernel, kernel, 0);
  }

  /**
   * @param kernel window size
   * @param stride step
   * @param padding implicit -inf border
   */
  public MaxPool2d(int kernel, int stride, int padding) {
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
  }

  @Override
  protected Tensor forward(Tensor x) {
    return x.maxPool2d(kernel, stride, padding);
  }

  @Override
  protected String extraRepr() {
    return "kernel=" + kernel + ", stride=" + stride + ", padding=" + padding;
  }
}
