package ansatz.docs.tutorial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.Autograd;
import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.util.Arrays;
import java.util.function.DoubleSupplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The tests of docs/tutorial/03-new-op.md: the op's gradient property and golden values. */
class HypotTest {
  // region property
  /** Two operands whose shapes broadcast together, as float64 data. */
  record Operands(int[] shapeA, double[] a, int[] shapeB, double[] b) {
    @Override
    public String toString() {
      return Arrays.toString(shapeA) + " with " + Arrays.toString(shapeB);
    }
  }

  @Property(tries = 30)
  void gradientsMatchCentralDifferences(@ForAll("operands") Operands op) {
    Tensor a = Tensor.wrap(op.a().clone(), op.shapeA()).requiresGrad(true);
    Tensor b = Tensor.wrap(op.b().clone(), op.shapeB()).requiresGrad(true);
    Tensor out = Hypot.apply(a, b);
    // Check L = sum(seed * out) for a random seed, so that every output element matters.
    Tensor seed = Tensor.randn(new Rng(1), DType.FLOAT64, out.shape());
    Tensor[] analytic = Autograd.grad(new Tensor[] {out}, new Tensor[] {a, b}, new Tensor[] {seed}, false);
    DoubleSupplier loss = () -> Hypot.apply(a, b).mul(seed).sum().item();
    assertArrayEquals(centralDifferences(loss, a), analytic[0].toDoubleArray(), 1e-6, "d/da for " + op);
    assertArrayEquals(centralDifferences(loss, b), analytic[1].toDoubleArray(), 1e-6, "d/db for " + op);
    assertArrayEquals(a.shape(), analytic[0].shape(), "the gradient has the input's shape");
  }

  /** (L(x + h e_i) - L(x - h e_i)) / 2h for every element i of x, in float64. */
  static double[] centralDifferences(DoubleSupplier loss, Tensor x) {
    double h = 1e-6;
    double[] data = x.doubles();  // x is dense float64: its own array, changed in place below
    double[] grad = new double[data.length];
    try (Grad.Scope off = Grad.disabled()) {
      for (int i = 0; i < data.length; i++) {
        double keep = data[i];
        data[i] = keep + h;
        double plus = loss.getAsDouble();
        data[i] = keep - h;
        double minus = loss.getAsDouble();
        data[i] = keep;
        grad[i] = (plus - minus) / (2 * h);
      }
    }
    return grad;
  }

  /**
   * A full shape of rank 1 to 3 with sizes around the SIMD widths (1, 7, 8, 9, 15, 16, 17), and
   * two operands derived from it by setting axes to 1 or dropping leading axes.
   */
  @Provide
  Arbitrary<Operands> operands() {
    Arbitrary<int[]> full = Arbitraries.of(1, 2, 3, 7, 8, 9, 15, 16, 17).array(int[].class).ofMinSize(1).ofMaxSize(3)
        .filter(s -> Arrays.stream(s).reduce(1, (p, q) -> p * q) <= 300);
    return full.flatMap(s -> Combinators.combine(broadcastableTo(s), broadcastableTo(s), Arbitraries.longs())
        .as((sa, sb, seed) -> {
          Rng rng = new Rng(seed);
          return new Operands(sa, awayFromZero(rng, sa), sb, awayFromZero(rng, sb));
        }));
  }

  static Arbitrary<int[]> broadcastableTo(int[] full) {
    Arbitrary<boolean[]> ones = Arbitraries.of(false, true).array(boolean[].class).ofSize(full.length);
    return Combinators.combine(ones, Arbitraries.integers().between(0, full.length - 1)).as((one, drop) -> {
      int[] s = new int[full.length - drop];
      for (int i = drop; i < full.length; i++) s[i - drop] = one[i] ? 1 : full[i];
      return s;
    });
  }

  /** Values in +-[0.5, 3]: hypot is smooth there (it has a kink at a = b = 0). */
  static double[] awayFromZero(Rng rng, int[] shape) {
    double[] v = Tensor.uniform(rng, 0.5, 3, DType.FLOAT64, shape).toDoubleArray();
    for (int i = 0; i < v.length; i++) if (rng.nextDouble() < 0.5) v[i] = -v[i];
    return v;
  }
  // endregion property

  // region golden
  /**
   * Values and gradients from PyTorch 1.13 (float64), with broadcasting [2, 1] x [3]:
   * {@code a = torch.tensor([[3.], [-1.]], dtype=torch.float64, requires_grad=True);
   * b = torch.tensor([4., .5, -2.], dtype=torch.float64, requires_grad=True);
   * y = torch.hypot(a, b); y.sum().backward()}.
   */
  @Test
  void matchesPyTorch() {
    Tensor a = Tensor.of(new double[] {3, -1}, 2, 1).requiresGrad(true);
    Tensor b = Tensor.of(new double[] {4, 0.5, -2}, 3).requiresGrad(true);
    Tensor y = Hypot.apply(a, b);
    y.sum().backward();
    assertArrayEquals(new double[] {5.0, 3.0413812651491097, 3.605551275463989,
        4.123105625617661, 1.118033988749895, 2.23606797749979}, y.toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {2.4184442181699874, -1.5841764115362067}, a.grad().toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {1.770142500145332, 0.6116125828053152, -1.4491273872251451}, b.grad().toDoubleArray(), 1e-12);
  }
  // endregion golden

  @Test
  void theCheckCatchesAWrongBackward() {
    // The property above must be able to fail: a backward that forgets the 1/out factor is caught.
    Tensor a = Tensor.of(new double[] {3, -1}, 2).requiresGrad(true);
    Tensor b = Tensor.of(new double[] {4, 2}, 2).requiresGrad(true);
    double[] numeric = centralDifferences(() -> Hypot.apply(a, b).sum().item(), a);
    double[] wrong = a.detach().toDoubleArray(); // d/da without dividing by hypot
    assertThrows(AssertionError.class, () -> assertArrayEquals(numeric, wrong, 1e-6));
    assertArrayEquals(new double[] {0.6, -1 / Math.sqrt(5)}, numeric, 1e-8);
  }

  @Test
  void float32InputsGiveFloat32AndNoGraphWithoutGrad() {
    Tensor y = Hypot.apply(Tensor.of(new float[] {3}, 1), Tensor.of(new float[] {4}, 1));
    assertEquals(DType.FLOAT32, y.dtype());
    assertEquals(5.0, y.item(), 0);
    assertTrue(y.isLeaf(), "nothing required grad, so nothing was recorded");
  }
}
