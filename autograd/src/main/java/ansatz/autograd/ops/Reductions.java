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
    Tensor m = a.detach().max(new int[] {ax}, true);
    // An all -inf row would give inf - inf; shift by 0 there instead.
    m = Tensor.where(m.abs().lt(Double.POSITIVE_INFINITY), m, m.zerosLike());
    Tensor lse = a.sub(m).exp().sum(ax, true).log().add(m);
    return keepDim ? lse : lse.squeeze(ax);
  }

  /** @return x - logSumExp(x) over an axis */
  public static Tensor logSoftmax(Tensor a, int axis) {
    return a.sub(logSumExp(a, axis, true));
  }

  /** @return exp(logSoftmax(x)) over an axis */
  public static Tensor softmax(Tensor a, int axis) {
    return logSoftmax(a, axis).exp();
  }
}
