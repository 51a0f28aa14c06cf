package ansatz.autograd.ops;

import ansatz.autograd.Tensor;

/** The unary pointwise ops: each is a value and a derivative, recorded by {@link Pointwise}. */
public final class Unary {
  private Unary() {}

  /** @return -x */
  public static Tensor neg(Tensor a) {
    return Pointwise.apply("neg", a, x -> -x, (x, y) -> -1);
  }

  /** @return e^x; derivative y */
  public static Tensor exp(Tensor a) {
    return Pointwise.apply("exp", a, Math::exp, (x, y) -> y);
  }

  /** @return ln x; derivative 1/x */
  public static Tensor log(Tensor a) {
    return Pointwise.apply("log", a, Math::log, (x, y) -> 1 / x);
  }

  /** @return sqrt x; derivative 1/(2y) */
  public static Tensor sqrt(Tensor a) {
    return Pointwise.apply("sqrt", a, Math::sqrt, (x, y) -> 0.5 / y);
  }

  /** @return |x|; derivative sign(x), 0 at 0 (as PyTorch) */
  public static Tensor abs(Tensor a) {
    return Pointwise.apply("abs", a, Math::abs, (x, y) -> Math.signum(x));
  }

  /** @return max(x, 0); derivative 1 for x &gt; 0, else 0 (a vectorized op of its own, {@link Relu}) */
  public static Tensor relu(Tensor a) {
    return Relu.apply(a);
  }

  /** @return x for x &gt; 0, slope*x otherwise */
  public static Tensor leakyRelu(Tensor a, double slope) {
    return Pointwise.apply("leaky_relu", a, x -> x > 0 ? x : slope * x, (x, y) -> x > 0 ? 1 : slope);
  }

  /** @return the logistic function, evaluated without overflow for large |x|; derivative y(1-y) */
  public static Tensor sigmoid(Tensor a) {
    return Pointwise.apply("sigmoid", a, Unary::sigmoid, (x, y) -> y * (1 - y));
  }

  static double sigmoid(double x) {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    double e = Math.exp(x);
    return e / (1 + e);
  }

  /** @return tanh x; derivative 1 - y^2 */
  public static Tensor tanh(Tensor a) {
    return Pointwise.apply("tanh", a, Math::tanh, (x, y) -> 1 - y * y);
  }

  /** @return exact GELU x * Phi(x); derivative Phi(x) + x phi(x) */
  public static Tensor gelu(Tensor a) {
    return Pointwise.apply("gelu", a, x -> x * SpecialFunctions.normalCdf(x),
        (x, y) -> SpecialFunctions.normalCdf(x) + x * SpecialFunctions.normalPdf(x));
  }

  /** @return x^p for a constant p; derivative p x^(p-1) */
  public static Tensor pow(Tensor a, double p) {
    if (p == 1) return Pointwise.apply("pow", a, x -> x, (x, y) -> 1);
    if (p == 2) return Pointwise.apply("pow", a, x -> x * x, (x, y) -> 2 * x);
    return Pointwise.apply("pow", a, x -> Math.pow(x, p), (x, y) -> p == 0 ? 0 : p * Math.pow(x, p - 1));
  }

  /** @return x clamped to [lo, hi]; derivative 1 inside the closed interval (as PyTorch), else 0 */
  public static Tensor clamp(Tensor a, double lo, double hi) {
    if (lo > hi) throw new IllegalArgumentException("clamp: lower bound " + lo + " is above upper bound " + hi);
    return Pointwise.apply("clamp", a, x -> x < lo ? lo : (x > hi ? hi : x), (x, y) -> x >= lo && x <= hi ? 1 : 0);
  }
}
