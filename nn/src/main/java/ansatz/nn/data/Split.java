package ansatz.nn.data;

/**
 * A train/test pair.
 *
 * @param train the training set (preprocessing statistics are fitted on it only)
 * @param test the held-out set
 */
public record Split(Dataset train, Dataset test) {
  /** Rejects a missing train or test set. */
  public Split {
    if (train == null || test == null) throw new IllegalArgumentException("Split: train and test must not be null");
  }
}
