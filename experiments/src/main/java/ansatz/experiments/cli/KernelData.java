package ansatz.experiments.cli;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import ansatz.nn.data.DataException;
import ansatz.nn.data.DataSpec;
import ansatz.nn.data.Dataset;
import ansatz.nn.data.Preprocess;
import ansatz.nn.data.Split;
import ansatz.nn.data.Splits;
import java.util.Arrays;

/**
 * The training and evaluation data of the kernel-machine commands ({@code rfm}, {@code deep-rfm}),
 * loaded from {@code --data} / {@code --test-data} specs the way {@code train} loads them (the
 * data's own test split, else a seeded 20% hold-out), with inputs flattened to samples x features.
 * Every problem is an {@link IllegalArgumentException} naming the option.
 *
 * @param train the training set (inputs n x d)
 * @param test the evaluation set (inputs m x d, may be empty)
 * @param testName where the evaluation set came from, for summary.json
 */
record KernelData(Dataset train, Dataset test, String testName) {
  /**
   * @param data the --data spec
   * @param testData the --test-data spec, or null
   * @param seed seed of the hold-out split
   */
  static KernelData load(String data, String testData, long seed) {
    Split split = loadSpec("--data", data);
    Dataset train = split.train(), test = split.test();
    String testName;
    if (testData != null) {
      test = loadSpec("--test-data", testData).test();
      testName = testData;
    } else if (test.size() == 0 && train.size() >= 2) {
      Split held = Splits.holdOut(train, 0.2, seed);
      train = held.train();
      test = held.test();
      testName = "20% hold-out of --data (seed " + seed + ")";
    } else {
      testName = test.name();
    }
    if (train.size() == 0) throw new IllegalArgumentException("--data " + data + ": no training samples");
    train = flat(train);
    test = flat(test);
    if (test.size() > 0) {
      if (test.featureCount() != train.featureCount()) {
        throw new IllegalArgumentException("--test-data: " + test.featureCount() + " features per sample, but --data has " + train.featureCount());
      }
      if (test.targets().size(1) != train.targets().size(1)) {
        throw new IllegalArgumentException("--test-data: " + test.targets().size(1) + " target columns, but --data has " + train.targets().size(1)
            + (train.isClassification() ? " classes" : ""));
      }
      if (test.isClassification() != train.isClassification()) {
        throw new IllegalArgumentException("--test-data is " + (test.isClassification() ? "classification" : "regression")
            + " data but --data is " + (train.isClassification() ? "classification" : "regression") + " data");
      }
    }
    checkFinite("--data", train.inputs());
    checkFinite("--data (targets)", train.targets());
    if (test.size() > 0) {
      checkFinite("--test-data", test.inputs());
      checkFinite("--test-data (targets)", test.targets());
    }
    return new KernelData(train, test, testName);
  }

  private static Split loadSpec(String option, String spec) {
    try {
      return DataSpec.parse(spec).load();
    } catch (DataException | IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  /** Images (n x C x H x W) become rows of C*H*W features; 2-D inputs are kept. */
  private static Dataset flat(Dataset d) {
    return d.inputs().dim() > 2 ? Preprocess.flatten(d) : d;
  }

  /** The first non-finite value, named by option, row and column (before any long computation). */
  private static void checkFinite(String option, Tensor t) {
    int cols = t.numel() / Math.max(1, t.size(0));
    if (t.dtype() == DType.FLOAT32) {
      float[] v = t.floats(); // no float64 copy of a large image set
      for (int i = 0; i < v.length; i++) if (!Float.isFinite(v[i])) throw nonFinite(option, t, v[i], i, cols);
    } else {
      double[] v = t.doubles();
      for (int i = 0; i < v.length; i++) if (!Double.isFinite(v[i])) throw nonFinite(option, t, v[i], i, cols);
    }
  }

  private static IllegalArgumentException nonFinite(String option, Tensor t, double value, int i, int cols) {
    return new IllegalArgumentException(option + ": non-finite value " + value + " at sample " + i / cols + ", feature " + i % cols
        + " (shape " + Arrays.toString(t.shape()) + ")");
  }

  /** @return whether there is an evaluation set */
  boolean hasTest() {
    return test.size() > 0;
  }
}
