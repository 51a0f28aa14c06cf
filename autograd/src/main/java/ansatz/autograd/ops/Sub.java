package ansatz.autograd.ops;

import ansatz.autograd.Function;
import ansatz.autograd.Tensor;

/** a - b with broadcasting: gradients g and -g. */
public final class Sub extends Function {
  /** @return a - b */
  public static Tensor apply(Tensor a, Tensor b) {
    return new Sub().record(Elementwise.map2("sub", a, b, (x, y) -> x - y), a, b);
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    return new Tensor[] {g, needsGrad(1) ? g.neg() : null};
  }
}
