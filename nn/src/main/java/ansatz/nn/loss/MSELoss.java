package ansatz.nn.loss;

import ansatz.autograd.Tensor;
import java.util.Arrays;

/**
 * Squared error between prediction and target (same shape; no broadcasting, which in PyTorch is a
 * warning and usually a bug). Three reductions, chosen by factory:
 *
 * <ul>
 *   <li>{@link #mean()}: mean over all elements, PyTorch's {@code nn.MSELoss()} (the default);
 *   <li>{@link #halfSumOverBatch()}: (1/(2n)) sum_i ||f(x_i) - y_i||^2 with n the batch size (the size
 *       of axis 0), the loss of the catapult analysis (DEFINITIONS section 7). For c outputs it is
 *       c/2 times the mean form, so its critical learning rate 2/lambda_0 differs accordingly;
 *   <li>{@link #sum()}: the plain sum of squares, PyTorch's {@code reduction='sum'}.
 * </ul>
 */
public final class MSELoss implements Loss {
  /** How the squared errors are reduced to one number. */
  public enum Reduction {
    /** mean over all elements */
    MEAN,
    /** (1/(2n)) * sum, n = size of axis 0 */
    HALF_SUM_OVER_BATCH,
    /** sum over all elements */
    SUM
  }

  private final Reduction reduction;

  private MSELoss(Reduction reduction) {
    this.reduction = reduction;
  }

  /** {@return the squared error averaged over all elements (PyTorch's default)} */
  public static MSELoss mean() {
    return new MSELoss(Reduction.MEAN);
  }

  /** {@return (1/(2n)) sum_i ||f(x_i) - y_i||^2, n = batch size (axis 0)} */
  public static MSELoss halfSumOverBatch() {
    return new MSELoss(Reduction.HALF_SUM_OVER_BATCH);
  }

  /** {@return the sum of squared errors} */
  public static MSELoss sum() {
    return new MSELoss(Reduction.SUM);
  }

  /** {@return the reduction in use} */
  public Reduction reduction() {
    return reduction;
  }

  @Override
  public Tensor apply(Tensor prediction, Tensor target) {
    if (!Arrays.equals(prediction.shape(), target.shape())) {
      throw new IllegalArgumentException("MSELoss: prediction shape " + Arrays.toString(prediction.shape())
          + " differs from target shape " + Arrays.toString(target.shape()));
    }
    if (prediction.numel() == 0) throw new IllegalArgumentException("MSELoss: empty prediction of shape " + Arrays.toString(prediction.shape()));
    Tensor squares = prediction.sub(target).square();
    return switch (reduction) {
      case MEAN -> squares.mean();
      case SUM -> squares.sum();
      case HALF_SUM_OVER_BATCH -> squares.sum().mul(0.5 / (prediction.dim() == 0 ? 1 : prediction.size(0)));
    };
  }

  @Override
  public String toString() {
    return "MSELoss(" + reduction.name().toLowerCase(java.util.Locale.ROOT) + ")";
  }
}
