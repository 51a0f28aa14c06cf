package ansatz.nn.rfm;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad input fails before any work, with a message naming the operation and the problem. */
class BadInputTest {
  final Rng rng = new Rng(1);
  final Tensor x = Tensor.randn(rng, DType.FLOAT64, 10, 3);
  final Tensor y = Tensor.randn(rng, DType.FLOAT64, 10, 2);
  final RfmOptions options = RfmOptions.defaults().withIterations(1);

  static void assertMessage(String part, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
  }

  @Test
  void data() {
    assertMessage("Rfm.fit: xTrain has no samples", () -> Rfm.fit(Tensor.zeros(DType.FLOAT64, 0, 3), Tensor.zeros(DType.FLOAT64, 0), options));
    assertMessage("has no features", () -> Rfm.fit(Tensor.zeros(DType.FLOAT64, 4, 0), Tensor.zeros(DType.FLOAT64, 4), options));
    assertMessage("2-D", () -> Rfm.fit(x.flatten(), y, options));
    Tensor nan = x.copyData();
    nan.set(Double.NaN, 4, 2);
    assertMessage("xTrain has a non-finite value NaN at row 4, column 2", () -> Rfm.fit(nan, y, options));
    Tensor inf = x.copyData();
    inf.set(Double.POSITIVE_INFINITY, 0, 0);
    assertMessage("non-finite value Infinity", () -> KernelRidge.fit(inf, y, Kernel.laplace(1), 1e-3));
    assertMessage("yTrain has 9 rows but the data have 10 samples", () -> Rfm.fit(x, y.narrow(0, 0, 9), options));
    Tensor yNan = y.copyData();
    yNan.set(Double.NaN, 1, 1);
    assertMessage("yTrain has a non-finite value", () -> Rfm.fit(x, yNan, options));
    assertMessage("xTrain has 3 features but xTest has 2", () -> Rfm.fit(x, y, x.narrow(1, 0, 2), y, options));
    assertMessage("give both xTest and yTest", () -> Rfm.fit(x, y, x, null, options));
    assertMessage("yTest has 3 rows", () -> Rfm.fit(x, y, x, y.narrow(0, 0, 3), options));
    assertMessage("yTrain has 2 outputs but yTest has 1", () -> Rfm.fit(x, y, x, y.narrow(1, 0, 1), options));
    assertMessage("x has 2 features but the training data has 3", () -> KernelRidge.fit(x, y, Kernel.laplace(1), 1e-3).predict(x.narrow(1, 0, 2)));
    assertMessage("labels for 10 rows", () -> DeepRfm.fit(x, new int[3], 2, DeepRfmOptions.defaults()));
    assertMessage("outside [0, 2)", () -> DeepRfm.fit(x, new int[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 5}, 2, DeepRfmOptions.defaults()));
    assertMessage("class 1 has no samples", () -> DeepRfm.fit(x, new int[10], 2, DeepRfmOptions.defaults()));
  }

  @Test
  void settings() {
    assertMessage("bandwidth L must be finite and > 0, got 0.0", () -> Kernel.laplace(0));
    assertMessage("bandwidth L must be finite and > 0, got -1.0", () -> RfmOptions.defaults().withBandwidth(-1));
    assertMessage("bandwidth L must be finite and > 0, got NaN", () -> Kernel.gaussian(Double.NaN));
    assertMessage("ridge lambda must be finite and >= 0, got -0.001", () -> RfmOptions.defaults().withRidge(-1e-3));
    assertMessage("ridge lambda must be finite and >= 0", () -> KernelRidge.fit(x, y, Kernel.laplace(1), -1));
    assertMessage("iterations must be >= 0", () -> RfmOptions.defaults().withIterations(-1));
    assertMessage("agopSamples must be > 0", () -> RfmOptions.defaults().withAgopSamples(0));
    assertMessage("width must be > 0", () -> DeepRfmOptions.defaults().withWidth(0));
    assertMessage("Rfm.fit: options is null", () -> Rfm.fit(x, y, null));
  }

  @Test
  void metric() {
    Kernel k = Kernel.laplace(1);
    assertMessage("metric M must be a square matrix, got shape [3, 2]", () -> KernelRidge.fit(x, y, k, Tensor.ones(DType.FLOAT64, 3, 2), 1e-3));
    assertMessage("metric M is 4 x 4 but the data have 3 features", () -> KernelRidge.fit(x, y, k, Tensor.eye(4, DType.FLOAT64), 1e-3));
    assertMessage("metric M is not symmetric: M[0][1] = 1.0 but M[1][0] = 0.0",
        () -> KernelRidge.fit(x, y, k, Tensor.of(new double[][] {{1, 1, 0}, {0, 1, 0}, {0, 0, 1}}), 1e-3));
    Tensor nan = Tensor.eye(3, DType.FLOAT64);
    nan.set(Double.NaN, 2, 2);
    assertMessage("metric M has a non-finite entry", () -> KernelMatrix.of(x, x, nan, k));
    assertMessage("metric M must be a square matrix", () -> KernelMatrix.of(x, x, Tensor.ones(DType.FLOAT64, 3), k));
    // Rounding-level asymmetry of a float32 matrix is accepted.
    Tensor m = Fixtures.randomMetric(rng, 3).toFloat32();
    assertDoesNotThrow(() -> KernelRidge.fit(x, y, k, m, 1e-3));
  }
}
