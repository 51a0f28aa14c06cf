package ansatz.instrument.agop;

import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Tensor;
import ansatz.instrument.math.Products;
import ansatz.nn.Linear;
import ansatz.nn.Parameterization;

/** The probe view of a {@link Linear} layer: W is its (out, in) weight. */
final class DenseLayer extends ProbedLayer {
  private final Linear linear;

  DenseLayer(String name, Linear linear) {
    super(name, linear);
    this.linear = linear;
  }

  @Override
  public Kind kind() {
    return Kind.DENSE;
  }

  @Override
  public DType dtype() {
    return linear.weight().dtype();
  }

  @Override
  public Tensor weightMatrix() {
    try (Grad.Scope off = Grad.disabled()) {
      return Products.float64Copy(linear.weight().tensor());
    }
  }

  @Override
  public double weightScale() {
    // Linear's NTK forward is x W^T / sqrt(in): the effective weight is W / sqrt(in).
    return linear.parameterization() == Parameterization.NTK ? 1 / Math.sqrt(linear.inFeatures()) : 1;
  }

  @Override
  public int rows() {
    return linear.outFeatures();
  }

  @Override
  public int cols() {
    return linear.inFeatures();
  }

  @Override
  Tensor tangentRows(Tensor gradZ, int batch) {
    // (B, ..., out): the middle axes (if any) are positions sharing the weight.
    return gradZ.detach().copyIfNotDense().reshape(-1, rows());
  }

  @Override
  DirectVariable directVariable(Tensor in, Tensor out) {
    return new DirectVariable(in, null);
  }

  @Override
  double[] directRows(Tensor grad) {
    return grad.toDoubleArray();
  }
}
