package ansatz.autograd.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * maxPool2d on one 2x2 window holding NaN, -inf, signed zeros or ties: value and gradient as
 * PyTorch 1.13 gives them (checked with torch.nn.functional.max_pool2d, kernel 2, stride 2).
 */
class PoolEdgeCasesTest {
  private static void check(DType dt, double[] window, double wantValue, double[] wantGrad) {
    Tensor x = Tensor.of(window, 1, 1, 2, 2).to(dt).detach().requiresGrad(true);
    Tensor y = x.maxPool2d(2, 2, 0);
    y.sum().backward();
    // Compare bit patterns so that NaN and the sign of zero count.
    assertEquals(Double.doubleToLongBits(wantValue), Double.doubleToLongBits(y.item()), "value for " + java.util.Arrays.toString(window));
    assertArrayEquals(wantGrad, x.grad().toDoubleArray(), 0, "gradient for " + java.util.Arrays.toString(window));
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void nanWinsAndTheLastNanGetsTheGradient(DType dt) {
    check(dt, new double[] {1, Double.NaN, 2, Double.NaN}, Double.NaN, new double[] {0, 0, 0, 1});
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void allMinusInfinityGivesMinusInfinityAndTheFirstPixelTheGradient(DType dt) {
    double m = Double.NEGATIVE_INFINITY;
    check(dt, new double[] {m, m, m, m}, m, new double[] {1, 0, 0, 0});
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void tiesGoToTheFirstMaximumKeepingItsSignedZero(DType dt) {
    check(dt, new double[] {-0.0, 0.0, 0.0, -1}, -0.0, new double[] {1, 0, 0, 0});
    check(dt, new double[] {3, 1, 3, 0}, 3, new double[] {1, 0, 0, 0});
  }
}
