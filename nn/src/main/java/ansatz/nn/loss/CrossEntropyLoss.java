package ansatz.nn.loss;

import ansatz.autograd.Tensor;
import java.util.Arrays;

/**
 * Cross-entropy from logits, averaged over the batch, as PyTorch's {@code nn.CrossEntropyLoss()}:
 * loss = -(1/n) sum_i log softmax(z_i)[y_i]. Class labels go through one fused op
 * ({@link ansatz.autograd.Tensor#crossEntropy}), probability targets through {@code logSoftmax}; both subtract each
 * row's maximum first, so logits of any size (1e4, say) give finite values and gradients.
 *
 * <p>Targets are class indices ({@code int[]}, or a 1-D tensor holding integers), or class
 * probabilities of the same shape as the logits (then loss = -(1/n) sum_i sum_k p_ik log softmax(z_i)_k,
 * as PyTorch does for probability targets).
 */
public final class CrossEntropyLoss implements Loss {
  /** Creates the loss; it has no options (mean reduction, no label smoothing, no class weights). */
  public CrossEntropyLoss() {}

  /**
   * @param logits shape (n, c), n &gt;= 1
   * @param labels n class indices in [0, c)
   * @return the mean loss, a scalar
   */
  public Tensor apply(Tensor logits, int[] labels) {
    int[] s = logits.shape();
    if (s.length != 2) throw new IllegalArgumentException("CrossEntropyLoss: logits must have shape (n, classes), got " + Arrays.toString(s));
    int n = s[0], c = s[1];
    if (n == 0 || c == 0) throw new IllegalArgumentException("CrossEntropyLoss: empty logits of shape " + Arrays.toString(s));
    if (labels.length != n) {
      throw new IllegalArgumentException("CrossEntropyLoss: " + labels.length + " labels for " + n + " rows of logits " + Arrays.toString(s));
    }
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= c) {
        throw new IllegalArgumentException("CrossEntropyLoss: label " + labels[i] + " at position " + i + " is outside [0, " + c + ")");
      }
    }
    // One op for log-softmax, picking and the mean: -(1/n) sum_i logSoftmax(z)[i, y_i], in one pass each way.
    return logits.crossEntropy(labels);
  }

  /**
   * @param logits shape (n, c)
   * @param target either n class indices as a 1-D tensor of whole numbers, or probabilities of shape (n, c)
   */
  @Override
  public Tensor apply(Tensor logits, Tensor target) {
    if (logits.dim() == 2 && Arrays.equals(target.shape(), logits.shape())) {
      int n = logits.size(0);
      if (n == 0) throw new IllegalArgumentException("CrossEntropyLoss: empty logits of shape " + Arrays.toString(logits.shape()));
      return logits.logSoftmax(1).mul(target).sum().mul(-1.0 / n);
    }
    if (target.dim() != 1) {
      throw new IllegalArgumentException("CrossEntropyLoss: target of shape " + Arrays.toString(target.shape())
          + " is neither class indices (n) nor probabilities shaped like the logits " + Arrays.toString(logits.shape()));
    }
    double[] v = target.toDoubleArray();
    int[] labels = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      if (v[i] != Math.rint(v[i]) || Math.abs(v[i]) > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("CrossEntropyLoss: target " + i + " is " + v[i] + ", not a class index");
      }
      labels[i] = (int) v[i];
    }
    return apply(logits, labels);
  }

  @Override
  public String toString() {
    return "CrossEntropyLoss(mean)";
  }
}
