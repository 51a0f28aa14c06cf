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
   * @return (x - m) - log sum exp(x - m) over an axis, m the detached maximum. Subtracting the
   *     shifted log-sum last (rather than x - logSumExp(x)) keeps float32 exact for large logits:
   *     x - m is small, whereas m + log(...) would round at the scale of m.
   */
  public static Tensor logSoftmax(Tensor a, int axis) {
    int ax = Shape.axis("logSoftmax", axis, a.dim());
    Tensor shifted = a.sub(shift(a, ax));
    return shifted.sub(shifted.exp().sum(ax, true).log());
  }

  /** The per-row maximum along {@code ax} (kept as size 1), detached; 0 where it is infinite. */
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
