package ansatz.nn.data;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PreprocessTest {
  /** n samples, label i mod c, row i = (i, -i, 1). */
  private static Dataset labelled(int n, int c) {
    double[][] rows = new double[n][];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = new double[] {i, -i, 1};
      labels[i] = i % c;
    }
    return Dataset.classification("lab", Tensor.of(rows), labels, c);
  }

  @Test
  void scaleToUnitIntervalUsesTrainRange() {
    Dataset train = Dataset.regression("tr", Tensor.of(new double[][] {{0, 5}, {10, 5}}), Tensor.zeros(DType.FLOAT64, 2, 1));
    Dataset test = Dataset.regression("te", Tensor.of(new double[][] {{20, 6}}), Tensor.zeros(DType.FLOAT64, 1, 1));
    Split s = Preprocess.scaleToUnitInterval(new Split(train, test));
    assertArrayEquals(new double[] {0, 0, 1, 0}, s.train().inputs().toDoubleArray());
    assertArrayEquals(new double[] {2, 1}, s.test().inputs().toDoubleArray(), "test scaled with train min/max");
  }

  @Test
  void flattenKeepsValuesAndTruth() {
    Tensor x = Tensor.arange(0, 24, 1, DType.FLOAT32).reshape(2, 3, 2, 2);
    Dataset images = Dataset.classification("img", x, new int[] {0, 1}, 2)
        .withTruth(Tensor.eye(12, DType.FLOAT64), null);
    Dataset flat = Preprocess.flatten(images);
    assertArrayEquals(new int[] {2, 12}, flat.inputs().shape());
    assertArrayEquals(x.toFloatArray(), flat.inputs().toFloatArray());
    assertTrue(flat.trueAgop().isPresent());
  }

  @Property(tries = 30)
  void unitNormRows(@ForAll @IntRange(min = 1, max = 20) int n, @ForAll @IntRange(min = 1, max = 9) int d, @ForAll long seed) {
    Tensor x = Tensor.randn(new Rng(seed), n, d);
    Tensor u = Preprocess.unitNormRows(Dataset.regression("r", x, Tensor.zeros(n, 1))).inputs();
    for (int i = 0; i < n; i++) {
      double s = 0, dot = 0, nx = 0;
      for (int j = 0; j < d; j++) {
        s += u.get(i, j) * u.get(i, j);
        dot += u.get(i, j) * x.get(i, j);
        nx += x.get(i, j) * x.get(i, j);
      }
      assertEquals(1, s, 1e-5);
      assertEquals(Math.sqrt(nx), dot, 1e-4 * (1 + nx), "same direction");
    }
  }

  @Test
  void zeroRowStaysZero() {
    Tensor u = Preprocess.unitNormRows(Dataset.regression("r", Tensor.zeros(2, 3), Tensor.zeros(2, 1))).inputs();
    assertArrayEquals(new float[6], u.toFloatArray());
  }

  @Test
  void keepClassesRelabelsInListOrder() {
    Dataset ds = labelled(10, 4);
    Dataset kept = Preprocess.keepClasses(ds, 3, 1);
    // rows with label 1: 1, 5, 9; label 3: 3, 7 -> file order 1, 3, 5, 7, 9
    assertArrayEquals(new int[] {1, 0, 1, 0, 1}, kept.labels());
    assertEquals(2, kept.numClasses());
    assertEquals(3.0, kept.inputs().get(1, 0));
    assertArrayEquals(new int[] {5, 2}, kept.targets().shape());
    assertEquals(1.0, kept.targets().get(1, 0));
    assertThrows(IllegalArgumentException.class, () -> Preprocess.keepClasses(ds, 4));
    assertThrows(IllegalArgumentException.class, () -> Preprocess.keepClasses(ds, 1, 1));
  }

  @Test
  void balancedSubsampleIsSeededAndBalanced() {
    Dataset ds = labelled(40, 3);
    Dataset a = Preprocess.balancedSubsample(ds, 5, new Rng(1));
    Dataset b = Preprocess.balancedSubsample(ds, 5, new Rng(1));
    Dataset c = Preprocess.balancedSubsample(ds, 5, new Rng(2));
    assertEquals(15, a.size());
    int[] counts = new int[3];
    for (int y : a.labels()) counts[y]++;
    assertArrayEquals(new int[] {5, 5, 5}, counts);
    assertArrayEquals(a.inputs().toFloatArray(), b.inputs().toFloatArray());
    assertFalse(java.util.Arrays.equals(a.inputs().toFloatArray(), c.inputs().toFloatArray()));
    for (int i = 0; i < a.size(); i++) assertEquals(a.labels()[i], (int) a.inputs().get(i, 0) % 3, "rows keep their labels");
    var e = assertThrows(IllegalArgumentException.class, () -> Preprocess.balancedSubsample(ds, 14, new Rng(0)));
    assertTrue(e.getMessage().contains("class 1") && e.getMessage().contains("13"), e.getMessage());
  }

  @Test
  void targetEncodings() {
    Dataset ds = labelled(3, 3);
    assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, Preprocess.oneHotTargets(ds).targets().toDoubleArray());
    double t = 1.0 / 3;
    assertArrayEquals(new double[] {1 - t, -t, -t, -t, 1 - t, -t, -t, -t, 1 - t},
        Preprocess.centeredOneHotTargets(ds).targets().toDoubleArray(), 1e-15);
    assertArrayEquals(new double[] {1, -1, -1, -1, 1, -1, -1, -1, 1}, Preprocess.plusMinusOneTargets(ds).targets().toDoubleArray());
    assertEquals(DType.FLOAT64, Preprocess.plusMinusOneTargets(ds).targets().dtype());
    Dataset reg = Dataset.regression("r", Tensor.zeros(2, 2), Tensor.zeros(2, 1));
    var e = assertThrows(IllegalArgumentException.class, () -> Preprocess.centeredOneHotTargets(reg));
    assertTrue(e.getMessage().contains("regression"), e.getMessage());
  }

  @Test
  void standardizeSplitAndDropTruth() {
    Split s = Synthetic.builder("x1x2").d(4).n(100).nTest(50).seed(1).build();
    Split z = Preprocess.standardize(s);
    assertTrue(s.train().trueAgop().isPresent());
    assertTrue(z.train().trueAgop().isEmpty(), "the truth refers to the raw inputs");
    Standardizer fitted = Standardizer.fit(s.train());
    assertArrayEquals(fitted.apply(s.test().inputs()).toFloatArray(), z.test().inputs().toFloatArray());
  }
}
