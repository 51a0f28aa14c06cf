package ansatz.instrument.agop;

import ansatz.autograd.Autograd;
import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Tensor;
import java.util.function.Function;

/**
 * The AGOP of a predictor with respect to its input (DEFINITIONS.md section 1):
 * G(f) = (1/n) sum_i sum_k grad f_k(x_i) grad f_k(x_i)^T, streamed over mini-batches (one backward
 * per output and batch; memory O(d^2)). Works for any differentiable function of a batch whose
 * samples do not interact: a model's {@code call}, or a data set's true predictor. Image inputs
 * (n, C, H, W) give the d x d AGOP with d = C*H*W in row-major order.
 */
public final class PredictorAgop {
  private PredictorAgop() {}

  /**
   * {@return the AGOP of {@code model} w.r.t. its input at {@code inputs} (converted to the model's
   *     dtype), computed in evaluation mode (each module's mode restored afterwards)}
   */
  public static Tensor ofModel(ansatz.nn.Module model, Tensor inputs, int batchSize, boolean gradCentered) {
    DType dtype = ProbeForward.modelDType(model);
    Tensor x = inputs.dtype() == dtype ? inputs : inputs.to(dtype).detach();
    return ProbeForward.inEvalMode(model, () -> of(model::call, x, batchSize, gradCentered));
  }

  /**
   * @param f maps a (b, ...) batch to a (b, c) or (b) output, differentiably
   * @param inputs the n points, along axis 0
   * @param batchSize samples per backward pass
   * @param gradCentered subtract each output's mean gradient over the points first
   * @return G(f) as a float64 d x d matrix
   */
  public static Tensor of(Function<Tensor, Tensor> f, Tensor inputs, int batchSize, boolean gradCentered) {
    if (f == null) throw new IllegalArgumentException("PredictorAgop: predictor is null");
    if (inputs == null || inputs.dim() < 2 || inputs.size(0) == 0) {
      throw new IllegalArgumentException("PredictorAgop: need a non-empty (n, d...) batch of inputs");
    }
    if (batchSize <= 0) throw new IllegalArgumentException("PredictorAgop: batch size must be positive, got " + batchSize);
    int n = inputs.size(0);
    int d = inputs.numel() / n;
    GramAccumulator acc = new GramAccumulator(d);
    double[][] colSums = null;
    DType dtype = inputs.dtype();
    for (int s = 0; s < n; s += batchSize) {
      int b = Math.min(batchSize, n - s);
      Tensor x = ProbeForward.leafInput(inputs.narrow(0, s, b), dtype);
      Tensor out;
      try (Grad.Scope on = Grad.enabled()) {
        out = ProbeForward.outputMatrix("PredictorAgop", f.apply(x), b);
      }
      int c = out.size(1);
      if (colSums == null) colSums = new double[c][d];
      for (int k = 0; k < c; k++) {
        Tensor g = Autograd.grad(new Tensor[] {out}, new Tensor[] {x}, new Tensor[] {ProbeForward.seed(out.dtype(), b, c, k)}, k < c - 1)[0];
        acc.add(g.reshape(b, d), gradCentered ? colSums[k] : null);
      }
    }
    double[] sum = acc.sum();
    if (gradCentered) {
      for (double[] m : colSums) {
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) sum[i * d + j] -= m[i] * m[j] / n;
      }
    }
    for (int i = 0; i < sum.length; i++) sum[i] /= n;
    return Tensor.wrap(sum, d, d);
  }
}
