package ansatz.autograd;

/**
 * Copies a strided view into a dense row-major array. This is the only place that walks arbitrary
 * strides: every other op first makes its inputs contiguous (a no-op for most tensors) and then runs
 * flat loops, which keeps the ops simple and lets the kernels vectorise them.
 */
final class Strided {
  private Strided() {}

  static void copy(Storage src, int[] shape, int[] strides, int offset, Storage dst, int dstOff) {
    int n = Shape.numel(shape);
    if (n == 0) return;
    int r = shape.length;
    if (r == 0) {
      dst.set(dstOff, src.get(offset));
      return;
    }
    int inner = shape[r - 1];
    int si = strides[r - 1];
    int[] idx = new int[r];
    int p = offset;
    int o = dstOff;
    boolean toFloat = dst.f != null;
    boolean sameType = (src.f != null) == toFloat;
    for (int done = 0; done < n; done += inner) {
      if (si == 1 && sameType) {
        // Unit-stride rows (every contiguous tensor): a block copy, several times faster than the loop.
        if (toFloat) System.arraycopy(src.f, p, dst.f, o, inner);
        else System.arraycopy(src.d, p, dst.d, o, inner);
      } else if (src.f != null && toFloat) {
        float[] s = src.f, d = dst.f;
        for (int j = 0, q = p; j < inner; j++, q += si) d[o + j] = s[q];
      } else if (src.d != null && !toFloat) {
        double[] s = src.d, d = dst.d;
        for (int j = 0, q = p; j < inner; j++, q += si) d[o + j] = s[q];
      } else if (toFloat) {
        double[] s = src.d;
        float[] d = dst.f;
        for (int j = 0, q = p; j < inner; j++, q += si) d[o + j] = (float) s[q];
      } else {
        float[] s = src.f;
        double[] d = dst.d;
        for (int j = 0, q = p; j < inner; j++, q += si) d[o + j] = s[q];
      }
      o += inner;
      for (int dim = r - 2; dim >= 0; dim--) {
        idx[dim]++;
        p += strides[dim];
        if (idx[dim] < shape[dim]) break;
        p -= strides[dim] * shape[dim];
        idx[dim] = 0;
      }
    }
  }
}
