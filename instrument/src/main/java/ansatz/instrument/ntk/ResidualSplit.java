package ansatz.instrument.ntk;

import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.nn.Module;

/**
 * How the training residual r = f(x) - y (flattened sample-major, entry i*c + k, as the rows of
 * Theta) splits between the span of the top-k NTK eigenvectors and its orthogonal complement
 * (DEFINITIONS.md section 7). In the catapult phase the top part is what blows up and then
 * shrinks.
 *
 * @param k number of eigenvectors in the top space
 * @param topSquaredNorm ||V^T r||^2 (V the N x k eigenvectors)
 * @param restSquaredNorm ||r - V V^T r||^2
 */
public record ResidualSplit(int k, double topSquaredNorm, double restSquaredNorm) {
  /** {@return top + rest, which is ||r||^2 up to rounding} */
  public double totalSquaredNorm() {
    return topSquaredNorm + restSquaredNorm;
  }

  /** {@return top / (top + rest); NaN for a zero residual} */
  public double topFraction() {
    return topSquaredNorm / totalSquaredNorm();
  }

  /** {@return rest / (top + rest); NaN for a zero residual} */
  public double restFraction() {
    return restSquaredNorm / totalSquaredNorm();
  }

  /**
   * @param top eigenvectors of Theta (orthonormal columns, N x k)
   * @param residual f(x) - y, shape (n, c), (n) or (n c), N = n c entries in sample-major order
   */
  public static ResidualSplit of(TopEigen top, Tensor residual) {
    int size = top.vectors().size(0), k = top.k();
    if (residual.numel() != size) {
      throw new IllegalArgumentException("ResidualSplit.of: residual of shape " + Shape.str(residual.shape()) + " has " + residual.numel()
          + " entries but the eigenvectors have " + size);
    }
    double[] r = residual.toDoubleArray();
    double[] v = top.vectors().toDoubleArray();
    double[] rest = r.clone();
    double topSq = 0;
    for (int j = 0; j < k; j++) {
      double c = 0;
      for (int i = 0; i < size; i++) c += v[i * k + j] * r[i];
      topSq += c * c;
      for (int i = 0; i < size; i++) rest[i] -= c * v[i * k + j];
    }
    double restSq = 0;
    for (double x : rest) restSq += x * x;
    return new ResidualSplit(k, topSq, restSq);
  }

  /**
   * Computes Theta of {@code model} on {@code inputs}, its top-k eigenvectors and the split of
   * f(inputs) - targets.
   *
   * @param targets shape (n, c), or (n) for one output
   */
  public static ResidualSplit measure(Module model, Tensor inputs, Tensor targets, int k) {
    EmpiricalNtk ntk = EmpiricalNtk.compute(model, inputs);
    if (targets.numel() != ntk.size() || targets.size(0) != ntk.samples()) {
      throw new IllegalArgumentException("ResidualSplit.measure: targets of shape " + Shape.str(targets.shape()) + " do not match the outputs ("
          + ntk.samples() + ", " + ntk.outputCount() + ")");
    }
    Tensor residual = ntk.predictions().sub(targets.toFloat64().reshape(ntk.samples(), ntk.outputCount()));
    return of(ntk.top(k), residual);
  }
}
