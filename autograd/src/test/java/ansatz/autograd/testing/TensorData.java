package ansatz.autograd.testing;

import ansatz.autograd.DType;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * A generated test input: a shape and its values (row-major), plus whether the tensor built from it
 * should require grad. Properties receive these rather than tensors, so each check builds fresh
 * leaves (nothing leaks between tries or shrinking steps) and can build the same values in float32
 * and float64. The values are float32-representable, so both types start from identical numbers.
 *
 * @param shape the shape
 * @param values numel(shape) values in row-major order
 * @param differentiable whether {@link #leaf(DType)} marks the tensor requiresGrad
 */
public record TensorData(int[] shape, double[] values, boolean differentiable) {
  /** Checks that the values fill the shape. */
  public TensorData {
    if (Shape.numel(shape) != values.length) {
      throw new IllegalArgumentException(values.length + " values for shape " + Shape.str(shape));
    }
  }

  /** @return differentiable data */
  public static TensorData of(int[] shape, double[] values) {
    return new TensorData(shape, values, true);
  }

  /** @return the same data, marked as a constant (no gradient is checked for it) */
  public TensorData constant() {
    return new TensorData(shape, values, false);
  }

  /** @return number of elements */
  public int numel() {
    return values.length;
  }

  /** @return a fresh float64 leaf (requiring grad if {@link #differentiable}) */
  public Tensor float64() {
    return leaf(DType.FLOAT64);
  }

  /** @return a fresh float32 leaf (requiring grad if {@link #differentiable}) */
  public Tensor float32() {
    return leaf(DType.FLOAT32);
  }

  /** @return a fresh leaf of the given type */
  public Tensor leaf(DType dtype) {
    Tensor t = dtype == DType.FLOAT64 ? Tensor.of(values, shape) : Tensor.of(toFloats(values), shape);
    return differentiable ? t.requiresGrad(true) : t;
  }

  private static float[] toFloats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
    return f;
  }

  /** Shape and the first few values: what jqwik prints for a falsified sample. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("TensorData").append(Shape.str(shape)).append(differentiable ? "" : " const").append(" {");
    int show = Math.min(values.length, 8);
    for (int i = 0; i < show; i++) sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", values[i]));
    if (values.length > show) sb.append(", ... (").append(values.length).append(" values)");
    return sb.append('}').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorData t && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values) && differentiable == t.differentiable;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
  }
}
