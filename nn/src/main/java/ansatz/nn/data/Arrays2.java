package ansatz.nn.data;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;

/** Small array helpers shared by the loaders and preprocessing (package-private). */
final class Arrays2 {
  private Arrays2() {}

  /** {@return a new tensor of {@code dtype} holding {@code values} in {@code shape}} */
  static Tensor tensor(double[] values, DType dtype, int... shape) {
    if (dtype == DType.FLOAT64) return Tensor.wrap(values, shape);
    float[] f = new float[values.length];
    for (int i = 0; i < values.length; i++) f[i] = (float) values[i];
    return Tensor.wrap(f, shape);
  }
}
