package ansatz.instrument.collapse;

import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.nn.metrics.NeuralCollapse;

/**
 * NC1, NC1-pinv and NC2 of features X (rows = samples) with K classes, as DEFINITIONS.md section 6,
 * in float64: the probe-side entry point. The numbers come from {@link NeuralCollapse} (module nn),
 * the one implementation of the metrics; this class only flattens features of any rank to
 * {@code n x d} rows first (a conv activation {@code n x C x H x W} becomes {@code n x CHW}).
 *
 * <p>Degenerate data gives the IEEE answer, not an exception: NC1 = +Infinity or NaN when all class
 * means coincide, NC2 = NaN when a class mean equals mu_G.
 */
public final class CollapseMetrics {
  private CollapseMetrics() {}

  /**
   * @param features n x d (any type; a higher-rank tensor is flattened to n rows)
   * @param labels class of each row, in [0, numClasses)
   * @param numClasses K &gt;= 2, every class present
   * @throws IllegalArgumentException for empty or non-finite features, a label count that does not
   *     match the rows, a label out of range, fewer than 2 classes or an empty class
   */
  public static CollapseStats of(Tensor features, int[] labels, int numClasses) {
    if (features == null || labels == null) throw new IllegalArgumentException("CollapseMetrics.of: features and labels must not be null");
    if (features.dim() < 1 || features.size(0) == 0 || features.numel() == 0) {
      throw new IllegalArgumentException("CollapseMetrics.of: features must have a non-empty sample axis, got shape " + Shape.str(features.shape()));
    }
    int n = features.size(0);
    Tensor rows = features.dim() == 2 ? features : features.contiguous().reshape(n, features.numel() / n);
    return CollapseStats.of(NeuralCollapse.of(rows, labels, numClasses));
  }
}
