package ansatz.autograd;

/**
 * Element type of a tensor's storage. Float32 is the training type (speed); float64 is for checks
 * (gradient checks, golden comparisons, exact linear algebra). Conversions are always explicit
 * ({@link Tensor#to(DType)}); a binary op on mixed types promotes to float64, as NumPy and PyTorch do.
 */
public enum DType {
  /** 32-bit IEEE float, stored in a {@code float[]}. */
  FLOAT32(4, "float32"),
  /** 64-bit IEEE float, stored in a {@code double[]}. */
  FLOAT64(8, "float64");

  private final int bytes;
  private final String label;

  DType(int bytes, String label) {
    this.bytes = bytes;
    this.label = label;
  }

  /** {@return bytes per element} */
  public int bytes() {
    return bytes;
  }

  /** {@return the wider of the two types (the result type of a binary op)} */
  public static DType promote(DType a, DType b) {
    return a == FLOAT64 || b == FLOAT64 ? FLOAT64 : FLOAT32;
  }

  @Override
  public String toString() {
    return label;
  }
}
