package ansatz.autograd.ops;

import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/** A new shape with the same elements in row-major order: a view when contiguous, else a copy. */
public final class Reshape extends Function {
  /** @return the reshaped tensor; one entry of {@code newShape} may be -1 (inferred) */
  public static Tensor apply(Tensor a, int[] newShape) {
    int[] shape = infer(a, newShape);
    Tensor out;
    int[] unitStrides = a.isContiguous() ? null : stridesIfOnlyUnitAxesChange(a, shape);
    if (unitStrides != null) {
      out = Tensor.view(a.storage(), shape, unitStrides, a.offset());
    } else {
      Tensor src = a.isContiguous() ? a : a.copyData();
      out = Tensor.view(src.storage(), shape, Shape.contiguousStrides(shape), src.offset());
    }
    return new Reshape().record(out, a);
  }

  /**
   * If {@code shape} only inserts or removes axes of size 1 (unsqueeze, squeeze, select), any
   * strided tensor can be viewed in it: the other axes keep their strides. A size-1 axis gets the
   * stride it would have in a dense layout of the axes after it, so that GEMM still recognises
   * row vectors of a transposed matrix. @return those strides, or null if other sizes change
   */
  private static int[] stridesIfOnlyUnitAxesChange(Tensor a, int[] shape) {
    int[] old = a.shape(), oldStrides = a.strides();
    int[] st = new int[shape.length];
    int i = old.length - 1;
    int next = 1; // stride of a size-1 axis: extent of the axis after it
    for (int j = shape.length - 1; j >= 0; j--) {
      while (i >= 0 && old[i] == 1) i--;
      if (shape[j] == 1) {
        st[j] = next;
        continue;
      }
      if (i < 0 || old[i] != shape[j]) return null;
      st[j] = oldStrides[i];
      next = oldStrides[i] * shape[j];
      i--;
    }
    while (i >= 0 && old[i] == 1) i--;
    return i < 0 ? st : null;
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
