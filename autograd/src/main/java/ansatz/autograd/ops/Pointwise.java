package ansatz.autograd.ops;

import ansatz.autograd.Function;
import ansatz.autograd.Tensor;
import java.util.function.DoubleUnaryOperator;

/**
 * A unary pointwise primitive given by its value y = f(x) and its derivative f'(x, y) (written in
 * terms of the input and, where cheaper, the output). Backward is g * f'(x, y) elementwise. Every op
 * in {@link Unary} is one of these.
 */
public final class Pointwise extends Function {
  /** The derivative of f as a function of the input x and the output y = f(x). */
  @FunctionalInterface
  public interface Derivative {
    /** @return f'(x) */
    double at(double x, double y);
  }

  private final String name;
  private final Derivative df;

  private Pointwise(String name, Derivative df) {
    this.name = name;
    this.df = df;
  }

  /** @return f(a), recorded with derivative df */
  public static Tensor apply(String name, Tensor a, DoubleUnaryOperator f, Derivative df) {
    Tensor y = Elementwise.map(a, f);
    Pointwise fn = new Pointwise(name, df);
    fn.save(y);
    return fn.record(y, a);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor x = input(0).detach();
    Tensor y = saved(0);
    Tensor d = Elementwise.map3(y.shape(), y.dtype(), x, y, g, (xv, yv, gv) -> gv * df.at(xv, yv));
    return new Tensor[] {d};
  }
}
