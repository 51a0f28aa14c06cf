package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/** Unrecorded in-place updates used by optimizers and gradient accumulation. */
public final class InPlace {
  private InPlace() {}

  /** y += alpha * x, with x broadcast to y's shape; y must be dense. */
  public static void axpy(Tensor y, Tensor x, double alpha) {
    requireDense("axpy", y);
    int[] shape = y.shape();
    Shape.broadcast("axpy", shape, x.shape());
    Tensor xd = Elementwise.dense(x, shape, y.dtype());
    int n = y.numel(), o = y.offset();
    if (y.dtype() == DType.FLOAT32) {
      float[] yy = y.storage().f, xx = xd.floats();
      float a = (float) alpha;
      for (int i = 0; i < n; i++) yy[o + i] += a * xx[i];
    } else {
      double[] yy = y.storage().d, xx = xd.doubles();
      for (int i = 0; i < n; i++) yy[o + i] += alpha * xx[i];
    }
  }

  /** y *= c; y must be dense. */
  public static void scale(Tensor y, double c) {
    requireDense("scale", y);
    int n = y.numel(), o = y.offset();
    if (y.dtype() == DType.FLOAT32) {
      float[] yy = y.storage().f;
      float a = (float) c;
      for (int i = 0; i < n; i++) yy[o + i] *= a;
    } else {
      double[] yy = y.storage().d;
      for (int i = 0; i < n; i++) yy[o + i] *= c;
    }
  }

  private static void requireDense(String op, Tensor y) {
    if (!y.isContiguous()) throw new IllegalArgumentException(op + ": in-place target of shape " + Shape.str(y.shape()) + " must be contiguous");
  }
}
