package ansatz.autograd;

import java.util.Locale;

/** NumPy-like printing: nested brackets, at most 6 entries per axis (3 first, ..., 3 last). */
final class TensorPrinter {
  private static final int EDGE = 3;

  private TensorPrinter() {}

  static String format(Tensor t) {
    StringBuilder sb = new StringBuilder("tensor(");
    Tensor c = t.detach().copyIfNotDense();
    boolean ints = true;
    double maxAbs = 0;
    for (int i = 0, n = c.numel(); i < n; i++) {
      double v = c.storage().get(i);
      if (v != Math.rint(v) || Double.isInfinite(v)) ints = false;
      if (Double.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    boolean sci = maxAbs >= 1e6 || (maxAbs > 0 && maxAbs < 1e-3);
    String fmt = ints ? "%.0f." : sci ? "%.4e" : "%.4f";
    append(sb, c, 0, 0, fmt, 7);
    sb.append(", shape=").append(Shape.str(t.shape())).append(", ").append(t.dtype());
    if (t.gradFn() != null) sb.append(", grad_fn=").append(t.gradFn().name());
    else if (t.requiresGrad()) sb.append(", requires_grad");
    return sb.append(')').toString();
  }

  private static void append(StringBuilder sb, Tensor c, int axis, int base, String fmt, int indent) {
    int[] shape = c.shape();
    if (shape.length == 0) {
      sb.append(num(c.storage().get(0), fmt));
      return;
    }
    int n = shape[axis];
    int stride = 1;
    for (int i = axis + 1; i < shape.length; i++) stride *= shape[i];
    sb.append('[');
    for (int i = 0; i < n; i++) {
      if (n > 2 * EDGE && i == EDGE) {
        sb.append(axis == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + axis + 1));
        i = n - EDGE;
      }
      if (axis == shape.length - 1) sb.append(num(c.storage().get(base + i), fmt));
      else append(sb, c, axis + 1, base + i * stride, fmt, indent);
      if (i < n - 1) sb.append(axis == shape.length - 1 ? ", " : ",\n" + " ".repeat(indent + axis + 1));
    }
    sb.append(']');
  }

  private static String num(double v, String fmt) {
    if (Double.isNaN(v)) return "nan";
    if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
    return String.format(Locale.ROOT, fmt, v);
  }
}
