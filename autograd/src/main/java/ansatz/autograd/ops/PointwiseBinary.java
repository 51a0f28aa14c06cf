package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import java.util.function.DoubleBinaryOperator;

/**
 * A binary pointwise primitive z = f(a, b) with broadcasting, given by f and its two partial
 * derivatives (as functions of a, b and z). Backward returns g * df/da and g * df/db in the
 * broadcast shape; the engine sums them down to each input's shape.
 */
public final class PointwiseBinary extends Function {
  /** A partial derivative of f at (a, b), where z = f(a, b). */
  @FunctionalInterface
  public interface Partial {
    /** @return the partial derivative */
    double at(double a, double b, double z);
  }

  private final String name;
  private final Partial da, db;

  private PointwiseBinary(String name, Partial da, Partial db) {
    this.name = name;
    this.da = da;
    this.db = db;
  }

  /** @return f(a, b), recorded with its partials */
  public static Tensor apply(String name, Tensor a, Tensor b, DoubleBinaryOperator f, Partial da, Partial db) {
    Tensor z = Elementwise.map2(name, a, b, f);
    PointwiseBinary fn = new PointwiseBinary(name, da, db);
    fn.save(z);
    return fn.record(z, a, b);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor z = saved(0);
    int[] shape = z.shape();
    DType dt = z.dtype();
    Tensor a = Elementwise.dense(input(0), shape, dt), b = Elementwise.dense(input(1), shape, dt);
    Tensor gd = Elementwise.dense(g, shape, dt);
    Tensor ga = null, gb = null;
    int n = z.numel();
    if (needsGrad(0)) ga = partial(a, b, z, gd, da, n);
    if (needsGrad(1)) gb = partial(a, b, z, gd, db, n);
    assert Shape.same(shape, g.shape());
    return new Tensor[] {ga, gb};
  }

  private static Tensor partial(Tensor a, Tensor b, Tensor z, Tensor g, Partial p, int n) {
    Tensor out = Tensor.empty(z.dtype(), z.shape());
    if (z.dtype() == DType.FLOAT32) {
      float[] x = a.floats(), y = b.floats(), zz = z.floats(), gg = g.floats(), r = out.floats();
      for (int i = 0; i < n; i++) r[i] = (float) (gg[i] * p.at(x[i], y[i], zz[i]));
    } else {
      double[] x = a.doubles(), y = b.doubles(), zz = z.doubles(), gg = g.doubles(), r = out.doubles();
      for (int i = 0; i < n; i++) r[i] = gg[i] * p.at(x[i], y[i], zz[i]);
    }
    return out;
  }
}
