package ansatz.nn.loss;

import static ansatz.nn.TestUtil.assertClose;
import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.autograd.testing.GradCheck;
import ansatz.nn.Golden;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LossTest {
  private static final Golden GOLDEN = Golden.load("/golden/nn_golden.txt");

  private static void checkAgainstGolden(String key, Tensor input, java.util.function.Function<Tensor, Tensor> loss) {
    Tensor x = input.requiresGrad(true);
    Tensor l = loss.apply(x);
    assertArrayEquals(new int[0], l.shape(), "scalar");
    l.backward();
    assertClose(GOLDEN.get(key + ".loss"), l, 1e-13, key + " loss");
    assertClose(GOLDEN.get(key + ".grad"), x.grad(), 1e-13, key + " grad");
  }

  @Test
  void crossEntropyMatchesPyTorch() {
    int[] labels = GOLDEN.ints("ce.labels");
    checkAgainstGolden("ce", GOLDEN.get("ce.logits"), z -> new CrossEntropyLoss().apply(z, labels));
    checkAgainstGolden("ce", GOLDEN.get("ce.logits"), z -> new CrossEntropyLoss().apply(z, GOLDEN.get("ce.labels")));
  }

  @Test
  void crossEntropyIsStableForHugeLogits() {
    int[] labels = GOLDEN.ints("ce.labels");
    checkAgainstGolden("ce_huge", GOLDEN.get("ce.logits").mul(1e4).detach(), z -> new CrossEntropyLoss().apply(z, labels));
    // float32 too: finite loss and gradient rows that sum to zero
    Tensor z = GOLDEN.get("ce.logits").mul(1e4).detach().toFloat32().requiresGrad(true);
    Tensor l = new CrossEntropyLoss().apply(z, labels);
    l.backward();
    assertTrue(Double.isFinite(l.item()));
    assertEquals(GOLDEN.get("ce_huge.loss").item(), l.item(), 1e-6 * GOLDEN.get("ce_huge.loss").item());
    for (double g : z.grad().toDoubleArray()) assertTrue(Double.isFinite(g));
  }

  @Test
  void crossEntropyWithProbabilityTargetsMatchesPyTorch() {
    Tensor target = GOLDEN.get("ce_prob.target");
    checkAgainstGolden("ce_prob", GOLDEN.get("ce.logits"), z -> new CrossEntropyLoss().apply(z, target));
  }

  @Test
  void mseReductionsMatchPyTorch() {
    Tensor target = GOLDEN.get("mse.target");
    checkAgainstGolden("mse_mean", GOLDEN.get("mse.pred"), p -> MSELoss.mean().apply(p, target));
    checkAgainstGolden("mse_half", GOLDEN.get("mse.pred"), p -> MSELoss.halfSumOverBatch().apply(p, target));
  }

  @Test
  void mseHandComputed() {
    Tensor p = Tensor.of(new double[][] {{1, 2}, {3, 4}, {0, 0}});
    Tensor y = Tensor.of(new double[][] {{0, 2}, {1, 4}, {0, 3}});
    // squared errors 1, 0, 4, 0, 0, 9: sum 14
    assertEquals(14.0 / 6, MSELoss.mean().apply(p, y).item(), 1e-15);
    assertEquals(14.0 / (2 * 3), MSELoss.halfSumOverBatch().apply(p, y).item(), 1e-15);
    assertEquals(14.0, MSELoss.sum().apply(p, y).item(), 1e-15);
  }

  @Test
  void badInputsGiveClearErrors() {
    Tensor z = Tensor.zeros(DType.FLOAT64, 3, 4);
    CrossEntropyLoss ce = new CrossEntropyLoss();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ce.apply(z, new int[] {0, 4, 1})).getMessage().contains("label 4 at position 1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ce.apply(z, new int[] {0, -1, 1})).getMessage().contains("label -1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ce.apply(z, new int[] {0, 1})).getMessage().contains("2 labels for 3 rows"));
    assertThrows(IllegalArgumentException.class, () -> ce.apply(Tensor.zeros(4), new int[] {0}));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ce.apply(z, Tensor.of(new double[] {0, 1.5, 2}))).getMessage().contains("1.5"));
    assertThrows(IllegalArgumentException.class, () -> ce.apply(z, Tensor.zeros(3, 5)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MSELoss.mean().apply(z, Tensor.zeros(DType.FLOAT64, 3, 1)));
    assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[3, 1]"), e.getMessage());
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.of(1, 7, 8, 9, 15, 17);
  }

  @Property(tries = 20)
  void lossGradientsMatchFiniteDifferences(@ForAll("sizes") int n, @ForAll("sizes") int c, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Tensor z = Tensor.randn(rng, DType.FLOAT64, n, c).mul(3).detach().requiresGrad(true);
    Tensor y = Tensor.randn(rng, DType.FLOAT64, n, c);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) labels[i] = rng.nextInt(c);
    GradCheck.check("cross_entropy", t -> new CrossEntropyLoss().apply(t[0], labels), z);
    GradCheck.check("mse_mean", t -> MSELoss.mean().apply(t[0], y), z);
    GradCheck.check("mse_half", t -> MSELoss.halfSumOverBatch().apply(t[0], y), z);
  }
}
