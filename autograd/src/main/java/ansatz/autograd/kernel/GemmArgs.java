package ansatz.autograd.kernel;

/** Argument checks shared by {@link Gemm} and {@link GemmScalar}, so both reject the same calls. */
final class GemmArgs {

  private GemmArgs() {}

  /**
   * Throws {@link IllegalArgumentException} naming the offending argument. Array lengths are
   * passed as ints so one check serves float and double; a null array is passed as -1.
   */
  static void check(boolean transA, boolean transB, int m, int n, int k,
      int aLen, int aOff, int lda, int bLen, int bOff, int ldb, int cLen, int cOff, int ldc) {
    nonNegative("m", m);
    nonNegative("n", n);
    nonNegative("k", k);
    // Stored shapes: op(A) is m x k, so the stored A is k x m when transposed.
    matrix("a", aLen, "aOff", aOff, "lda", lda, transA ? k : m, transA ? m : k);
    matrix("b", bLen, "bOff", bOff, "ldb", ldb, transB ? n : k, transB ? k : n);
    matrix("c", cLen, "cOff", cOff, "ldc", ldc, m, n);
  }

  private static void nonNegative(String name, int v) {
    if (v < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + v);
    }
  }

  private static void matrix(String arr, int len, String offName, int off, String ldName, int ld,
      int rows, int cols) {
    if (len < 0) {
      throw new IllegalArgumentException(arr + " must not be null");
    }
    nonNegative(offName, off);
    if (rows == 0 || cols == 0) {
      return; // an empty matrix is never read, so ld and the length do not matter
    }
    if (ld < cols) {
      throw new IllegalArgumentException(
          ldName + " must be >= " + cols + " (columns of stored " + arr + "), got " + ld);
    }
    // long: off + (rows-1)*ld can overflow int for big but legal-looking arguments.
    long need = (long) off + (long) (rows - 1) * ld + cols;
    if (need > len) {
      throw new IllegalArgumentException(arr + " too small: " + rows + "x" + cols + " with "
          + offName + "=" + off + ", " + ldName + "=" + ld + " needs length >= " + need
          + ", got " + len);
    }
  }
}
