package ansatz.autograd.ops;

import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/** Reductions composed from primitives (tinygrad style): their gradients come for free. */
public final class Reductions {
  private Reductions() {}

  private static int count(Tensor a, int[] axes) {
    int n = 1;
    for (int ax : axes) n *= a.size(Shape.axis("reduce", ax, a.dim()));
    return n;
  }

  /** @return sum / count */
  public static Tensor mean(Tensor a, int[] axes, boolean keepDim) {
    int n = count(a, axes);
    return a.sum(axes, keepDim).mul(1.0 / n);
  }

  /** @return sum((x - mean)^2) / (count - correction) */
  public static Tensor var(Tensor a, int[] axes, boolean keepDim, int correction) {
    int n = count(a, axes);
    if (n - correction <= 0) {
      throw new IllegalArgumentException("var: " + n + " elements with correction " + correction + " leave no degrees of freedom");
    }
    Tensor centered = a.sub(mean(a, axes, true));
    return centered.square().sum(axes, keepDim).mul(1.0 / (n - correction));
  }

  /** @return log sum exp over an axis, shifted by the (detached) maximum so 1e4-size logits are safe */
  public static Tensor logSumExp(Tensor a, int axis, boolean keepDim) {
    int ax = Shape.axis("logSumExp", axis, a.dim());
    Tensor m = shift(a, ax);
    Tensor lse = a.sub(m).exp().sum(ax, true).log().add(m);
    return keepDim ? lse : lse.squeeze(ax);
  }

  /**
   * @return (x - m) - log(sum(exp(x - m))) over an axis, m the detached maximum. Not x - logSumExp(x):
   *     in float32 logSumExp of 1e4-size logits is only good to ~5e-4 (the rounding of 1e4), an
   *     error the subtraction would pass on to every output, while x - m is exact near the maximum.
   */
  public static Tensor logSoftmax(Tensor a, int axis) {
    int ax = Shape.axis("logSoftmax", axis, a.dim());
    Tensor shifted = a.sub(shift(a, ax));
    return shifted.sub(shifted.exp().sum(ax, true).log());
  }

  /** @return the detached maximum along an axis (kept as size 1), or 0 where it is infinite */
  private static Tensor shift(Tensor a, int ax) {
    Tensor m = a.detach().max(new int[] {ax}, true);
    // An all -inf row would give inf - inf; shift by 0 there instead.
    return Tensor.where(m.abs().lt(Double.POSITIVE_INFINITY), m, m.zerosLike());
  }

  /** @return exp(logSoftmax(x)) over an axis */
  public static Tensor softmax(Tensor a, int axis) {
    return logSoftmax(a, axis).exp();
  }
}
