package ansatz.nn.data;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class StandardizerTest {
  @Test
  void statisticsComeFromTrainOnly() {
    Dataset train = Dataset.regression("tr", Tensor.of(new double[][] {{1, 10}, {3, 10}}), Tensor.zeros(DType.FLOAT64, 2, 1));
    Dataset test = Dataset.regression("te", Tensor.of(new double[][] {{100, 7}, {-100, 13}}), Tensor.zeros(DType.FLOAT64, 2, 1));
    Standardizer s = Standardizer.fit(train);
    assertArrayEquals(new double[] {2, 10}, s.mean());
    assertArrayEquals(new double[] {1, 1}, s.std(), "population std 1; the constant feature gets 1");
    Split out = Standardizer.fitApply(new Split(train, test));
    assertArrayEquals(new double[] {-1, 0, 1, 0}, out.train().inputs().toDoubleArray());
    // test is shifted/scaled by the train statistics, not its own (its own mean would be (0, 10))
    assertArrayEquals(new double[] {98, -3, -102, 3}, out.test().inputs().toDoubleArray());
    assertEquals(DType.FLOAT64, out.test().inputs().dtype());
  }

  @Property(tries = 30)
  void standardizedTrainHasZeroMeanUnitStd(@ForAll @IntRange(min = 2, max = 40) int n,
                                           @ForAll @IntRange(min = 1, max = 9) int d, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, d).mul(3).add(5);
    Tensor z = Standardizer.fit(x).apply(x);
    double[] v = z.toDoubleArray();
    for (int j = 0; j < d; j++) {
      double mean = 0, sq = 0;
      for (int i = 0; i < n; i++) mean += v[i * d + j] / n;
      for (int i = 0; i < n; i++) sq += Math.pow(v[i * d + j] - mean, 2) / n;
      assertEquals(0, mean, 1e-9);
      assertEquals(1, sq, 1e-9);
    }
  }

  @Test
  void imagesAreStandardizedPerPixelAndWrongWidthIsRejected() {
    Tensor x = Tensor.arange(0, 16, 1, DType.FLOAT32).reshape(4, 1, 2, 2);
    Standardizer s = Standardizer.fit(x);
    assertEquals(4, s.mean().length);
    assertArrayEquals(new int[] {4, 1, 2, 2}, s.apply(x).shape());
    var e = assertThrows(IllegalArgumentException.class, () -> s.apply(Tensor.zeros(3, 5)));
    assertTrue(e.getMessage().contains("4 features") && e.getMessage().contains("5 features"), e.getMessage());
  }

  @Test
  void holdOutIsSeededDisjointAndComplete() {
    Dataset ds = Dataset.regression("r", Tensor.arange(0, 30, 1, DType.FLOAT32).reshape(30, 1), Tensor.zeros(30, 1));
    Split a = Splits.holdOut(ds, 7), b = Splits.holdOut(ds, 7), c = Splits.holdOut(ds, 8);
    assertEquals(24, a.train().size());
    assertEquals(6, a.test().size());
    assertArrayEquals(a.test().inputs().toFloatArray(), b.test().inputs().toFloatArray());
    assertFalse(Arrays.equals(a.test().inputs().toFloatArray(), c.test().inputs().toFloatArray()));
    float[] all = new float[30];
    System.arraycopy(a.train().inputs().toFloatArray(), 0, all, 0, 24);
    System.arraycopy(a.test().inputs().toFloatArray(), 0, all, 24, 6);
    Arrays.sort(all);
    for (int i = 0; i < 30; i++) assertEquals(i, all[i]);
    assertThrows(IllegalArgumentException.class, () -> Splits.holdOut(ds, 1.0, 0));
  }
}
