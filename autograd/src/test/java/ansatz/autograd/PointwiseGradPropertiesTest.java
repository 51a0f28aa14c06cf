package ansatz.autograd;

import ansatz.autograd.testing.Domain;
import ansatz.autograd.testing.OpCheck;
import ansatz.autograd.testing.TensorArbitraries;
import ansatz.autograd.testing.TensorData;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Unary pointwise ops: gradient against finite differences, float32 against float64
 * ({@link OpCheck}), and the float64 forward against the scalar definition. Inputs come from
 * domains that keep finite differences valid (see {@link Domain}).
 */
class PointwiseGradPropertiesTest {
  private static final int TRIES = 30;

  /** Runs the standard check and compares the forward with {@code reference} elementwise. */
  private static void pointwise(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator reference, TensorData x) {
    OpCheck.check(name, in -> op.apply(in[0]), x);
    double[] expected = new double[x.numel()];
    for (int i = 0; i < expected.length; i++) expected[i] = reference.applyAsDouble(x.values()[i]);
    OpCheck.assertClose(name + " forward vs definition", expected, op.apply(x.float64()).toDoubleArray(), x.shape(), 1e-12);
  }

  @Property(tries = TRIES)
  void neg(@ForAll("any") TensorData x) {
    pointwise("neg", Tensor::neg, v -> -v, x);
  }

  @Property(tries = TRIES)
  void exp(@ForAll("any") TensorData x) {
    pointwise("exp", Tensor::exp, Math::exp, x);
  }

  @Property(tries = TRIES)
  void log(@ForAll("positive") TensorData x) {
    pointwise("log", Tensor::log, Math::log, x);
  }

  @Property(tries = TRIES)
  void sqrt(@ForAll("positive") TensorData x) {
    pointwise("sqrt", Tensor::sqrt, Math::sqrt, x);
  }

  @Property(tries = TRIES)
  void abs(@ForAll("awayFromZero") TensorData x) {
    pointwise("abs", Tensor::abs, Math::abs, x);
  }

  @Property(tries = TRIES)
  void relu(@ForAll("awayFromZero") TensorData x) {
    pointwise("relu", Tensor::relu, v -> Math.max(v, 0), x);
  }

  @Property(tries = TRIES)
  void leakyRelu(@ForAll("awayFromZero") TensorData x, @ForAll("slopes") double slope) {
    pointwise("leakyRelu(" + slope + ")", t -> t.leakyRelu(slope), v -> v > 0 ? v : slope * v, x);
  }

  /** Wide range: both branches of the stable formula, and saturation. */
  @Property(tries = TRIES)
  void sigmoid(@ForAll("wide") TensorData x) {
    pointwise("sigmoid", Tensor::sigmoid, v -> 1 / (1 + Math.exp(-v)), x);
  }

  @Property(tries = TRIES)
  void tanh(@ForAll("wide") TensorData x) {
    pointwise("tanh", Tensor::tanh, Math::tanh, x);
  }

  /**
   * Wide range, so that erf's Taylor branch (|x| &lt; 2.5 sqrt 2) and its continued-fraction branch
   * both appear; the definition is checked against PyTorch values in {@link GeluGoldenTest}.
   */
  @Property(tries = TRIES)
  void gelu(@ForAll("wide") TensorData x) {
    OpCheck.check("gelu", in -> in[0].gelu(), x);
  }

  @Property(tries = TRIES)
  void powConstant(@ForAll("positive") TensorData x, @ForAll("exponents") double p) {
    pointwise("pow(" + p + ")", t -> t.pow(p), v -> Math.pow(v, p), x);
  }

  /** Integer powers are defined for negative bases too. */
  @Property(tries = TRIES)
  void powIntegerOfNegatives(@ForAll("any") TensorData x, @ForAll("integerExponents") double p) {
    pointwise("pow(" + p + ")", t -> t.pow(p), v -> Math.pow(v, p), x);
  }

  @Property(tries = TRIES)
  void square(@ForAll("any") TensorData x) {
    pointwise("square", Tensor::square, v -> v * v, x);
  }

  @Property(tries = TRIES)
  void clamp(@ForAll("clampCases") ClampCase c) {
    pointwise("clamp(" + c.lo + ", " + c.hi + ")", t -> t.clamp(c.lo, c.hi), v -> Math.min(Math.max(v, c.lo), c.hi), c.x);
  }

  /** Bounds and inputs kept 0.05 away from both bounds. */
  record ClampCase(double lo, double hi, TensorData x) {}

  @Provide
  Arbitrary<ClampCase> clampCases() {
    Arbitrary<Double> lo = Arbitraries.doubles().between(-1.5, 0).ofScale(2);
    Arbitrary<Double> width = Arbitraries.doubles().between(0.2, 2).ofScale(2);
    return Combinators.combine(lo, width).flatAs((l, w) -> {
      double lower = Domain.f32(l), upper = Domain.f32(l + w);
      return TensorArbitraries.tensors(Domain.awayFrom(-2.5, 2.5, 0.05, lower, upper)).map(x -> new ClampCase(lower, upper, x));
    });
  }

  @Provide
  Arbitrary<TensorData> any() {
    return TensorArbitraries.tensors(Domain.any());
  }

  @Provide
  Arbitrary<TensorData> positive() {
    return TensorArbitraries.tensors(Domain.positive());
  }

  @Provide
  Arbitrary<TensorData> awayFromZero() {
    return TensorArbitraries.tensors(Domain.awayFrom(-2, 2, 0.05, 0));
  }

  @Provide
  Arbitrary<TensorData> wide() {
    return TensorArbitraries.tensors(Domain.uniform(-7, 7));
  }

  @Provide
  Arbitrary<Double> slopes() {
    return Arbitraries.of(0.01, 0.2, 1.5);
  }

  @Provide
  Arbitrary<Double> exponents() {
    return Arbitraries.of(-1.5, -1.0, 0.0, 0.3, 0.5, 1.0, 2.0, 3.0, 2.5);
  }

  @Provide
  Arbitrary<Double> integerExponents() {
    return Arbitraries.of(1.0, 2.0, 3.0, 4.0);
  }
}
