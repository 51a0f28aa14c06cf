package ansatz.nn.data;

import ansatz.autograd.Tensor;

/**
 * One mini-batch gathered from a {@link Dataset}.
 *
 * @param x inputs, {@code b x ...}
 * @param y targets, {@code b x c}
 * @param labels class labels of the rows, or {@code null} for regression
 * @param indices the rows of the data set this batch holds, in batch order
 */
public record Batch(Tensor x, Tensor y, int[] labels, int[] indices) {
  /** {@return the number of samples in the batch} */
  public int size() {
    return indices.length;
  }
}
