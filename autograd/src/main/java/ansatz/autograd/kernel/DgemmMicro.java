package ansatz.autograd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double micro-kernel: one MR x NR tile of C from packed panels of A and B.
 *
 * <p>Same shape and reasoning as {@link SgemmMicro}: 4 rows by 2 vectors (4 x 8 doubles on
 * AVX2), 8 accumulators, no register spills.
 *
 * <p>Every C element is the FMA chain {@code acc = fma(a[p], b[p], acc)} for p = 0..kc-1 in
 * order, starting from zero, whatever the tile position; edge tiles run the same code on
 * zero-padded panels. That is what makes results independent of how C is split over threads.
 */
final class DgemmMicro {

  static final VectorSpecies<Double> F = DoubleVector.SPECIES_PREFERRED;
  static final int L = F.length();
  static final int MR = 4;
  static final int NR = 2 * L;

  private DgemmMicro() {}

  /**
   * Computes {@code acc = Apanel * Bpanel} over {@code kc} steps and stores
   * {@code C = alpha * acc + beta * C} into the full MR x NR tile at {@code c[ci]} (row stride
   * {@code ldc}); {@code beta == 0} overwrites C without reading it.
   *
   * <p>Edge tiles call this with the scratch tile as C, alpha 1 and beta 0 (which store the raw
   * sums exactly), then {@link #store} the valid part.
   *
   * <p>The epilogue is written out by hand: a helper method taking the accumulators as
   * arguments, if C2 runs out of inlining budget for it, forces them to be boxed.
   *
   * @param ap packed A: for each p, MR consecutive row values, starting at {@code ai}
   * @param bp packed B: for each p, NR consecutive column values, starting at {@code bi}
   */
  static void kernel(int kc, double[] ap, int ai, double[] bp, int bi,
      double[] c, int ci, int ldc, double alpha, double beta) {
    DoubleVector c00 = DoubleVector.zero(F), c01 = DoubleVector.zero(F);
    DoubleVector c10 = DoubleVector.zero(F), c11 = DoubleVector.zero(F);
    DoubleVector c20 = DoubleVector.zero(F), c21 = DoubleVector.zero(F);
    DoubleVector c30 = DoubleVector.zero(F), c31 = DoubleVector.zero(F);
    for (int p = 0; p < kc; p++) {
      // Indices are affine in p so C2 can hoist the bounds checks out of the loop.
      int a = ai + p * MR;
      int b = bi + p * NR;
      DoubleVector b0 = DoubleVector.fromArray(F, bp, b);
      DoubleVector b1 = DoubleVector.fromArray(F, bp, b + L);
      DoubleVector av = DoubleVector.broadcast(F, ap[a]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = DoubleVector.broadcast(F, ap[a + 1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = DoubleVector.broadcast(F, ap[a + 2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = DoubleVector.broadcast(F, ap[a + 3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
    }
    int r1 = ci + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
    c00 = c00.mul(alpha);
    c01 = c01.mul(alpha);
    c10 = c10.mul(alpha);
    c11 = c11.mul(alpha);
    c20 = c20.mul(alpha);
    c21 = c21.mul(alpha);
    c30 = c30.mul(alpha);
    c31 = c31.mul(alpha);
    if (beta != 0.0) {
      c00 = c00.add(DoubleVector.fromArray(F, c, ci).mul(beta));
      c01 = c01.add(DoubleVector.fromArray(F, c, ci + L).mul(beta));
      c10 = c10.add(DoubleVector.fromArray(F, c, r1).mul(beta));
      c11 = c11.add(DoubleVector.fromArray(F, c, r1 + L).mul(beta));
      c20 = c20.add(DoubleVector.fromArray(F, c, r2).mul(beta));
      c21 = c21.add(DoubleVector.fromArray(F, c, r2 + L).mul(beta));
      c30 = c30.add(DoubleVector.fromArray(F, c, r3).mul(beta));
      c31 = c31.add(DoubleVector.fromArray(F, c, r3 + L).mul(beta));
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + L);
    c10.intoArray(c, r1);
    c11.intoArray(c, r1 + L);
    c20.intoArray(c, r2);
    c21.intoArray(c, r2 + L);
    c30.intoArray(c, r3);
    c31.intoArray(c, r3 + L);
  }

  /**
   * {@code C = alpha * tile + beta * C} for the top-left {@code mr x nr} of the tile, at
   * {@code c[ci]} with row stride {@code ldc}; {@code beta == 0} does not read C. Full rows go
   * through vectors, partial ones through scalars with the same two roundings, so an element's
   * value does not depend on whether its tile was full.
   */
  static void store(double[] tile, int mr, int nr, double[] c, int ci, int ldc,
      double alpha, double beta) {
    for (int r = 0; r < mr; r++) {
      int o = ci + r * ldc;
      int t = r * NR;
      int j = 0;
      for (; j + L <= nr; j += L) {
        DoubleVector y = DoubleVector.fromArray(F, tile, t + j).mul(alpha);
        if (beta != 0.0) {
          y = y.add(DoubleVector.fromArray(F, c, o + j).mul(beta));
        }
        y.intoArray(c, o + j);
      }
      for (; j < nr; j++) {
        double y = tile[t + j] * alpha;
        c[o + j] = beta != 0.0 ? y + c[o + j] * beta : y;
      }
    }
  }
}
