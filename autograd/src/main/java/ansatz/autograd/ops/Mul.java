package ansatz.autograd.ops;

import ansatz.autograd.Function;
import ansatz.autograd.Tensor;

/** a * b with broadcasting: gradients g*b and g*a. */
public final class Mul extends Function {
  /** @return a * b */
  public static Tensor apply(Tensor a, Tensor b) {
    return new Mul().record(Elementwise.map2("mul", a, b, (x, y) -> x * y), a, b);
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor a = input(0).detach(), b = input(1).detach();
    return new Tensor[] {needsGrad(0) ? g.mul(b) : null, needsGrad(1) ? g.mul(a) : null};
  }
}
