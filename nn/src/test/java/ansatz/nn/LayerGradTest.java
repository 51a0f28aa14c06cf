package ansatz.nn;

import static ansatz.nn.TestUtil.assertClose;
import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.autograd.testing.GradCheck;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Every layer's gradients (input and parameters) against float64 finite differences. */
class LayerGradTest {
  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.of(1, 7, 8, 9, 15, 17);
  }

  @Provide
  Arbitrary<Activation> activations() {
    return Arbitraries.of(Activation.class);
  }

  @Property(tries = 25)
  void linearGradients(@ForAll("sizes") int in, @ForAll("sizes") int out, @ForAll @IntRange(min = 1, max = 9) int batch,
      @ForAll boolean bias, @ForAll boolean ntk, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Linear lin = (Linear) new Linear(in, out, bias, null, ntk ? Parameterization.NTK : Parameterization.STANDARD, rng).to(DType.FLOAT64);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, batch, in).requiresGrad(true);
    Tensor w = lin.weight().tensor();
    if (bias) {
      GradCheck.check("linear", t -> lin.call(t[0]), x, w, lin.bias().tensor());
    } else {
      GradCheck.check("linear", t -> lin.call(t[0]), x, w);
    }
  }

  @Property(tries = 20)
  void linearComputesTheFormula(@ForAll("sizes") int in, @ForAll("sizes") int out, @ForAll @IntRange(min = 1, max = 5) int batch,
      @ForAll boolean ntk, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Linear lin = (Linear) new Linear(in, out, true, null, ntk ? Parameterization.NTK : Parameterization.STANDARD, rng).to(DType.FLOAT64);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 2, batch, in); // extra leading axis: (..., in) -> (..., out)
    double[][] w = new double[out][in];
    for (int o = 0; o < out; o++) for (int i = 0; i < in; i++) w[o][i] = lin.weight().tensor().get(o, i);
    double scale = ntk ? 1 / Math.sqrt(in) : 1;
    Tensor y = lin.call(x);
    assertArrayEquals(new int[] {2, batch, out}, y.shape());
    for (int a = 0; a < 2; a++) {
      for (int n = 0; n < batch; n++) {
        for (int o = 0; o < out; o++) {
          double s = 0;
          for (int i = 0; i < in; i++) s += x.get(a, n, i) * w[o][i];
          assertEquals(s * scale + lin.bias().tensor().get(o), y.get(a, n, o), 1e-12);
        }
      }
    }
  }

  @Property(tries = 30)
  void activationGradients(@ForAll("activations") Activation act, @ForAll("sizes") int n, @ForAll @IntRange(min = 1, max = 9) int batch,
      @ForAll long seed) {
    Module m = act.create();
    Tensor x = Tensor.randn(new Rng(seed), DType.FLOAT64, batch, n).mul(2).detach();
    // Keep ReLU-like kinks away from the finite-difference step.
    try (var off = ansatz.autograd.Grad.disabled()) {
      x = Tensor.where(x.abs().lt(1e-3), x.add(1e-2), x).copyData();
    }
    x.requiresGrad(true);
    GradCheck.check(act.name(), t -> m.call(t[0]), x);
  }

  @Property(tries = 20)
  void flattenGradientsAndShape(@ForAll("sizes") int a, @ForAll @IntRange(min = 1, max = 4) int b, @ForAll @IntRange(min = 1, max = 3) int c,
      @ForAll long seed) {
    Tensor x = Tensor.randn(new Rng(seed), DType.FLOAT64, 2, a, b, c).requiresGrad(true);
    Flatten f = new Flatten();
    assertArrayEquals(new int[] {2, a * b * c}, f.call(x).shape());
    assertArrayEquals(new int[] {2, a * b, c}, new Flatten(1, 2).call(x).shape());
    assertArrayEquals(new int[] {2 * a, b, c}, new Flatten(0, 1).call(x).shape());
    GradCheck.check("flatten", t -> f.call(t[0].permute(0, 2, 1, 3)), x); // non-contiguous input too
  }

  @Property(tries = 15)
  void mlpGradientsWithRespectToEveryParameter(@ForAll("sizes") int in, @ForAll("sizes") int hidden, @ForAll("activations") Activation act,
      @ForAll @IntRange(min = 1, max = 6) int batch, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Sequential m = (Sequential) Models.mlp(new int[] {in, hidden, 3}, act, true, rng).to(DType.FLOAT64);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, batch, in);
    Tensor[] params = m.parameters().stream().map(Parameter::tensor).toArray(Tensor[]::new);
    Tensor[] inputs = new Tensor[params.length + 1];
    inputs[0] = x.requiresGrad(true);
    System.arraycopy(params, 0, inputs, 1, params.length);
    GradCheck.check("mlp(" + act + ")", t -> m.call(t[0]), inputs);
  }

  @Test
  void flattenRejectsBadAxes() {
    assertThrows(IllegalArgumentException.class, () -> new Flatten().call(Tensor.zeros(3)));
    assertThrows(IllegalArgumentException.class, () -> new Flatten(2, 1).call(Tensor.zeros(3, 4, 5)));
  }

  @Test
  void sequentialRunsChildrenInOrderAndEmptyIsIdentity() {
    Tensor x = Tensor.of(new double[] {-1, 2});
    assertClose(x, new Sequential().call(x), 0, "empty");
    assertClose(Tensor.of(new double[] {0, 4}), new Sequential(new ReLU(), new Doubling()).call(x), 0, "relu then double");
    assertClose(Tensor.of(new double[] {0, 4}), new Sequential(new Doubling(), new ReLU()).call(x).mul(1), 0, "double then relu");
    Sequential s = new Sequential(new ReLU(), new Tanh());
    assertInstanceOf(Tanh.class, s.get(-1));
    assertThrows(IndexOutOfBoundsException.class, () -> s.get(2));
  }

  private static final class Doubling extends Module {
    @Override
    protected Tensor forward(Tensor x) {
      return x.mul(2);
    }
  }

  @Test
  void activationsMatchTheirFormulas() {
    Tensor x = Tensor.of(new double[] {-2, -0.5, 0.5, 3});
    assertClose(Tensor.of(new double[] {0, 0, 0.5, 3}), new ReLU().call(x), 0, "relu");
    assertClose(Tensor.of(new double[] {-0.02, -0.005, 0.5, 3}), new LeakyReLU().call(x), 1e-15, "leaky");
    assertClose(Tensor.of(new double[] {Math.tanh(-2), Math.tanh(-0.5), Math.tanh(0.5), Math.tanh(3)}), new Tanh().call(x), 1e-15, "tanh");
    assertClose(Tensor.of(new double[] {1 / (1 + Math.exp(2)), 1 / (1 + Math.exp(0.5)), 1 / (1 + Math.exp(-0.5)), 1 / (1 + Math.exp(-3))}),
        new Sigmoid().call(x), 1e-15, "sigmoid");
    // torch.nn.functional.gelu(torch.tensor([-2, -0.5, 0.5, 3.], dtype=torch.float64))
    assertClose(Tensor.of(new double[] {-0.04550026389635842, -0.15426876936299344, 0.34573123063700656, 2.99595030590511}),
        new GELU().call(x), 1e-12, "gelu");
    assertSame(x, new Identity().call(x));
  }
}
