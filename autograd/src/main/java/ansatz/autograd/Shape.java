package ansatz.autograd;

import java.util.Arrays;

/** Static helpers for shapes, strides and NumPy broadcasting. Shapes are {@code int[]}, row-major. */
public final class Shape {
  private Shape() {}

  /** {@return the number of elements of a tensor of this shape (1 for a scalar shape {@code []})} */
  public static int numel(int[] shape) {
    long n = 1;
    for (int s : shape) n *= s;
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + str(shape) + " has " + n + " elements, more than a Java array holds");
    }
    return (int) n;
  }

  /** {@return the row-major (C order) strides of a contiguous tensor of this shape} */
  public static int[] contiguousStrides(int[] shape) {
    int[] st = new int[shape.length];
    int s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      st[i] = s;
      s *= Math.max(shape[i], 1);
    }
    return st;
  }

  /** Checks a shape given by a caller: no negative sizes. */
  public static int[] validate(String op, int[] shape) {
    for (int s : shape) {
      if (s < 0) throw new IllegalArgumentException(op + ": negative size in shape " + str(shape));
    }
    return shape.clone();
  }

  /**
   * NumPy broadcasting: aligns the shapes at their last axis; sizes must be equal or one of them 1.
   *
   * @throws IllegalArgumentException naming the op and both shapes when they do not broadcast
   */
  public static int[] broadcast(String op, int[] a, int[] b) {
    int n = Math.max(a.length, b.length);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int sa = i < n - a.length ? 1 : a[i - (n - a.length)];
      int sb = i < n - b.length ? 1 : b[i - (n - b.length)];
      if (sa != sb && sa != 1 && sb != 1) {
        throw new IllegalArgumentException(
            op + ": shapes " + str(a) + " and " + str(b) + " do not broadcast (axis " + i + ": " + sa + " vs " + sb + ")");
      }
      out[i] = sa == 1 ? sb : sa;
    }
    return out;
  }

  /** Normalises a possibly negative axis against a rank, naming the op on error. */
  public static int axis(String op, int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException(op + ": axis " + axis + " out of range for a tensor of rank " + rank);
    }
    return a;
  }

  /** {@return the shape as {@code [2, 3]}} */
  public static String str(int[] shape) {
    return Arrays.toString(shape);
  }

  /** {@return true if both shapes are equal} */
  public static boolean same(int[] a, int[] b) {
    return Arrays.equals(a, b);
  }
}
