package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.testing.GradCheck;
import org.junit.jupiter.api.Test;

class EngineSmokeTest {
  @Test
  void mlpChainGradientsMatchFiniteDifferences() {
    Rng rng = new Rng(1);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 5, 4);
    Tensor w1 = Tensor.randn(rng, DType.FLOAT64, 4, 7).requiresGrad(true);
    Tensor b1 = Tensor.randn(rng, DType.FLOAT64, 7).requiresGrad(true);
    Tensor w2 = Tensor.randn(rng, DType.FLOAT64, 7, 3).requiresGrad(true);
    GradCheck.check("mlp", in -> in[0].matmul(in[1]).add(in[2]).tanh().matmul(in[3]).logSoftmax(1), x, w1, b1, w2);
  }

  @Test
  void backwardAccumulatesIntoLeaves() {
    Tensor w = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
    w.mul(w).sum().backward();
    assertArrayEquals(new double[] {2, 4, 6}, w.grad().toDoubleArray(), 1e-12);
    w.mul(w).sum().backward();
    assertArrayEquals(new double[] {4, 8, 12}, w.grad().toDoubleArray(), 1e-12);
  }

  @Test
  void secondBackwardWithoutRetainFailsClearly() {
    Tensor w = Tensor.of(new double[] {1, 2}).requiresGrad(true);
    Tensor y = w.exp().sum();
    y.backward();
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("freed"), e.getMessage());
  }

  @Test
  void shapeMismatchNamesOpAndShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
    assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
  }
}
