package ansatz.instrument.agop;

import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Tensor;
import ansatz.nn.Conv2d;

/**
 * The probe view of a {@link Conv2d} layer (DEFINITIONS.md section 5): W is the filter matrix
 * (c_out, c_in*kh*kw), one tangent-feature row per (image, output position), and the AGOP is the
 * patch AGOP.
 */
final class ConvLayer extends ProbedLayer {
  private final Conv2d conv;

  ConvLayer(String name, Conv2d conv) {
    super(name, conv);
    this.conv = conv;
  }

  @Override
  public Kind kind() {
    return Kind.CONV;
  }

  @Override
  public DType dtype() {
    return conv.weight().dtype();
  }

  @Override
  public Tensor weightMatrix() {
    try (Grad.Scope off = Grad.disabled()) {
      return conv.filterMatrix().to(DType.FLOAT64).copyData();
    }
  }

  @Override
  public double weightScale() {
    return conv.forwardScale();
  }

  @Override
  public int rows() {
    return conv.outChannels();
  }

  @Override
  public int cols() {
    return conv.inChannels() * conv.kernelHeight() * conv.kernelWidth();
  }

  @Override
  Tensor tangentRows(Tensor gradZ, int batch) {
    // (N, c_out, oh, ow) -> (N*oh*ow, c_out): the filter-space gradient at each output position.
    return gradZ.detach().permute(0, 2, 3, 1).copyData().reshape(-1, rows());
  }

  @Override
  DirectVariable directVariable(Tensor in, Tensor out) {
    // Recompute the output from explicit im2col columns so that they lie on the gradient path:
    // the gradient of column (patch) p is then exactly d f / d p_rs.
    Tensor cols = in.im2col(conv.kernelHeight(), conv.kernelWidth(), conv.stride(), conv.padding(), conv.dilation());
    Tensor w = conv.weight().tensor().reshape(rows(), cols());
    Tensor z = w.matmul(cols).mul(conv.forwardScale());
    z = z.reshape(out.shape());
    if (conv.bias() != null) z = z.add(conv.bias().tensor().reshape(1, rows(), 1, 1));
    return new DirectVariable(cols, z);
  }

  @Override
  double[] directRows(Tensor grad) {
    // (1, c_in*kh*kw, L) -> position-major (L, c_in*kh*kw)
    int patch = cols();
    return grad.reshape(patch, grad.numel() / patch).t().toDoubleArray();
  }
}
