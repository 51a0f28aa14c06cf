package ansatz.nn.data;

import ansatz.autograd.Tensor;

/**
 * Per-feature standardization x -> (x - mean) / std with the statistics of one data set (the training
 * split), applied unchanged to any other (the test split), so no test information leaks into training.
 * The std is the population std (divide by n); a constant feature (std 0) is only centered.
 * Features are all axes after the first, so image inputs are standardized per pixel.
 */
public final class Standardizer {
  private final double[] mean;
  private final double[] std;

  private Standardizer(double[] mean, double[] std) {
    this.mean = mean;
    this.std = std;
  }

  /** Fits the statistics on a data set's inputs. */
  public static Standardizer fit(Dataset train) {
    return fit(train.inputs());
  }

  /** Fits the statistics on the rows of {@code inputs} ({@code n x ...}, n at least 1). */
  public static Standardizer fit(Tensor inputs) {
    int n = inputs.size(0);
    if (n == 0) throw new IllegalArgumentException("Standardizer.fit: no rows to fit on");
    int d = Dataset.featureCount(inputs);
    double[] x = inputs.toDoubleArray();
    double[] mean = new double[d], m2 = new double[d];
    for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += x[i * d + j];
    for (int j = 0; j < d; j++) mean[j] /= n;
    // Two passes (mean first) avoid the cancellation of E[x^2] - E[x]^2.
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double c = x[i * d + j] - mean[j];
        m2[j] += c * c;
      }
    }
    double[] std = new double[d];
    for (int j = 0; j < d; j++) {
      std[j] = Math.sqrt(m2[j] / n);
      if (std[j] == 0) std[j] = 1; // constant feature: center only
    }
    return new Standardizer(mean, std);
  }

  /** {@return a copy of the fitted per-feature means} */
  public double[] mean() {
    return mean.clone();
  }

  /** {@return a copy of the fitted per-feature standard deviations (1 where the feature was constant)} */
  public double[] std() {
    return std.clone();
  }

  /** {@return the data set with standardized inputs (targets and labels unchanged; known truth dropped)} */
  public Dataset apply(Dataset data) {
    return data.withInputs(apply(data.inputs()));
  }

  /** {@return standardized copy of {@code inputs}, same shape and dtype} */
  public Tensor apply(Tensor inputs) {
    int d = Dataset.featureCount(inputs);
    if (d != mean.length) {
      throw new IllegalArgumentException("Standardizer.apply: fitted on " + mean.length + " features, got inputs with " + d
          + " features (shape " + java.util.Arrays.toString(inputs.shape()) + ")");
    }
    double[] x = inputs.toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      int j = i % d;
      x[i] = (x[i] - mean[j]) / std[j];
    }
    return Arrays2.tensor(x, inputs.dtype(), inputs.shape());
  }

  /** {@return train and test standardized with the train statistics} */
  public static Split fitApply(Split split) {
    Standardizer s = fit(split.train());
    return new Split(s.apply(split.train()), s.apply(split.test()));
  }
}
