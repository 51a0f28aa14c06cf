package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Exact GELU and its derivative against PyTorch 1.13 (float64), on points on both sides of erf's
 * branch switch (|x| = 2.5 sqrt 2 = 3.54) and in the tails. Generated with:
 * {@code x = torch.tensor([...], dtype=torch.float64, requires_grad=True); y = F.gelu(x); y.sum().backward()}.
 */
class GeluGoldenTest {
  private static final double[] X = {-6.5, -4, -3.6, -3.5, -2, -1, -0.3, 0, 0.3, 1, 2, 3.5, 3.6, 4, 6.5};
  private static final double[] Y = {
    -2.610399119085116e-10, -0.00012668496733247991, -0.0005727909245671903, -0.0008142017766243903,
    -0.04550026389635842, -0.15865525393145702, -0.1146265733433142, 0.0, 0.1853734266566858,
    0.841344746068543, 1.9544997361036416, 3.4991857982233756, 3.599427209075433, 3.9998733150326675,
    6.49999999973896};
  private static final double[] DY = {
    -1.6950518131483907e-09, -0.0005036496612264215, -0.002043738358252026, -0.0028217603536246205,
    -0.08523180107819692, -0.08331547058768635, 0.26767223317289013, 0.5, 0.7323277668271099,
    1.0833154705876864, 1.085231801078197, 1.0028217603536247, 1.0020437383582521, 1.0005036496612265,
    1.0000000016950519};

  @Test
  void geluAndDerivativeMatchPyTorch() {
    Tensor x = Tensor.of(X).requiresGrad(true);
    Tensor y = x.gelu();
    y.sum().backward();
    double[] yv = y.toDoubleArray(), gv = x.grad().toDoubleArray();
    for (int i = 0; i < X.length; i++) {
      // Relative 1e-9: the tails are tiny, so absolute tolerances would hide errors there.
      assertEquals(Y[i], yv[i], 1e-9 * Math.abs(Y[i]) + 1e-300, "gelu(" + X[i] + ")");
      assertEquals(DY[i], gv[i], 1e-9 * Math.abs(DY[i]) + 1e-300, "gelu'(" + X[i] + ")");
    }
  }
}
