package ansatz.autograd.io;

import ansatz.autograd.DType;

/**
 * The element types Ansatz reads and writes in {@code .npy} files, with their NumPy descriptors.
 * Files are always little-endian, as NumPy writes them on every common machine.
 */
public enum NpyType {
  /** 32-bit float, {@code '<f4'}, held in a {@code float[]}. */
  FLOAT32("<f4", "float32", 4),
  /** 64-bit float, {@code '<f8'}, held in a {@code double[]}. */
  FLOAT64("<f8", "float64", 8),
  /** 32-bit signed integer, {@code '<i4'}, held in an {@code int[]}. */
  INT32("<i4", "int32", 4),
  /** 64-bit signed integer, {@code '<i8'}, held in a {@code long[]}. */
  INT64("<i8", "int64", 8);

  private final String descr;
  private final String numpyName;
  private final int bytes;

  NpyType(String descr, String numpyName, int bytes) {
    this.descr = descr;
    this.numpyName = numpyName;
    this.bytes = bytes;
  }

  /** {@return the descriptor written in the header, e.g. {@code <f4}} */
  public String descr() {
    return descr;
  }

  /** {@return bytes per element} */
  public int bytes() {
    return bytes;
  }

  /** {@return true for float32 and float64} */
  public boolean isFloat() {
    return this == FLOAT32 || this == FLOAT64;
  }

  /** {@return the tensor type of a float type} */
  public DType toDType() {
    return switch (this) {
      case FLOAT32 -> DType.FLOAT32;
      case FLOAT64 -> DType.FLOAT64;
      default -> throw new IllegalArgumentException(numpyName + " has no tensor type (tensors are float32 or float64)");
    };
  }

  /** {@return the npy type of a tensor type} */
  public static NpyType of(DType dtype) {
    return dtype == DType.FLOAT32 ? FLOAT32 : FLOAT64;
  }

  /**
   * Parses a header descriptor. Accepts {@code <} (little-endian) and {@code =} (native order,
   * little-endian on every machine Ansatz runs on); a big-endian {@code >} or the byte-order-free
   * {@code |} (meaningless for multi-byte numbers) are refused, as are all other kinds.
   *
   * @return the type, or null if the descriptor is not supported
   */
  static NpyType fromDescr(String descr) {
    if (descr.length() < 2 || (descr.charAt(0) != '<' && descr.charAt(0) != '=')) return null;
    String kind = descr.substring(1);
    for (NpyType t : values()) {
      if (t.descr.substring(1).equals(kind)) return t;
    }
    return null;
  }

  /** {@return the NumPy name, e.g. {@code float32}} */
  @Override
  public String toString() {
    return numpyName;
  }
}
