package ansatz.autograd;

/**
 * The flat array behind one or more tensors. Views (reshape, transpose, expand, narrow) share a
 * storage and differ only in shape, strides and offset. Exactly one of {@link #f} and {@link #d} is
 * non-null. The version counter is bumped by in-place writes, so that the autograd engine can refuse
 * to differentiate through a tensor that was modified after it was saved for backward.
 */
public final class Storage {
  /** Float32 data, or null. */
  public final float[] f;
  /** Float64 data, or null. */
  public final double[] d;
  private int version;

  Storage(float[] f) {
    this.f = f;
    this.d = null;
  }

  Storage(double[] d) {
    this.f = null;
    this.d = d;
  }

  static Storage allocate(DType dtype, int n) {
    return dtype == DType.FLOAT32 ? new Storage(new float[n]) : new Storage(new double[n]);
  }

  /** {@return the element type} */
  public DType dtype() {
    return f != null ? DType.FLOAT32 : DType.FLOAT64;
  }

  /** {@return number of elements in the array} */
  public int length() {
    return f != null ? f.length : d.length;
  }

  /** {@return how many in-place writes this storage has seen} */
  public int version() {
    return version;
  }

  /** Records an in-place write. */
  public void bumpVersion() {
    version++;
  }

  /** {@return element {@code i} of the flat array as a double} */
  public double get(int i) {
    return f != null ? f[i] : d[i];
  }

  /** Sets element {@code i} of the flat array (rounding to float32 when needed). */
  public void set(int i, double v) {
    if (f != null) f[i] = (float) v;
    else d[i] = v;
  }
}
