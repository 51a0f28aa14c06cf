package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ansatz.autograd.testing.Domain;
import ansatz.autograd.testing.OpCheck;
import ansatz.autograd.testing.TensorArbitraries;
import ansatz.autograd.testing.TensorData;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Binary ops with NumPy broadcasting (sizes of 1 and missing leading axes on either or both sides,
 * down to 0-dim operands), their scalar versions, and where. Each is checked with {@link OpCheck}
 * and its forward against broadcasting done by hand ({@link Naive#binary}).
 */
class BinaryGradPropertiesTest {
  private static final int TRIES = 30;

  /** Two operands whose shapes broadcast together. */
  record Pair(TensorData a, TensorData b) {}

  private static void binary(String name, BinaryOperator<Tensor> op, DoubleBinaryOperator reference, Pair p) {
    OpCheck.check(name, in -> op.apply(in[0], in[1]), p.a, p.b);
    int[] shape = Shape.broadcast(name, p.a.shape(), p.b.shape());
    Tensor y = op.apply(p.a.float64(), p.b.float64());
    OpCheck.assertClose(name + " forward vs broadcasting by hand", Naive.binary(p.a, p.b, shape, reference), y.toDoubleArray(), shape, 1e-12);
    assertEquals(Shape.str(shape), Shape.str(y.shape()), name + " output shape");
  }

  @Property(tries = TRIES)
  void add(@ForAll("anyPairs") Pair p) {
    binary("add", Tensor::add, Double::sum, p);
  }

  @Property(tries = TRIES)
  void sub(@ForAll("anyPairs") Pair p) {
    binary("sub", Tensor::sub, (x, y) -> x - y, p);
  }

  @Property(tries = TRIES)
  void mul(@ForAll("anyPairs") Pair p) {
    binary("mul", Tensor::mul, (x, y) -> x * y, p);
  }

  @Property(tries = TRIES)
  void div(@ForAll("divPairs") Pair p) {
    binary("div", Tensor::div, (x, y) -> x / y, p);
  }

  @Property(tries = TRIES)
  void maximum(@ForAll("tieFreePairs") Pair p) {
    binary("maximum", Tensor::maximum, Math::max, p);
  }

  @Property(tries = TRIES)
  void minimum(@ForAll("tieFreePairs") Pair p) {
    binary("minimum", Tensor::minimum, Math::min, p);
  }

  @Property(tries = TRIES)
  void powTensor(@ForAll("powPairs") Pair p) {
    binary("pow", Tensor::pow, Math::pow, p);
  }

  /** One tensor used as both operands: the engine must add the two contributions. */
  @Property(tries = TRIES)
  void sameTensorTwice(@ForAll("anyTensors") TensorData x) {
    OpCheck.check("x*x", in -> in[0].mul(in[0]), x);
    OpCheck.check("x+x", in -> in[0].add(in[0]), x);
    OpCheck.check("x/x*x", in -> in[0].div(in[0].add(3)).mul(in[0]), x);
  }

  @Property(tries = TRIES)
  void scalarVersions(@ForAll("anyTensors") TensorData x, @ForAll("constants") double c) {
    OpCheck.check("add(" + c + ")", in -> in[0].add(c), x);
    OpCheck.check("sub(" + c + ")", in -> in[0].sub(c), x);
    OpCheck.check("mul(" + c + ")", in -> in[0].mul(c), x);
    OpCheck.check("div(" + c + ")", in -> in[0].div(c), x);
    OpCheck.check("rsub(" + c + ")", in -> in[0].rsub(c), x);
    double[] v = x.values(), got = x.float64().rsub(c).div(c).toDoubleArray();
    for (int i = 0; i < v.length; i++) assertEquals((c - v[i]) / c, got[i], 1e-12, "(c - x) / c");
  }

  /** A fixed 0/1 mask and two operands, all three broadcasting together. */
  @Property(tries = TRIES)
  void where(@ForAll("whereCases") TensorData[] c) {
    TensorData mask = c[0], a = c[1], b = c[2];
    OpCheck.check("where", in -> Tensor.where(in[0], in[1], in[2]), mask, a, b);
    int[] shape = Shape.broadcast("where", Shape.broadcast("where", mask.shape(), a.shape()), b.shape());
    double[] got = Tensor.where(mask.float64(), a.float64(), b.float64()).toDoubleArray();
    for (int i = 0; i < got.length; i++) {
      int[] idx = ansatz.autograd.testing.GradCheck.unravel(i, shape);
      double expected = Naive.broadcastGet(mask, idx) != 0 ? Naive.broadcastGet(a, idx) : Naive.broadcastGet(b, idx);
      assertEquals(expected, got[i], "where at flat index " + i);
    }
  }

  /** float32 op float64 gives float64; each leaf's gradient keeps the leaf's own type. */
  @Property(tries = TRIES)
  void mixedTypesPromote(@ForAll("anyPairs") Pair p) {
    Tensor a = p.a.float32(), b = p.b.float64();
    Tensor y = a.mul(b);
    assertEquals(DType.FLOAT64, y.dtype());
    y.backward(Tensor.ones(DType.FLOAT64, y.shape()));
    assertEquals(DType.FLOAT32, a.grad().dtype());
    assertEquals(DType.FLOAT64, b.grad().dtype());
    Tensor a64 = p.a.float64(), b64 = p.b.float64();
    a64.mul(b64).backward(Tensor.ones(DType.FLOAT64, y.shape()));
    OpCheck.assertClose("mixed-type gradient of a", a64.grad(), a.grad(), 1e-6);
    OpCheck.assertClose("mixed-type gradient of b", b64.grad(), b.grad(), 1e-12);
  }

  // ------------------------------------------------------------------------------- generators

  private static Arbitrary<Pair> pairs(Domain da, Domain db) {
    return TensorArbitraries.broadcastPairs().flatMap(s ->
        Combinators.combine(TensorArbitraries.data(s[0], da), TensorArbitraries.data(s[1], db)).as(Pair::new));
  }

  @Provide
  Arbitrary<Pair> anyPairs() {
    return pairs(Domain.any(), Domain.any());
  }

  @Provide
  Arbitrary<Pair> divPairs() {
    return pairs(Domain.any(), Domain.nonZero());
  }

  @Provide
  Arbitrary<Pair> powPairs() {
    return pairs(Domain.positive(), Domain.any());
  }

  /** Operands from interleaved lattices (in either order), so no element pair ties. */
  @Provide
  Arbitrary<Pair> tieFreePairs() {
    return Arbitraries.of(false, true).flatMap(swap -> pairs(Domain.lattice(swap), Domain.lattice(!swap)));
  }

  @Provide
  Arbitrary<TensorData> anyTensors() {
    return TensorArbitraries.tensors(Domain.any());
  }

  @Provide
  Arbitrary<Double> constants() {
    return Arbitraries.of(-2.5, -1.0, -0.3, 0.7, 1.0, 3.0);
  }

  @Provide
  Arbitrary<TensorData[]> whereCases() {
    return TensorArbitraries.shapes().flatMap(full -> Combinators.combine(
            TensorArbitraries.broadcastableTo(full), TensorArbitraries.broadcastableTo(full), TensorArbitraries.broadcastableTo(full))
        .flatAs((m, a, b) -> Combinators.combine(
                TensorArbitraries.data(m, (r, n) -> {
                  double[] v = new double[n];
                  for (int i = 0; i < n; i++) v[i] = r.nextBoolean() ? 1 : 0;
                  return v;
                }),
                TensorArbitraries.data(a, Domain.any()),
                TensorArbitraries.data(b, Domain.any()))
            .as((md, ad, bd) -> new TensorData[] {md.constant(), ad, bd})));
  }
}
