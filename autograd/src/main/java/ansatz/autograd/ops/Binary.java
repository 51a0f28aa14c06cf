package ansatz.autograd.ops;

import ansatz.autograd.Tensor;

/** The binary pointwise ops with NumPy broadcasting and type promotion. */
public final class Binary {
  private Binary() {}

  /** @return a + b */
  public static Tensor add(Tensor a, Tensor b) {
    return Add.apply(a, b);
  }

  /** @return a - b */
  public static Tensor sub(Tensor a, Tensor b) {
    return Sub.apply(a, b);
  }

  /** @return a * b */
  public static Tensor mul(Tensor a, Tensor b) {
    return Mul.apply(a, b);
  }

  /** @return a / b; partials 1/b and -z/b */
  public static Tensor div(Tensor a, Tensor b) {
    return PointwiseBinary.apply("div", a, b, (x, y) -> x / y, (x, y, z) -> 1 / y, (x, y, z) -> -z / y);
  }

  /** @return max(a, b); the gradient goes to the larger, half to each on ties (as PyTorch) */
  public static Tensor maximum(Tensor a, Tensor b) {
    return PointwiseBinary.apply("maximum", a, b, Math::max,
        (x, y, z) -> x > y ? 1 : (x == y ? 0.5 : 0), (x, y, z) -> y > x ? 1 : (x == y ? 0.5 : 0));
  }

  /** @return min(a, b); the gradient goes to the smaller, half to each on ties */
  public static Tensor minimum(Tensor a, Tensor b) {
    return PointwiseBinary.apply("minimum", a, b, Math::min,
        (x, y, z) -> x < y ? 1 : (x == y ? 0.5 : 0), (x, y, z) -> y < x ? 1 : (x == y ? 0.5 : 0));
  }

  /** @return a^b; partials b a^(b-1) and z ln a (taken as 0 where a = 0, as PyTorch does for b &gt; 0) */
  public static Tensor pow(Tensor a, Tensor b) {
    return PointwiseBinary.apply("pow", a, b, Math::pow,
        (x, y, z) -> y == 0 ? 0 : y * Math.pow(x, y - 1), (x, y, z) -> x == 0 ? 0 : z * Math.log(x));
  }
}
