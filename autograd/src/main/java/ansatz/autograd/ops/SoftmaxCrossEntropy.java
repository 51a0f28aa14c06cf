package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/**
 * Mean cross-entropy of logits against class labels as one op (PyTorch's fused
 * {@code cross_entropy}): {@code L = (1/n) sum_i [log sum_k exp(z_ik) - z_i,y_i]}.
 *
 * <p>Each row is shifted by its maximum s_i (by 0 where the maximum is infinite, as
 * {@code logSoftmax} does) and the loss term is computed in double as
 * {@code log(sum_k exp(z_ik - s_i)) - (z_i,y_i - s_i)}: the difference z - s is exact near the
 * maximum, so logits of size 1e4 lose nothing even in float32. Backward is one pass:
 * {@code dL/dz_ik = g/n * (softmax(z_i)_k - [k == y_i])}, from the saved shifts and log-sums.
 */
public final class SoftmaxCrossEntropy extends Function {
  private final int[] labels;
  private final double[] shift, logSum;

  private SoftmaxCrossEntropy(int[] labels, double[] shift, double[] logSum) {
    this.labels = labels;
    this.shift = shift;
    this.logSum = logSum;
  }

  /**
   * @param logits shape (n, c) with n, c &gt;= 1
   * @param labels n class indices in [0, c)
   * @return the mean loss, a scalar of the logits' type
   * @throws IllegalArgumentException on a shape mismatch or a label out of range
   */
  public static Tensor apply(Tensor logits, int[] labels) {
    int[] s = logits.shape();
    if (s.length != 2 || s[0] == 0 || s[1] == 0) {
      throw new IllegalArgumentException("crossEntropy: logits must have shape (n, classes) with n, classes >= 1, got " + Shape.str(s));
    }
    int n = s[0], c = s[1];
    if (labels.length != n) throw new IllegalArgumentException("crossEntropy: " + labels.length + " labels for " + n + " rows of logits " + Shape.str(s));
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= c) {
        throw new IllegalArgumentException("crossEntropy: label " + labels[i] + " at position " + i + " is outside [0, " + c + ")");
      }
    }
    Tensor z = logits.copyIfNotDense();
    float[] f = z.storage().f;
    double[] d = z.storage().d;
    double[] shift = new double[n], logSum = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      int row = i * c;
      double max = at(f, d, row);
      for (int k = 1; k < c && !Double.isNaN(max); k++) {
        double v = at(f, d, row + k);
        if (v > max || Double.isNaN(v)) max = v;
      }
      double sh = Math.abs(max) < Double.POSITIVE_INFINITY ? max : 0; // all -inf, +inf or NaN: shift by 0
      double sum = 0;
      for (int k = 0; k < c; k++) sum += Math.exp(at(f, d, row + k) - sh);
      shift[i] = sh;
      logSum[i] = Math.log(sum);
      total += logSum[i] - (at(f, d, row + labels[i]) - sh);
    }
    Tensor loss = Tensor.scalar(total / n, logits.dtype());
    SoftmaxCrossEntropy fn = new SoftmaxCrossEntropy(labels.clone(), shift, logSum);
    fn.save(z);
    return fn.record(loss, logits);
  }

  private static double at(float[] f, double[] d, int i) {
    return f != null ? f[i] : d[i];
  }

  @Override
  public String name() {
    return "cross_entropy";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor z = saved(0);
    int n = z.size(0), c = z.size(1);
    double scale = g.item() / n;
    float[] f = z.storage().f;
    double[] d = z.storage().d;
    Tensor dz = Tensor.empty(z.dtype(), n, c);
    for (int i = 0; i < n; i++) {
      int row = i * c;
      for (int k = 0; k < c; k++) {
        double p = Math.exp((at(f, d, row + k) - shift[i]) - logSum[i]);
        double v = scale * (k == labels[i] ? p - 1 : p);
        if (z.dtype() == DType.FLOAT32) dz.storage().f[row + k] = (float) v;
        else dz.storage().d[row + k] = v;
      }
    }
    return new Tensor[] {owned(dz)};
  }
}
