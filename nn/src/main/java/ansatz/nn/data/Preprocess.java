package ansatz.nn.data;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Preprocessing steps. Each returns a new {@link Dataset} (or {@link Split}) and keeps the dtype.
 * Steps that learn statistics (scaling, standardization) take a Split and fit on its training part
 * only. Steps that change the inputs drop the known true predictor/AGOP (they refer to the raw inputs).
 */
public final class Preprocess {
  private Preprocess() {}

  // ------------------------------------------------------------------ inputs

  /**
   * Per-feature min-max scaling to [0, 1] with the training minimum and maximum, applied to both parts
   * (test values may fall outside [0, 1]). A constant training feature maps to 0.
   */
  public static Split scaleToUnitInterval(Split split) {
    Tensor train = split.train().inputs();
    int n = train.size(0), d = Dataset.featureCount(train);
    if (n == 0) throw new IllegalArgumentException("scaleToUnitInterval: the training set is empty");
    double[] x = train.toDoubleArray();
    double[] lo = new double[d], range = new double[d];
    Arrays.fill(lo, Double.POSITIVE_INFINITY);
    double[] hi = new double[d];
    Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < x.length; i++) {
      lo[i % d] = Math.min(lo[i % d], x[i]);
      hi[i % d] = Math.max(hi[i % d], x[i]);
    }
    for (int j = 0; j < d; j++) range[j] = hi[j] > lo[j] ? hi[j] - lo[j] : 1;
    return new Split(affine(split.train(), lo, range, "scaleToUnitInterval"), affine(split.test(), lo, range, "scaleToUnitInterval"));
  }

  /** (x - shift) / scale per feature. */
  private static Dataset affine(Dataset data, double[] shift, double[] scale, String op) {
    Tensor in = data.inputs();
    int d = Dataset.featureCount(in);
    if (d != shift.length) {
      throw new IllegalArgumentException(op + ": '" + data.name() + "' has " + d + " features, the training set has " + shift.length);
    }
    double[] x = in.toDoubleArray();
    for (int i = 0; i < x.length; i++) x[i] = (x[i] - shift[i % d]) / scale[i % d];
    return data.withInputs(Arrays2.tensor(x, in.dtype(), in.shape()));
  }

  /** Per-feature standardization with the training mean and std (see {@link Standardizer}). */
  public static Split standardize(Split split) {
    return Standardizer.fitApply(split);
  }

  /** Flattens {@code n x C x H x W} (or any {@code n x ...}) inputs to {@code n x (C*H*W)}. */
  public static Dataset flatten(Dataset data) {
    Tensor in = data.inputs();
    if (in.dim() == 2) return data;
    Dataset out = data.withInputs(in.reshape(in.size(0), Dataset.featureCount(in)).detach());
    // Flattening keeps the coordinates, so a known truth on flattened inputs stays valid.
    return out.withTruth(data.trueAgop().orElse(null), data.truePredictor().orElse(null));
  }

  /** Scales every row (sample, flattened) to unit Euclidean norm; an all-zero row stays zero. */
  public static Dataset unitNormRows(Dataset data) {
    Tensor in = data.inputs();
    int n = in.size(0), d = Dataset.featureCount(in);
    double[] x = in.toDoubleArray();
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < d; j++) s += x[i * d + j] * x[i * d + j];
      if (s == 0) continue;
      double inv = 1 / Math.sqrt(s);
      for (int j = 0; j < d; j++) x[i * d + j] *= inv;
    }
    return data.withInputs(Arrays2.tensor(x, in.dtype(), in.shape()));
  }

  // ------------------------------------------------------------------ samples

  /**
   * Keeps the samples of the listed classes and relabels them by their position in the list
   * (classes {3, 5} become 0 and 1); targets become one-hot over the kept classes.
   */
  public static Dataset keepClasses(Dataset data, int... classes) {
    int[] labels = requireLabels(data, "keepClasses");
    if (classes.length == 0) throw new IllegalArgumentException("keepClasses: no classes given");
    int[] newLabel = new int[data.numClasses()];
    Arrays.fill(newLabel, -1);
    for (int k = 0; k < classes.length; k++) {
      int c = classes[k];
      if (c < 0 || c >= data.numClasses()) {
        throw new IllegalArgumentException("keepClasses: class " + c + " is outside [0, " + data.numClasses() + ") of '" + data.name() + "'");
      }
      if (newLabel[c] >= 0) throw new IllegalArgumentException("keepClasses: class " + c + " is listed twice");
      newLabel[c] = k;
    }
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) if (newLabel[labels[i]] >= 0) keep.add(i);
    int[] idx = keep.stream().mapToInt(Integer::intValue).toArray();
    int[] relabelled = new int[idx.length];
    for (int i = 0; i < idx.length; i++) relabelled[i] = newLabel[labels[idx[i]]];
    Tensor inputs = data.inputs().rows(idx).detach();
    Tensor targets = Tensor.oneHot(relabelled, classes.length, data.targets().dtype());
    return new Dataset(data.name(), inputs, targets, relabelled, classes.length, null, null);
  }

  /** {@link #keepClasses(Dataset, int...)} on both parts of a split. */
  public static Split keepClasses(Split split, int... classes) {
    return new Split(keepClasses(split.train(), classes), keepClasses(split.test(), classes));
  }

  /**
   * Draws {@code perClass} samples of every class without replacement (seeded); the result keeps the
   * original row order. A class with fewer samples is an error naming it.
   */
  public static Dataset balancedSubsample(Dataset data, int perClass, Rng rng) {
    int[] labels = requireLabels(data, "balancedSubsample");
    if (perClass < 1) throw new IllegalArgumentException("balancedSubsample: perClass must be >= 1, got " + perClass);
    int c = data.numClasses();
    int[][] byClass = new int[c][];
    int[] counts = new int[c];
    for (int y : labels) counts[y]++;
    for (int k = 0; k < c; k++) {
      if (counts[k] < perClass) {
        throw new IllegalArgumentException("balancedSubsample: class " + k + " of '" + data.name() + "' has " + counts[k]
            + " samples, fewer than the " + perClass + " asked for");
      }
      byClass[k] = new int[counts[k]];
    }
    int[] fill = new int[c];
    for (int i = 0; i < labels.length; i++) byClass[labels[i]][fill[labels[i]]++] = i;
    int[] chosen = new int[perClass * c];
    for (int k = 0; k < c; k++) {
      int[] perm = rng.permutation(counts[k]);
      for (int m = 0; m < perClass; m++) chosen[k * perClass + m] = byClass[k][perm[m]];
    }
    Arrays.sort(chosen);
    return data.subset(chosen);
  }

  // ------------------------------------------------------------------ targets

  /** {@return {@code n x numClasses} one-hot rows of {@code labels}} */
  public static Tensor oneHot(int[] labels, int numClasses, DType dtype) {
    return Tensor.oneHot(labels, numClasses, dtype);
  }

  /** {@return the data set with one-hot targets (1 at the label, 0 elsewhere)} */
  public static Dataset oneHotTargets(Dataset data) {
    return data.withTargets(oneHot(requireLabels(data, "oneHotTargets"), data.numClasses(), data.targets().dtype()));
  }

  /** {@return the data set with centered one-hot targets: one-hot minus 1/C in every entry (rows sum to 0)} */
  public static Dataset centeredOneHotTargets(Dataset data) {
    int[] labels = requireLabels(data, "centeredOneHotTargets");
    int c = data.numClasses();
    double[] t = new double[labels.length * c];
    Arrays.fill(t, -1.0 / c);
    for (int i = 0; i < labels.length; i++) t[i * c + labels[i]] += 1;
    return data.withTargets(Arrays2.tensor(t, data.targets().dtype(), labels.length, c));
  }

  /** {@return the data set with +-1 targets: 1 at the label, -1 elsewhere} */
  public static Dataset plusMinusOneTargets(Dataset data) {
    int[] labels = requireLabels(data, "plusMinusOneTargets");
    int c = data.numClasses();
    double[] t = new double[labels.length * c];
    Arrays.fill(t, -1);
    for (int i = 0; i < labels.length; i++) t[i * c + labels[i]] = 1;
    return data.withTargets(Arrays2.tensor(t, data.targets().dtype(), labels.length, c));
  }

  private static int[] requireLabels(Dataset data, String op) {
    int[] labels = data.labels();
    if (labels == null) throw new IllegalArgumentException(op + ": '" + data.name() + "' is a regression set (no class labels)");
    return labels;
  }
}
