package ansatz.autograd.kernel;

import static ansatz.autograd.kernel.DgemmMicro.F;
import static ansatz.autograd.kernel.DgemmMicro.L;
import static ansatz.autograd.kernel.DgemmMicro.MR;
import static ansatz.autograd.kernel.DgemmMicro.NR;

import jdk.incubator.vector.DoubleVector;

/**
 * Packs blocks of op(A) and op(B) into the contiguous sliver layout {@link DgemmMicro} reads.
 *
 * <p>Packing is where the transpose flags are handled, so all four combinations share one
 * micro-kernel. Slivers narrower than MR (or NR) at the matrix edge are padded with zeros: the
 * micro-kernel then runs unchanged and the padding never reaches C.
 */
final class DgemmPack {

  private DgemmPack() {}

  /**
   * Packs rows {@code [i0, i0 + rows)} x columns {@code [p0, p0 + kc)} of op(A) as one MR-row
   * sliver: {@code dst[d + p*MR + r] = op(A)[i0 + r][p0 + p]}, zero for {@code r >= rows}.
   */
  static void packA(boolean transA, double[] a, int aOff, int lda, int i0, int rows, int p0,
      int kc, double[] dst, int d) {
    if (transA) {
      // Stored A is k x m: the MR values for one p are contiguous.
      for (int p = 0; p < kc; p++) {
        int src = aOff + (p0 + p) * lda + i0;
        int o = d + p * MR;
        for (int r = 0; r < rows; r++) {
          dst[o + r] = a[src + r];
        }
        for (int r = rows; r < MR; r++) {
          dst[o + r] = 0.0;
        }
      }
    } else if (rows == MR) {
      // Four row streams read in step; each is sequential in memory.
      int s0 = aOff + i0 * lda + p0;
      int s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
      for (int p = 0; p < kc; p++) {
        int o = d + p * MR;
        dst[o] = a[s0 + p];
        dst[o + 1] = a[s1 + p];
        dst[o + 2] = a[s2 + p];
        dst[o + 3] = a[s3 + p];
      }
    } else {
      for (int r = 0; r < MR; r++) {
        int src = aOff + (i0 + r) * lda + p0;
        for (int p = 0; p < kc; p++) {
          dst[d + p * MR + r] = r < rows ? a[src + p] : 0.0;
        }
      }
    }
  }

  /**
   * Packs rows {@code [p0, p0 + kc)} x columns {@code [j0, j0 + cols)} of op(B) as one NR-column
   * sliver: {@code dst[d + p*NR + j] = op(B)[p0 + p][j0 + j]}, zero for {@code j >= cols}.
   */
  static void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int kc, int j0,
      int cols, double[] dst, int d) {
    if (!transB && cols == NR) {
      // Stored B is k x n: each packed row is two straight vector copies.
      for (int p = 0; p < kc; p++) {
        int src = bOff + (p0 + p) * ldb + j0;
        int o = d + p * NR;
        DoubleVector.fromArray(F, b, src).intoArray(dst, o);
        DoubleVector.fromArray(F, b, src + L).intoArray(dst, o + L);
      }
    } else if (!transB) {
      for (int p = 0; p < kc; p++) {
        int src = bOff + (p0 + p) * ldb + j0;
        int o = d + p * NR;
        for (int j = 0; j < cols; j++) {
          dst[o + j] = b[src + j];
        }
        for (int j = cols; j < NR; j++) {
          dst[o + j] = 0.0;
        }
      }
    } else {
      // Stored B is n x k: read each stored row sequentially, write with stride NR.
      for (int j = 0; j < NR; j++) {
        if (j < cols) {
          int src = bOff + (j0 + j) * ldb + p0;
          for (int p = 0; p < kc; p++) {
            dst[d + p * NR + j] = b[src + p];
          }
        } else {
          for (int p = 0; p < kc; p++) {
            dst[d + p * NR + j] = 0.0;
          }
        }
      }
    }
  }
}
