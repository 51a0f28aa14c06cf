package ansatz.nn.train;

import ansatz.autograd.Grad;
import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import ansatz.nn.data.Dataset;
import ansatz.nn.loss.CrossEntropyLoss;
import ansatz.nn.loss.Loss;
import java.util.Arrays;

/**
 * Loss and accuracy of a model on a whole data set, in chunks (so a 10k-sample test set does not
 * need one 10k-row activation per layer), with grad mode off and the model in eval mode.
 *
 * <p>The loss is the chunk losses weighted by chunk size, i.e. the per-sample mean: for every loss
 * that averages over the batch (cross-entropy, MSE mean and half-sum-over-batch) it equals the loss
 * of the whole set in one batch, up to rounding.
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * Loss and accuracy.
   *
   * @param loss mean loss over the set
   * @param accuracy fraction of rows whose arg-max output is the label (NaN for regression data)
   */
  public record Result(double loss, double accuracy) {}

  /** Evaluates {@code model} on {@code data}, {@code chunk} rows at a time. */
  public static Result of(Module model, Loss loss, Dataset data, int chunk) {
    if (chunk < 1) throw new IllegalArgumentException("Evaluation: chunk size must be >= 1, got " + chunk);
    int n = data.size();
    if (n == 0) return new Result(Double.NaN, Double.NaN);
    boolean wasTraining = model.isTraining();
    model.eval();
    double lossSum = 0;
    long correct = 0;
    int[] labels = data.labels();
    try (Grad.Scope off = Grad.disabled()) {
      for (int start = 0; start < n; start += chunk) {
        int len = Math.min(chunk, n - start);
        Tensor out = model.call(data.inputs().narrow(0, start, len));
        int[] chunkLabels = labels == null ? null : Arrays.copyOfRange(labels, start, start + len);
        lossSum += lossValue(loss, out, data.targets().narrow(0, start, len), chunkLabels) * len;
        if (chunkLabels != null) correct += correct(out, chunkLabels);
      }
    } finally {
      model.train(wasTraining);
    }
    return new Result(lossSum / n, labels == null ? Double.NaN : (double) correct / n);
  }

  /**
   * {@return the loss of one batch: cross-entropy takes the class labels, every other loss the target
   *     rows (one-hot rows for classification data)}
   */
  static Tensor loss(Loss loss, Tensor out, Tensor targets, int[] labels) {
    if (loss instanceof CrossEntropyLoss ce) {
      if (labels == null) throw new IllegalArgumentException("cross-entropy needs class labels, but the data are a regression set (use MSE)");
      return ce.apply(out, labels);
    }
    return loss.apply(out, targets);
  }

  private static double lossValue(Loss loss, Tensor out, Tensor targets, int[] labels) {
    return loss(loss, out, targets, labels).item();
  }

  /** {@return how many rows of {@code out} (n x c) have their arg-max at the label} */
  static long correct(Tensor out, int[] labels) {
    if (out.dim() != 2 || out.size(0) != labels.length) {
      throw new IllegalArgumentException("accuracy: the model output has shape " + Arrays.toString(out.shape()) + "; expected ("
          + labels.length + ", classes)");
    }
    int[] pred = out.argmax(1);
    long c = 0;
    for (int i = 0; i < pred.length; i++) if (pred[i] == labels[i]) c++;
    return c;
  }
}
