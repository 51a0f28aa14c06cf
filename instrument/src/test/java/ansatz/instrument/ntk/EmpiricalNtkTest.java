package ansatz.instrument.ntk;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.instrument.math.Matrices;
import ansatz.nn.Activation;
import ansatz.nn.Conv2d;
import ansatz.nn.Flatten;
import ansatz.nn.MaxPool2d;
import ansatz.nn.ReLU;
import ansatz.nn.Tanh;
import ansatz.nn.Linear;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.Parameter;
import ansatz.nn.Parameterization;
import ansatz.nn.Sequential;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class EmpiricalNtkTest {
  /** A float64 MLP with the given hidden widths. */
  static Module mlp(int in, int[] hidden, int out, Activation act, boolean bias, Parameterization param, Rng rng) {
    int[] widths = new int[hidden.length + 2];
    widths[0] = in;
    System.arraycopy(hidden, 0, widths, 1, hidden.length);
    widths[widths.length - 1] = out;
    return Models.mlp(widths, act, bias, null, param, rng).to(DType.FLOAT64);
  }

  static void assertClose(double[] want, double[] got, double rel, String what) {
    assertEquals(want.length, got.length, what + ": sizes");
    double scale = 0;
    for (double v : want) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], rel * Math.max(scale, 1e-300), what + ": entry " + i + " (scale " + scale + ")");
    }
  }

  @Property(tries = 30)
  void gammaHConstructionEqualsPerSampleJacobian(
      @ForAll @IntRange(min = 1, max = 6) int n,
      @ForAll @IntRange(min = 1, max = 7) int in,
      @ForAll @IntRange(min = 1, max = 3) int depth,
      @ForAll @IntRange(min = 1, max = 3) int out,
      @ForAll boolean bias,
      @ForAll boolean tanh,
      @ForAll boolean ntkParam,
      @ForAll long seed) {
    Rng rng = new Rng(seed);
    int[] hidden = new int[depth - 1];
    for (int l = 0; l < hidden.length; l++) hidden[l] = 1 + rng.nextInt(9);
    Module model = mlp(in, hidden, out, tanh ? Activation.TANH : Activation.RELU, bias,
        ntkParam ? Parameterization.NTK : Parameterization.STANDARD, rng);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, in);
    EmpiricalNtk ntk = EmpiricalNtk.compute(model, x);
    assertEquals(n * out, ntk.size());
    assertClose(ParameterJacobian.ntk(model, x), ntk.matrix().toDoubleArray(), 1e-10, model.toString());
  }

  @Property(tries = 12)
  void convNetworkEqualsPerSampleJacobian(
      @ForAll @IntRange(min = 1, max = 4) int n,
      @ForAll @IntRange(min = 1, max = 3) int out,
      @ForAll boolean bias,
      @ForAll boolean ntkParam,
      @ForAll boolean pool,
      @ForAll long seed) {
    Rng rng = new Rng(seed);
    Parameterization param = ntkParam ? Parameterization.NTK : Parameterization.STANDARD;
    // (n,2,6,7) -conv3x3 pad1-> (n,3,6,7) -tanh-> [maxpool 2 -> (n,3,3,3)] -conv 2x3 stride 2 dilation 1-> ...
    Conv2d c1 = new Conv2d(2, 3, 3, 3, 1, 1, 1, bias, null, param, rng);
    Conv2d c2 = new Conv2d(3, 2, 2, 3, pool ? 1 : 2, 0, 1, bias, null, param, rng);
    int h2 = pool ? 3 - 2 + 1 : (6 - 2) / 2 + 1, w2 = pool ? 3 - 3 + 1 : (7 - 3) / 2 + 1;
    Sequential net = new Sequential(c1, new Tanh());
    if (pool) net.add(new MaxPool2d(2));
    net.add(c2).add(new ReLU()).add(new Flatten()).add(new Linear(2 * h2 * w2, out, bias, null, param, rng));
    net.to(DType.FLOAT64);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, 2, 6, 7);
    EmpiricalNtk ntk = EmpiricalNtk.compute(net, x);
    assertEquals(n * out, ntk.size());
    assertClose(ParameterJacobian.ntk(net, x), ntk.matrix().toDoubleArray(), 1e-10, net.toString());
  }

  @Test
  void oneDimensionalOutputCountsAsOneOutput() {
    Rng rng = new Rng(11);
    Sequential inner = (Sequential) mlp(3, new int[] {5}, 1, Activation.TANH, true, Parameterization.NTK, rng);
    Module squeezed = new Module() {
      {
        registerModule("net", inner);
      }

      @Override
      protected Tensor forward(Tensor x) {
        return inner.call(x).reshape(x.size(0));
      }
    };
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 4, 3);
    EmpiricalNtk a = EmpiricalNtk.compute(squeezed, x), b = EmpiricalNtk.compute(inner, x);
    assertEquals(1, a.outputCount());
    assertArrayEquals(b.matrix().toDoubleArray(), a.matrix().toDoubleArray(), 0);
  }

  @Test
  void float32ModelAgreesWithItsFloat64Copy() {
    Rng rng = new Rng(5);
    Module m32 = Models.mlp(new int[] {4, 16, 2}, Activation.RELU, true, rng);
    Tensor x = Tensor.randn(new Rng(6), 8, 4);
    double[] t32 = EmpiricalNtk.compute(m32, x).matrix().toDoubleArray();
    double[] t64 = EmpiricalNtk.compute(m32.to(DType.FLOAT64), x.toFloat64()).matrix().toDoubleArray();
    assertClose(t64, t32, 1e-5, "float32 vs float64");
  }

  @Test
  void thetaIsSymmetricPsdAndDoesNotTouchGradients() {
    Rng rng = new Rng(7);
    Module model = mlp(5, new int[] {8, 8}, 3, Activation.RELU, true, Parameterization.STANDARD, rng);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 6, 5);
    EmpiricalNtk ntk = EmpiricalNtk.compute(model, x);
    double[] t = ntk.matrix().toDoubleArray();
    int s = ntk.size();
    for (int i = 0; i < s; i++) for (int j = 0; j < s; j++) assertEquals(t[i * s + j], t[j * s + i], 0.0);
    assertTrue(ntk.exactEigen().values()[0] > -1e-12 * ntk.lambdaMax());
    for (Parameter p : model.parameters()) assertNull(p.grad(), "EmpiricalNtk must not accumulate into .grad");
    // entry(i,k,j,k') is the (i*c+k, j*c+k') element
    assertEquals(t[ntk.index(2, 1) * s + ntk.index(4, 2)], ntk.entry(2, 1, 4, 2), 0.0);
    // predictions are the model outputs
    assertArrayEquals(model.call(x).toDoubleArray(), ntk.predictions().toDoubleArray(), 0.0);
  }

  @Test
  void rejectsParametersOutsideLinearLayers() {
    Module scaled = new Module() {
      final Parameter s = registerParameter("scale", new Parameter(Tensor.ones(DType.FLOAT64, 1)));
      final Linear lin = registerModule("lin", new Linear(2, 1, false, new Rng(1)));

      @Override
      protected Tensor forward(Tensor x) {
        return lin.call(x).mul(s.tensor());
      }
    };
    scaled.to(DType.FLOAT64);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmpiricalNtk.compute(scaled, Tensor.zeros(DType.FLOAT64, 3, 2)));
    assertTrue(e.getMessage().contains("scale"), e.getMessage());
  }

  @Test
  void rejectsSharedLayer() {
    Linear lin = new Linear(3, 3, false, new Rng(2));
    Module twice = new Module() {
      {
        registerModule("lin", lin);
      }

      @Override
      protected Tensor forward(Tensor x) {
        return lin.call(lin.call(x).tanh());
      }
    };
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmpiricalNtk.compute(twice, Tensor.ones(2, 3)));
    assertTrue(e.getMessage().contains("ran 2 times"), e.getMessage());
  }

  @Test
  void rejectsOutputsThatAreNotPerSampleRows() {
    Module model = Models.mlp(new int[] {3, 2}, Activation.RELU, false, new Rng(3));
    Module summed = new Module() {
      {
        registerModule("m", model);
      }

      @Override
      protected Tensor forward(Tensor x) {
        return model.call(x).sum();
      }
    };
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmpiricalNtk.compute(summed, Tensor.ones(4, 3)));
    assertTrue(e.getMessage().contains("(n) or (n, c)"), e.getMessage());
  }

  @Test
  void lambdaMaxByLanczosEqualsDenseEigenvalue() {
    Rng rng = new Rng(9);
    Module model = mlp(6, new int[] {32}, 2, Activation.RELU, true, Parameterization.NTK, rng);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 20, 6);
    EmpiricalNtk ntk = EmpiricalNtk.compute(model, x);
    Matrices.Eigen dense = ntk.exactEigen();
    double[] d = dense.values();
    TopEigen top = ntk.top(4);
    for (int j = 0; j < 4; j++) assertEquals(d[d.length - 1 - j], top.values()[j], 1e-10 * d[d.length - 1]);
  }
}
