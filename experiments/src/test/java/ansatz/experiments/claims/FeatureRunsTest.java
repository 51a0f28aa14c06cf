package ansatz.experiments.claims;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.Tensor;
import ansatz.nn.data.Dataset;
import ansatz.nn.data.Split;
import org.junit.jupiter.api.Test;

/** The per-channel input standardization the alignment experiments apply to Fashion-MNIST. */
class FeatureRunsTest {
  @Test
  void standardizePerChannelUsesTheTrainingPixelsOnly() {
    // Train pixels 0..5 (mean 2.5, (n - 1) std sqrt(3.5)), test pixels shifted by 10.
    Dataset train = Dataset.classification("train", Tensor.of(new double[] {0, 1, 2, 3, 4, 5}, 2, 3), new int[] {0, 1}, 2);
    Dataset test = Dataset.classification("test", Tensor.of(new double[] {10, 11, 12}, 1, 3), new int[] {1}, 2);
    Split s = FeatureRuns.standardizePerChannel(new Split(train, test));
    double std = Math.sqrt(3.5);
    double[] x = s.train().inputs().toDoubleArray();
    for (int i = 0; i < x.length; i++) assertEquals((i - 2.5) / std, x[i], 1e-12);
    double[] t = s.test().inputs().toDoubleArray();
    for (int i = 0; i < t.length; i++) assertEquals((10 + i - 2.5) / std, t[i], 1e-12);
    assertArrayEquals(train.labels(), s.train().labels());
  }

  @Test
  void constantInputsAreRejectedByName() {
    Dataset train = Dataset.classification("train", Tensor.of(new double[] {1, 1, 1, 1}, 2, 2), new int[] {0, 1}, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureRuns.standardizePerChannel(new Split(train, train)));
    assertTrue(e.getMessage().contains("constant"), e.getMessage());
  }
}
