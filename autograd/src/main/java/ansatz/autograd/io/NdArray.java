package ansatz.autograd.io;

import ansatz.autograd.DType;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * A plain n-dimensional array as stored in a {@code .npy} file: element type, shape and the
 * elements in row-major (C) order. The data is a {@code float[]}, {@code double[]}, {@code int[]}
 * or {@code long[]} matching {@link #type()}; the typed accessors ({@link #floats()} ...) return
 * it without copying. A scalar has shape {@code []} and one element.
 *
 * @param type the element type
 * @param shape the sizes (copied on construction)
 * @param data the elements, an array of the type's Java element type with {@code numel} entries
 */
public record NdArray(NpyType type, int[] shape, Object data) {

  /** Checks that data has the right Java type and exactly fills the shape. */
  public NdArray {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    shape = Shape.validate("NdArray", shape);
    Class<?> want = switch (type) {
      case FLOAT32 -> float[].class;
      case FLOAT64 -> double[].class;
      case INT32 -> int[].class;
      case INT64 -> long[].class;
    };
    if (data.getClass() != want) {
      throw new IllegalArgumentException("NdArray: " + type + " needs a " + want.getSimpleName() + ", got a " + data.getClass().getSimpleName());
    }
    int n = java.lang.reflect.Array.getLength(data);
    if (n != Shape.numel(shape)) {
      throw new IllegalArgumentException("NdArray: " + n + " values do not fill shape " + Npy.shapeString(shape) + " (" + Shape.numel(shape) + " elements)");
    }
  }

  /** {@return a float32 array holding {@code data} (not copied)} */
  public static NdArray of(float[] data, int... shape) {
    return new NdArray(NpyType.FLOAT32, shape, data);
  }

  /** {@return a float64 array holding {@code data} (not copied)} */
  public static NdArray of(double[] data, int... shape) {
    return new NdArray(NpyType.FLOAT64, shape, data);
  }

  /** {@return an int32 array holding {@code data} (not copied)} */
  public static NdArray of(int[] data, int... shape) {
    return new NdArray(NpyType.INT32, shape, data);
  }

  /** {@return an int64 array holding {@code data} (not copied)} */
  public static NdArray of(long[] data, int... shape) {
    return new NdArray(NpyType.INT64, shape, data);
  }

  /** {@return the values of a tensor (any layout) as a float32 or float64 array of the same type} */
  public static NdArray of(Tensor t) {
    return t.dtype() == DType.FLOAT32 ? of(t.toFloatArray(), t.shape()) : of(t.toDoubleArray(), t.shape());
  }

  /** {@return a copy of the shape} */
  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** {@return the number of elements} */
  public int numel() {
    return Shape.numel(shape);
  }

  /** {@return the number of axes} */
  public int dim() {
    return shape.length;
  }

  /** {@return the float32 data (not a copy)} */
  public float[] floats() {
    return (float[]) dataOf(NpyType.FLOAT32);
  }

  /** {@return the float64 data (not a copy)} */
  public double[] doubles() {
    return (double[]) dataOf(NpyType.FLOAT64);
  }

  /** {@return the int32 data (not a copy)} */
  public int[] ints() {
    return (int[]) dataOf(NpyType.INT32);
  }

  /** {@return the int64 data (not a copy)} */
  public long[] longs() {
    return (long[]) dataOf(NpyType.INT64);
  }

  private Object dataOf(NpyType want) {
    if (type != want) throw new IllegalStateException("NdArray holds " + type + ", not " + want);
    return data;
  }

  /** {@return element {@code i} (row-major) as a double, whatever the type} */
  public double getDouble(int i) {
    return switch (type) {
      case FLOAT32 -> ((float[]) data)[i];
      case FLOAT64 -> ((double[]) data)[i];
      case INT32 -> ((int[]) data)[i];
      case INT64 -> ((long[]) data)[i];
    };
  }

  /**
   * Integer data as an {@code int[]} (for labels and indices): int32 data is copied, int64 data is
   * narrowed with a range check.
   */
  public int[] toIntArray() {
    return switch (type) {
      case INT32 -> ints().clone();
      case INT64 -> {
        long[] l = longs();
        int[] r = new int[l.length];
        for (int i = 0; i < l.length; i++) {
          if (l[i] != (int) l[i]) throw new ArithmeticException("NdArray.toIntArray: element " + i + " = " + l[i] + " does not fit in an int");
          r[i] = (int) l[i];
        }
        yield r;
      }
      default -> throw new IllegalStateException("NdArray.toIntArray: holds " + type + ", not an integer type");
    };
  }

  /**
   * {@return a tensor (float32 or float64, as stored) holding a copy of the data}
   *
   * @throws IllegalStateException for integer arrays (convert explicitly)
   */
  public Tensor toTensor() {
    return switch (type) {
      case FLOAT32 -> Tensor.of(floats(), shape);
      case FLOAT64 -> Tensor.of(doubles(), shape);
      default -> throw new IllegalStateException("NdArray.toTensor: holds " + type + "; tensors are float32 or float64");
    };
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NdArray other)) return false;
    return type == other.type && Arrays.equals(shape, other.shape) && Arrays.deepEquals(new Object[] {data}, new Object[] {other.data});
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, Arrays.hashCode(shape), Arrays.deepHashCode(new Object[] {data}));
  }

  /** {@return e.g. {@code NdArray(float32, (3, 4))} -- the values are not printed} */
  @Override
  public String toString() {
    return "NdArray(" + type + ", " + Npy.shapeString(shape) + ")";
  }
}
