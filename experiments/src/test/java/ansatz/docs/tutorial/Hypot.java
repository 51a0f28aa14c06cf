package ansatz.docs.tutorial;

import ansatz.autograd.Function;
import ansatz.autograd.Tensor;
import ansatz.autograd.ops.Elementwise;

// region hypot
/**
 * hypot(a, b) = sqrt(a^2 + b^2) elementwise, with broadcasting. Its gradients are
 * d/da = a / hypot(a, b) and d/db = b / hypot(a, b) (undefined at a = b = 0, where they are NaN,
 * as in PyTorch).
 */
public final class Hypot extends Function {
  /** @return hypot(a, b), recorded when a or b requires grad */
  public static Tensor apply(Tensor a, Tensor b) {
    Tensor out = Elementwise.map2("hypot", a, b, Math::hypot); // broadcast, promote, one flat loop
    Hypot fn = new Hypot();
    fn.save(out);                  // backward needs the output; save before record
    return fn.record(out, a, b);   // links out to a and b, if grad mode is on and either needs grad
  }

  @Override
  protected Tensor[] backward(Tensor g) {                    // g = d loss / d out, out's shape
    Tensor out = saved(0);
    Tensor a = input(0).detach(), b = input(1).detach();
    return new Tensor[] {
      needsGrad(0) ? g.mul(a).div(out) : null,   // out's shape, not a's: the engine
      needsGrad(1) ? g.mul(b).div(out) : null    // sums it down to a's shape (sumTo)
    };
  }
}
// endregion hypot
