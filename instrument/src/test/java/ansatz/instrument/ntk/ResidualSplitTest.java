package ansatz.instrument.ntk;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Module;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ResidualSplitTest {
  @Property(tries = 20)
  void fractionsSumToOneAndNormsAddUp(@ForAll @IntRange(min = 2, max = 12) int n, @ForAll @IntRange(min = 1, max = 3) int c,
      @ForAll @IntRange(min = 1, max = 4) int kWanted, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Module model = Models.ntkMlp(new int[] {3, 16, c}, Activation.TANH, true, rng).to(DType.FLOAT64);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, 3), y = Tensor.randn(rng, DType.FLOAT64, n, c);
    int k = Math.min(kWanted, n * c);
    ResidualSplit split = ResidualSplit.measure(model, x, y, k);
    assertEquals(1, split.topFraction() + split.restFraction(), 1e-14);
    double r2 = model.call(x).sub(y).square().sum().item();
    assertEquals(r2, split.totalSquaredNorm(), 1e-10 * r2);
    assertTrue(split.topSquaredNorm() >= 0 && split.restSquaredNorm() >= 0);
  }

  @Test
  void residualAlongAnEigenvectorIsAllTop() {
    TopEigen e = Lanczos.top(Tensor.of(new double[][] {{3, 1, 0}, {1, 3, 0}, {0, 0, 1}}), 1);
    // top eigenvector (1,1,0)/sqrt 2
    ResidualSplit along = ResidualSplit.of(e, Tensor.of(2.0, 2.0, 0.0));
    assertEquals(1, along.topFraction(), 1e-12);
    assertEquals(8, along.topSquaredNorm(), 1e-12);
    ResidualSplit across = ResidualSplit.of(e, Tensor.of(1.0, -1.0, 3.0));
    assertEquals(0, across.topFraction(), 1e-12);
    assertEquals(11, across.restSquaredNorm(), 1e-12);
    ResidualSplit half = ResidualSplit.of(e, Tensor.of(1.0, 0.0, 0.0));
    assertEquals(0.5, half.topFraction(), 1e-12);
  }

  @Test
  void wrongResidualSizeIsNamed() {
    TopEigen e = Lanczos.top(Tensor.eye(3, DType.FLOAT64), 1);
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ResidualSplit.of(e, Tensor.ones(DType.FLOAT64, 4)));
    assertTrue(ex.getMessage().contains("[4]"), ex.getMessage());
  }
}
