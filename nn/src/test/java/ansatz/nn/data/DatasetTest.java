package ansatz.nn.data;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import org.junit.jupiter.api.Test;

class DatasetTest {
  private static Tensor rowsOf(int n, int d) {
    float[] v = new float[n * d];
    for (int i = 0; i < v.length; i++) v[i] = i;
    return Tensor.wrap(v, n, d);
  }

  @Test
  void rowCountMismatchNamesBothCounts() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.regression("toy", rowsOf(5, 3), Tensor.zeros(4, 1)));
    assertTrue(e.getMessage().contains("5") && e.getMessage().contains("4"), e.getMessage());
    assertTrue(e.getMessage().contains("toy"), e.getMessage());
  }

  @Test
  void labelCountMismatchAndRangeAreRejected() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Dataset("toy", rowsOf(3, 2), Tensor.zeros(3, 2), new int[] {0, 1}, 2, null, null));
    assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2 entries"), e.getMessage());
    var e2 = assertThrows(IllegalArgumentException.class,
        () -> Dataset.classification("toy", rowsOf(2, 2), new int[] {0, 5}, 3));
    assertTrue(e2.getMessage().contains("5"), e2.getMessage());
  }

  @Test
  void wrongTrueAgopShapeIsRejected() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Dataset("toy", rowsOf(3, 2), Tensor.zeros(3, 1), null, 0, Tensor.zeros(DType.FLOAT64, 3, 3), null));
    assertTrue(e.getMessage().contains("2 x 2"), e.getMessage());
  }

  @Test
  void classificationHasOneHotTargets() {
    Dataset ds = Dataset.classification("c", rowsOf(3, 2), new int[] {2, 0, 1}, 3);
    assertEquals(3, ds.numClasses());
    assertArrayEquals(new int[] {3, 3}, ds.targets().shape());
    assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, ds.targets().toFloatArray());
    assertTrue(ds.isClassification());
  }

  @Test
  void subsetGathersRowsLabelsAndKeepsTruth() {
    Tensor agop = Tensor.eye(2, DType.FLOAT64);
    Dataset ds = new Dataset("c", rowsOf(4, 2), Tensor.oneHot(new int[] {0, 1, 1, 0}, 2, DType.FLOAT32),
        new int[] {0, 1, 1, 0}, 2, agop, x -> x);
    Dataset sub = ds.subset(new int[] {3, 1});
    assertEquals(2, sub.size());
    assertArrayEquals(new float[] {6, 7, 2, 3}, sub.inputs().toFloatArray());
    assertArrayEquals(new int[] {0, 1}, sub.labels());
    assertTrue(sub.trueAgop().isPresent());
    assertTrue(sub.truePredictor().isPresent());
    var e = assertThrows(IllegalArgumentException.class, () -> ds.subset(new int[] {4}));
    assertTrue(e.getMessage().contains("4"), e.getMessage());
  }

  @Test
  void toConvertsInputsAndTargets() {
    Dataset ds = Dataset.regression("r", rowsOf(2, 2), Tensor.ones(2, 1));
    Dataset d64 = ds.to(DType.FLOAT64);
    assertEquals(DType.FLOAT64, d64.inputs().dtype());
    assertEquals(DType.FLOAT64, d64.targets().dtype());
    assertArrayEquals(new double[] {0, 1, 2, 3}, d64.inputs().toDoubleArray());
    assertSame(ds, ds.to(DType.FLOAT32));
  }

  @Test
  void labelsAreDefensivelyCopied() {
    int[] labels = {0, 1};
    Dataset ds = Dataset.classification("c", rowsOf(2, 1), labels, 2);
    labels[0] = 1;
    ds.labels()[1] = 0;
    assertArrayEquals(new int[] {0, 1}, ds.labels());
  }
}
