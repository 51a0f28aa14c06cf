package ansatz.nn.data;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Iterates over a data set in mini-batches, one epoch per {@link #iterator()} call.
 *
 * <p>With {@code shuffle}, every epoch draws a fresh permutation from the loader's {@link Rng} when the
 * epoch's iterator is created, so the Rng state alone fixes all future epochs: save {@link #rng()}'s
 * {@code state()} in a checkpoint and rebuild the loader with {@code Rng.fromState} to resume exactly.
 * Without {@code shuffle}, batches follow the data set order and the Rng is never used.
 * With {@code dropLast}, a final batch smaller than {@code batchSize} is skipped.
 */
public final class DataLoader implements Iterable<Batch> {
  private final Dataset dataset;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean dropLast;
  private final Rng rng;

  /**
   * @param dataset the data
   * @param batchSize samples per batch, at least 1 (a batch size above the data set size gives one
   *     full-data batch, or none with {@code dropLast})
   * @param shuffle draw a new random order every epoch
   * @param dropLast skip a final incomplete batch
   * @param rng the generator the permutations come from (may be null when not shuffling)
   */
  public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, Rng rng) {
    if (dataset == null) throw new IllegalArgumentException("DataLoader: dataset must not be null");
    if (batchSize < 1) throw new IllegalArgumentException("DataLoader: batchSize must be >= 1, got " + batchSize);
    if (shuffle && rng == null) throw new IllegalArgumentException("DataLoader: shuffle needs an Rng, got null");
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.rng = rng;
  }

  /** A full-batch, unshuffled loader (one batch per epoch holding every sample in order). */
  public static DataLoader fullBatch(Dataset dataset) {
    return new DataLoader(dataset, Math.max(1, dataset.size()), false, false, null);
  }

  /** {@return the data set} */
  public Dataset dataset() {
    return dataset;
  }

  /** {@return the batch size} */
  public int batchSize() {
    return batchSize;
  }

  /** {@return whether each epoch is shuffled} */
  public boolean shuffle() {
    return shuffle;
  }

  /** {@return whether an incomplete last batch is dropped} */
  public boolean dropLast() {
    return dropLast;
  }

  /** {@return the live generator (its state determines all future epochs); null if none was given} */
  public Rng rng() {
    return rng;
  }

  /** {@return batches per epoch} */
  public int batchesPerEpoch() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** {@return the sample order of the next epoch, advancing the Rng when shuffling} */
  private int[] nextOrder() {
    int n = dataset.size();
    if (shuffle) return rng.permutation(n);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    return order;
  }

  /** Starts a new epoch: draws its order now (advancing the Rng once) and returns its batches. */
  @Override
  public Iterator<Batch> iterator() {
    int[] order = nextOrder();
    int batches = batchesPerEpoch();
    Tensor inputs = dataset.inputs();
    Tensor targets = dataset.targets();
    int[] labels = dataset.labels();
    return new Iterator<>() {
      private int next = 0;

      @Override
      public boolean hasNext() {
        return next < batches;
      }

      @Override
      public Batch next() {
        if (!hasNext()) throw new NoSuchElementException("DataLoader: epoch has only " + batches + " batches");
        int start = next * batchSize;
        int end = Math.min(start + batchSize, order.length);
        next++;
        int[] idx = java.util.Arrays.copyOfRange(order, start, end);
        int[] batchLabels = null;
        if (labels != null) {
          batchLabels = new int[idx.length];
          for (int i = 0; i < idx.length; i++) batchLabels[i] = labels[idx[i]];
        }
        return new Batch(inputs.rows(idx).detach(), targets.rows(idx).detach(), batchLabels, idx);
      }
    };
  }
}
