package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Tensor;

/** Changes the element type; the gradient is converted back by the engine. */
public final class Convert extends Function {
  /** @return {@code a} as {@code dtype} */
  public static Tensor apply(Tensor a, DType dtype) {
    Tensor out = Tensor.empty(dtype, a.shape());
    int n = out.numel();
    Tensor src = a.copyIfNotDense();
    if (dtype == DType.FLOAT64) {
      float[] s = src.floats();
      double[] d = out.doubles();
      for (int i = 0; i < n; i++) d[i] = s[i];
    } else {
      double[] s = src.doubles();
      float[] d = out.floats();
      for (int i = 0; i < n; i++) d[i] = (float) s[i];
    }
    return new Convert().record(out, a);
  }

  @Override
  public String name() {
    return "to";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    return new Tensor[] {g.to(input(0).dtype())};
  }
}
