package ansatz.nn;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.init.Init;
import java.util.Arrays;

/**
 * A fully connected layer z = x W^T + b, as PyTorch's {@code nn.Linear}: the weight has shape
 * (out, in), the optional bias shape (out), and inputs of shape (..., in) map to (..., out).
 *
 * <p>The output is the pre-activation; activations are separate modules. So a forward hook on a
 * {@code Linear} ({@link Module#registerForwardHook}) sees exactly (h_l, z_l), the layer input and
 * pre-activation that the AGOP and NFA probes need, and a full backward hook sees d loss / d h_l and
 * d loss / d z_l.
 *
 * <p>Initialization: under {@link Parameterization#STANDARD} the weight is drawn with the given
 * {@link Init} (PyTorch's default, U(-1/sqrt(in), 1/sqrt(in)), unless given) and the bias always with
 * PyTorch's default rule. Under {@link Parameterization#NTK} both are drawn from N(0, 1) unless a
 * weight rule is given, and the forward divides x W^T by sqrt(in). The weight is drawn before the
 * bias, in row-major order, so a seed fixes both.
 */
public final class Linear extends Module {
  private final int in;
  private final int out;
  private final Parameterization parameterization;
  private final double forwardScale;
  private final Parameter weight;
  private final Parameter bias;

  /** Standard parameterization with PyTorch's default initialization. */
  public Linear(int in, int out, boolean bias, Rng rng) {
    this(in, out, bias, Init.pytorchDefault(), Parameterization.STANDARD, rng);
  }

  /** Standard parameterization, weight drawn by {@code weightInit} (bias by PyTorch's default rule). */
  public Linear(int in, int out, boolean bias, Init weightInit, Rng rng) {
    this(in, out, bias, weightInit, Parameterization.STANDARD, rng);
  }

  /**
   * The general constructor.
   *
   * @param weightInit how to draw the weight; null means the parameterization's default
   *     (PyTorch's default for STANDARD, N(0, 1) for NTK)
   */
  public Linear(int in, int out, boolean bias, Init weightInit, Parameterization parameterization, Rng rng) {
    if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + in + ", out=" + out);
    if (parameterization == null) throw new IllegalArgumentException("Linear: parameterization is null");
    if (rng == null) throw new IllegalArgumentException("Linear: rng is null (initialization needs an explicit Rng)");
    this.in = in;
    this.out = out;
    this.parameterization = parameterization;
    this.forwardScale = parameterization == Parameterization.NTK ? 1 / Math.sqrt(in) : 1;
    boolean ntk = parameterization == Parameterization.NTK;
    Init wInit = weightInit != null ? weightInit : (ntk ? Init.normal(1) : Init.pytorchDefault());
    Init bInit = ntk ? Init.normal(1) : Init.pytorchDefault();
    this.weight = registerParameter("weight", new Parameter(wInit.draw(rng, DType.FLOAT32, in, out, out, in)));
    this.bias = bias ? registerParameter("bias", new Parameter(bInit.draw(rng, DType.FLOAT32, in, out, out))) : null;
  }

  /** {@return an NTK-parameterized layer: N(0, 1) parameters, forward x W^T / sqrt(in) + b} */
  public static Linear ntk(int in, int out, boolean bias, Rng rng) {
    return new Linear(in, out, bias, null, Parameterization.NTK, rng);
  }

  @Override
  protected Tensor forward(Tensor x) {
    return affine(x, false);
  }

  /**
   * relu(forward(x)) as one fused op, for {@link Sequential} when neither this layer nor the ReLU
   * after it has hooks (so that the pre-activation, which is never materialized, cannot be observed).
   */
  Tensor forwardWithRelu(Tensor x) {
    return affine(x, true);
  }

  private Tensor affine(Tensor x, boolean relu) {
    Tensor w = weight.tensor();
    if (x.dim() == 0 || x.size(-1) != in) {
      throw new IllegalArgumentException(this + ": input of shape " + Arrays.toString(x.shape()) + " does not end in " + in);
    }
    if (x.dtype() != w.dtype()) {
      throw new IllegalArgumentException(this + ": input is " + x.dtype() + " but the parameters are " + w.dtype()
          + "; convert one of them (Module.to or Tensor.to)");
    }
    // scale * x W^T + b in one op: bias pre-filled, one GEMM on top (PyTorch's addmm)
    return x.linear(w, bias == null ? null : bias.tensor(), forwardScale, relu);
  }

  /** {@return the weight, shape (out, in)} */
  public Parameter weight() {
    return weight;
  }

  /** {@return the bias, shape (out), or null if the layer has none} */
  public Parameter bias() {
    return bias;
  }

  /** {@return input size} */
  public int inFeatures() {
    return in;
  }

  /** {@return output size} */
  public int outFeatures() {
    return out;
  }

  /** {@return how the weights are scaled} */
  public Parameterization parameterization() {
    return parameterization;
  }

  @Override
  protected String extraRepr() {
    return "in=" + in + ", out=" + out + ", bias=" + (bias != null)
        + (parameterization == Parameterization.NTK ? ", parameterization=ntk" : "");
  }
}
