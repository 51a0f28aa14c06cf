package ansatz.autograd.ops;

import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/** A new shape with the same elements in row-major order: a view when contiguous, else a copy. */
public final class Reshape extends Function {
  /** @return the reshaped tensor; one entry of {@code newShape} may be -1 (inferred) */
  public static Tensor apply(Tensor a, int[] newShape) {
    int[] shape = infer(a, newShape);
    Tensor src = a.isContiguous() ? a : a.copyData();
    Tensor out = Tensor.view(src.storage(), shape, Shape.contiguousStrides(shape), src.offset());
    return new Reshape().record(out, a);
  }

  private static int[] infer(Tensor a, int[] newShape) {
    int[] s = newShape.clone();
    int free = -1, known = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        if (free >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Shape.str(newShape));
        free = i;
      } else if (s[i] < 0) {
        throw new IllegalArgumentException("reshape: negative size in " + Shape.str(newShape));
      } else {
        known *= s[i];
      }
    }
    int n = a.numel();
    if (free >= 0) {
      if (known == 0 || n % known != 0) {
        throw new IllegalArgumentException("reshape: cannot reshape " + Shape.str(a.shape()) + " (" + n + " elements) to " + Shape.str(newShape));
      }
      s[free] = n / known;
    } else if (known != n) {
      throw new IllegalArgumentException("reshape: cannot reshape " + Shape.str(a.shape()) + " (" + n + " elements) to " + Shape.str(newShape));
    }
    return s;
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    return new Tensor[] {g.reshape(input(0).shape())};
  }
}
