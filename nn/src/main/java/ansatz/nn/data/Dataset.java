package ansatz.nn.data;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * An immutable labelled data set: inputs (one sample per row of axis 0), float targets, and for
 * classification the integer labels. Synthetic tasks with a known predictor also carry the true
 * predictor and its population AGOP, so experiments can measure alignment with the truth.
 *
 * <p>Shapes: {@code inputs} is {@code n x d} (or {@code n x C x H x W} for images); {@code targets} is
 * {@code n x c} (one-hot rows for classification, the regression outputs otherwise); {@code labels} has
 * length {@code n} or is {@code null} for regression. All tensors are detached data, never part of a graph.
 */
public final class Dataset {
  private final String name;
  private final Tensor inputs;
  private final Tensor targets;
  private final int[] labels;
  private final int numClasses;
  private final Tensor trueAgop;
  private final Function<Tensor, Tensor> truePredictor;

  /**
   * Full constructor; validates that every part describes the same {@code n} samples.
   *
   * @param name a short human-readable name (used in logs and file names)
   * @param inputs {@code n x ...} inputs, at least 2-dimensional
   * @param targets {@code n x c} targets
   * @param labels class labels in {@code [0, numClasses)}, or {@code null} for regression
   * @param numClasses number of classes, 0 for regression (then {@code labels} must be null)
   * @param trueAgop population AGOP of the true predictor ({@code d x d}, stored as float64), or null
   * @param truePredictor the noiseless true predictor mapping {@code m x d} inputs to {@code m x c}, or null
   */
  public Dataset(String name, Tensor inputs, Tensor targets, int[] labels, int numClasses,
                 Tensor trueAgop, Function<Tensor, Tensor> truePredictor) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("Dataset: name must not be empty");
    if (inputs == null) throw new IllegalArgumentException("Dataset '" + name + "': inputs must not be null");
    if (targets == null) throw new IllegalArgumentException("Dataset '" + name + "': targets must not be null");
    if (inputs.dim() < 2) {
      throw new IllegalArgumentException("Dataset '" + name + "': inputs must be at least 2-D (n x d), got shape "
          + Arrays.toString(inputs.shape()));
    }
    if (targets.dim() != 2) {
      throw new IllegalArgumentException("Dataset '" + name + "': targets must be 2-D (n x c), got shape "
          + Arrays.toString(targets.shape()));
    }
    int n = inputs.size(0);
    if (targets.size(0) != n) {
      throw new IllegalArgumentException("Dataset '" + name + "': inputs have " + n + " rows but targets have "
          + targets.size(0) + " rows");
    }
    if (numClasses < 0) throw new IllegalArgumentException("Dataset '" + name + "': numClasses must be >= 0, got " + numClasses);
    if (labels != null) {
      if (numClasses == 0) {
        throw new IllegalArgumentException("Dataset '" + name + "': labels given but numClasses is 0 (regression)");
      }
      if (labels.length != n) {
        throw new IllegalArgumentException("Dataset '" + name + "': inputs have " + n + " rows but labels have "
            + labels.length + " entries");
      }
      for (int i = 0; i < n; i++) {
        if (labels[i] < 0 || labels[i] >= numClasses) {
          throw new IllegalArgumentException("Dataset '" + name + "': label " + labels[i] + " at row " + i
              + " is outside [0, " + numClasses + ")");
        }
      }
    } else if (numClasses != 0) {
      throw new IllegalArgumentException("Dataset '" + name + "': numClasses is " + numClasses + " but labels are null");
    }
    if (trueAgop != null) {
      int d = featureCount(inputs);
      if (trueAgop.dim() != 2 || trueAgop.size(0) != d || trueAgop.size(1) != d) {
        throw new IllegalArgumentException("Dataset '" + name + "': trueAgop must be " + d + " x " + d
            + " (d = features per sample), got shape " + Arrays.toString(trueAgop.shape()));
      }
    }
    this.name = name;
    this.inputs = inputs.detach();
    this.targets = targets.detach();
    this.labels = labels == null ? null : labels.clone();
    this.numClasses = numClasses;
    this.trueAgop = trueAgop == null ? null : trueAgop.detach().to(DType.FLOAT64);
    this.truePredictor = truePredictor;
  }

  /** A regression data set without a known predictor. */
  public static Dataset regression(String name, Tensor inputs, Tensor targets) {
    return new Dataset(name, inputs, targets, null, 0, null, null);
  }

  /** A classification data set whose targets are the one-hot rows of {@code labels} (same dtype as inputs). */
  public static Dataset classification(String name, Tensor inputs, int[] labels, int numClasses) {
    if (labels == null) throw new IllegalArgumentException("Dataset '" + name + "': labels must not be null for classification");
    Tensor oneHot = Tensor.oneHot(labels, numClasses, inputs == null ? DType.FLOAT32 : inputs.dtype());
    return new Dataset(name, inputs, oneHot, labels, numClasses, null, null);
  }

  /** {@return number of features per sample (product of all axes after the first)} */
  static int featureCount(Tensor inputs) {
    int f = 1;
    for (int a = 1; a < inputs.dim(); a++) f *= inputs.size(a);
    return f;
  }

  /** {@return the inputs, {@code n x d} or {@code n x C x H x W}} */
  public Tensor inputs() {
    return inputs;
  }

  /** {@return the targets, {@code n x c}} */
  public Tensor targets() {
    return targets;
  }

  /** {@return a copy of the class labels, or {@code null} for regression} */
  public int[] labels() {
    return labels == null ? null : labels.clone();
  }

  /** {@return the number of classes, 0 for regression} */
  public int numClasses() {
    return numClasses;
  }

  /** {@return true when the set has class labels} */
  public boolean isClassification() {
    return labels != null;
  }

  /** {@return the name} */
  public String name() {
    return name;
  }

  /** {@return the number of samples {@code n}} */
  public int size() {
    return inputs.size(0);
  }

  /** {@return features per sample (d, or C*H*W for images)} */
  public int featureCount() {
    return featureCount(inputs);
  }

  /**
   * {@return the population AGOP E_x[sum_k grad f_k(x) grad f_k(x)^T] of the true predictor ({@code d x d},
   *     float64), when known. It is the uncentered AGOP of DEFINITIONS.md section 1 (sum over outputs,
   *     mean over the input distribution). Note: for a linear truth the gradient-centered AGOP is 0.}
   */
  public Optional<Tensor> trueAgop() {
    return Optional.ofNullable(trueAgop);
  }

  /** {@return the noiseless true predictor ({@code m x d -> m x c}, differentiable), when known} */
  public Optional<Function<Tensor, Tensor>> truePredictor() {
    return Optional.ofNullable(truePredictor);
  }

  /**
   * @param indices row indices (each in {@code [0, size())}, repeats allowed), in the order wanted
   * @return the samples at {@code indices}; name, class count and known truth carry over
   */
  public Dataset subset(int[] indices) {
    if (indices == null) throw new IllegalArgumentException("subset of '" + name + "': indices must not be null");
    int n = size();
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= n) {
        throw new IllegalArgumentException("subset of '" + name + "': index " + indices[i] + " at position " + i
            + " is outside [0, " + n + ")");
      }
    }
    int[] subLabels = null;
    if (labels != null) {
      subLabels = new int[indices.length];
      for (int i = 0; i < indices.length; i++) subLabels[i] = labels[indices[i]];
    }
    return new Dataset(name, inputs.rows(indices).detach(), targets.rows(indices).detach(), subLabels, numClasses,
        trueAgop, truePredictor);
  }

  /** {@return the same data with inputs and targets converted to {@code dtype} (this if already so)} */
  public Dataset to(DType dtype) {
    if (inputs.dtype() == dtype && targets.dtype() == dtype) return this;
    return new Dataset(name, inputs.to(dtype).detach(), targets.to(dtype).detach(), labels, numClasses, trueAgop,
        truePredictor);
  }

  /**
   * {@return a copy with other inputs (same number of rows), e.g. after preprocessing. The known truth is
   *     dropped, because the true predictor is a function of the original inputs; re-attach it with
   *     {@link #withTruth} only if the new inputs are the same coordinates.}
   */
  public Dataset withInputs(Tensor newInputs) {
    return new Dataset(name, newInputs, targets, labels, numClasses, null, null);
  }

  /** {@return a copy with other targets (same number of rows), e.g. centered one-hot} */
  public Dataset withTargets(Tensor newTargets) {
    return new Dataset(name, inputs, newTargets, labels, numClasses, trueAgop, truePredictor);
  }

  /** {@return a copy with another name} */
  public Dataset withName(String newName) {
    return new Dataset(newName, inputs, targets, labels, numClasses, trueAgop, truePredictor);
  }

  /** {@return a copy carrying a known true predictor and its population AGOP (either may be null)} */
  public Dataset withTruth(Tensor agop, Function<Tensor, Tensor> predictor) {
    return new Dataset(name, inputs, targets, labels, numClasses, agop, predictor);
  }

  @Override
  public String toString() {
    return "Dataset[" + name + ", n=" + size() + ", inputs " + Arrays.toString(inputs.shape()) + " " + inputs.dtype()
        + ", targets " + Arrays.toString(targets.shape()) + (labels == null ? ", regression" : ", " + numClasses + " classes")
        + "]";
  }
}
