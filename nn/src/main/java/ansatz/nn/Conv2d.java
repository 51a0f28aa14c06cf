package ansatz.nn;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.init.Init;
import java.util.Arrays;

/**
 * A 2-D convolution over NCHW inputs, as PyTorch's {@code nn.Conv2d} (weight (out, in, kh, kw),
 * optional bias (out)), computed as im2col + one GEMM per image ({@link Tensor#conv2d}): the
 * im2col columns are the patches, the inputs of the patch AGOP (the probes rebuild them explicitly).
 *
 * <p>The output is the pre-activation; a forward hook sees (layer input, pre-activation). The
 * filter matrix of the convolutional NFA is {@link #filterMatrix()}: W reshaped to
 * (out, in*kh*kw), rows = filters, columns in im2col's (channel, kernel row, kernel column) order.
 * Under NTK parameterization the forward divides by sqrt(in*kh*kw).
 */
public final class Conv2d extends Module {
  private final int in, out, kh, kw, stride, padding, dilation;
  private final Parameterization parameterization;
  private final double forwardScale;
  private final Parameter weight;
  private final Parameter bias;

  /** Square kernel, PyTorch's default initialization, standard parameterization. */
  public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias, Rng rng) {
    this(in, out, kernel, kernel, stride, padding, 1, bias, null, Parameterization.STANDARD, rng);
  }

  /**
   * The general constructor.
   *
   * @param weightInit how to draw the weight; null means the parameterization's default
   */
  public Conv2d(int in, int out, int kh, int kw, int stride, int padding, int dilation, boolean bias,
      Init weightInit, Parameterization parameterization, Rng rng) {
    if (in <= 0 || out <= 0 || kh <= 0 || kw <= 0) {
      throw new IllegalArgumentException("Conv2d: channels and kernel must be positive, got in=" + in + ", out=" + out + ", kernel=" + kh + "x" + kw);
    }
    if (stride <= 0 || dilation <= 0 || padding < 0) {
      throw new IllegalArgumentException("Conv2d: stride and dilation must be positive and padding >= 0, got stride=" + stride + ", padding=" + padding + ", dilation=" + dilation);
    }
    if (rng == null) throw new IllegalArgumentException("Conv2d: rng is null (initialization needs an explicit Rng)");
    this.in = in;
    this.out = out;
    this.kh = kh;
    this.kw = kw;
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.parameterization = parameterization;
    boolean ntk = parameterization == Parameterization.NTK;
    int fanIn = in * kh * kw, fanOut = out * kh * kw;
    this.forwardScale = ntk ? 1 / Math.sqrt(fanIn) : 1;
    Init wInit = weightInit != null ? weightInit : (ntk ? Init.normal(1) : Init.pytorchDefault());
    Init bInit = ntk ? Init.normal(1) : Init.pytorchDefault();
    this.weight = registerParameter("weight", new Parameter(wInit.draw(rng, DType.FLOAT32, fanIn, fanOut, out, in, kh, kw)));
    this.bias = bias ? registerParameter("bias", new Parameter(bInit.draw(rng, DType.FLOAT32, fanIn, fanOut, out))) : null;
  }

  @Override
  protected Tensor forward(Tensor x) {
    if (x.dim() != 4 || x.size(1) != in) {
      throw new IllegalArgumentException(this + ": expects input (N, " + in + ", H, W), got " + Arrays.toString(x.shape()));
    }
    Tensor w = weight.tensor();
    if (x.dtype() != w.dtype()) {
      throw new IllegalArgumentException(this + ": input is " + x.dtype() + " but the parameters are " + w.dtype());
    }
    Tensor b = bias == null ? null : bias.tensor();
    return x.conv2d(w, b, stride, stride, padding, padding, dilation, dilation, forwardScale);
  }

  /** {@return the weight, shape (out, in, kh, kw)} */
  public Parameter weight() {
    return weight;
  }

  /** {@return the bias, or null} */
  public Parameter bias() {
    return bias;
  }

  /** {@return the weight as the (out, in*kh*kw) filter matrix (a view; includes no NTK scale)} */
  public Tensor filterMatrix() {
    return weight.tensor().detach().reshape(out, in * kh * kw);
  }

  /** {@return input channels} */
  public int inChannels() {
    return in;
  }

  /** {@return output channels} */
  public int outChannels() {
    return out;
  }

  /** {@return kernel height} */
  public int kernelHeight() {
    return kh;
  }

  /** {@return kernel width} */
  public int kernelWidth() {
    return kw;
  }

  /** {@return stride (both axes)} */
  public int stride() {
    return stride;
  }

  /** {@return zero padding (both axes)} */
  public int padding() {
    return padding;
  }

  /** {@return dilation (both axes)} */
  public int dilation() {
    return dilation;
  }

  /** {@return how the weights are scaled} */
  public Parameterization parameterization() {
    return parameterization;
  }

  /** {@return the factor the forward multiplies W by (1, or 1/sqrt(in*kh*kw) under NTK)} */
  public double forwardScale() {
    return forwardScale;
  }

  @Override
  protected String extraRepr() {
    return "in=" + in + ", out=" + out + ", kernel=" + kh + "x" + kw + ", stride=" + stride + ", padding=" + padding
        + (dilation != 1 ? ", dilation=" + dilation : "") + ", bias=" + (bias != null)
        + (parameterization == Parameterization.NTK ? ", parameterization=ntk" : "");
  }
}
