package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Flat loops behind the pointwise ops. Inputs are first broadcast to the output shape and made
 * dense (a no-op for the common same-shape case), so every loop here is a plain loop over arrays.
 * Math runs in double for both types; float32 results are rounded once at the store.
 */
public final class Elementwise {
  private Elementwise() {}

  /** @return {@code t} broadcast to {@code shape}, converted to {@code dtype}, as a dense tensor */
  public static Tensor dense(Tensor t, int[] shape, DType dtype) {
    Tensor v = t.detach();
    if (!Shape.same(v.shape(), shape)) v = v.expand(shape);
    if (v.dtype() != dtype) v = v.to(dtype);
    return v.copyIfNotDense();
  }

  /** @return f applied to every element; same type and shape as {@code a} */
  public static Tensor map(Tensor a, DoubleUnaryOperator f) {
    int[] shape = a.shape();
    Tensor out = Tensor.empty(a.dtype(), shape);
    int n = out.numel();
    if (a.dtype() == DType.FLOAT32) {
      float[] x = a.floats(), y = out.floats();
      for (int i = 0; i < n; i++) y[i] = (float) f.applyAsDouble(x[i]);
    } else {
      double[] x = a.doubles(), y = out.doubles();
      for (int i = 0; i < n; i++) y[i] = f.applyAsDouble(x[i]);
    }
    return out;
  }

  /** @return f applied pairwise after broadcasting and type promotion */
  public static Tensor map2(String op, Tensor a, Tensor b, DoubleBinaryOperator f) {
    int[] shape = Shape.broadcast(op, a.shape(), b.shape());
    DType dt = DType.promote(a.dtype(), b.dtype());
    Tensor x = dense(a, shape, dt), y = dense(b, shape, dt);
    Tensor out = Tensor.empty(dt, shape);
    int n = out.numel();
    if (dt == DType.FLOAT32) {
      float[] p = x.floats(), q = y.floats(), r = out.floats();
      for (int i = 0; i < n; i++) r[i] = (float) f.applyAsDouble(p[i], q[i]);
    } else {
      double[] p = x.doubles(), q = y.doubles(), r = out.doubles();
      for (int i = 0; i < n; i++) r[i] = f.applyAsDouble(p[i], q[i]);
    }
    return out;
  }

  /** A function of three doubles. */
  @FunctionalInterface
  public interface Ternary {
    /** @return the value at (a, b, c) */
    double apply(double a, double b, double c);
  }

  /** @return f applied to aligned triples after broadcasting all three to {@code shape} */
  public static Tensor map3(int[] shape, DType dt, Tensor a, Tensor b, Tensor c, Ternary f) {
    Tensor x = dense(a, shape, dt), y = dense(b, shape, dt), z = dense(c, shape, dt);
    Tensor out = Tensor.empty(dt, shape);
    int n = out.numel();
    if (dt == DType.FLOAT32) {
      float[] p = x.floats(), q = y.floats(), s = z.floats(), r = out.floats();
      for (int i = 0; i < n; i++) r[i] = (float) f.apply(p[i], q[i], s[i]);
    } else {
      double[] p = x.doubles(), q = y.doubles(), s = z.doubles(), r = out.doubles();
      for (int i = 0; i < n; i++) r[i] = f.apply(p[i], q[i], s[i]);
    }
    return out;
  }
}
