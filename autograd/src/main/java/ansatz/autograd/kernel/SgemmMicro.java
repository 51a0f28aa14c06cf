package ansatz.autograd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float micro-kernel: one MR x NR tile of C from packed panels of A and B.
 *
 * <p>MR = 4 rows by NR = 2 vectors (4 x 16 on AVX2) gives 8 accumulators, enough to keep both
 * FMA pipes busy through the 4-cycle FMA latency. The classic 6 x 16 tile does not work from
 * Java: C2 hoists all broadcasts of A to the top of the loop body, 12 accumulators + 2 B
 * vectors + 6 broadcasts exceed the 16 ymm registers, and the spilled accumulator turns into a
 * store-forwarding chain that halves throughput (measured: 6 x 16 ~38 GFLOP/s, 4 x 16 ~88
 * GFLOP/s from L1 on the same core). Written against the preferred species, so 512-bit
 * vectors give a 4 x 32 tile and 128-bit vectors 4 x 8.
 *
 * <p>Every C element is the FMA chain {@code acc = fma(a[p], b[p], acc)} for p = 0..kc-1 in
 * order, starting from zero, whatever the tile position; edge tiles run the same code on
 * zero-padded panels. That is what makes results independent of how C is split over threads.
 */
final class SgemmMicro {

  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  static final int L = F.length();
  static final int MR = 4;
  static final int NR = 2 * L;

  private SgemmMicro() {}

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
  static void kernel(int kc, float[] ap, int ai, float[] bp, int bi,
      float[] c, int ci, int ldc, float alpha, float beta) {
    FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
    FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
    FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
    for (int p = 0; p < kc; p++) {
      // Indices are affine in p so C2 can hoist the bounds checks out of the loop.
      int a = ai + p * MR;
      int b = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(F, bp, b);
      FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
      FloatVector av = FloatVector.broadcast(F, ap[a]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(F, ap[a + 1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(F, ap[a + 2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(F, ap[a + 3]);
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
    if (beta != 0f) {
      c00 = c00.add(FloatVector.fromArray(F, c, ci).mul(beta));
      c01 = c01.add(FloatVector.fromArray(F, c, ci + L).mul(beta));
      c10 = c10.add(FloatVector.fromArray(F, c, r1).mul(beta));
      c11 = c11.add(FloatVector.fromArray(F, c, r1 + L).mul(beta));
      c20 = c20.add(FloatVector.fromArray(F, c, r2).mul(beta));
      c21 = c21.add(FloatVector.fromArray(F, c, r2 + L).mul(beta));
      c30 = c30.add(FloatVector.fromArray(F, c, r3).mul(beta));
      c31 = c31.add(FloatVector.fromArray(F, c, r3 + L).mul(beta));
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
  static void store(float[] tile, int mr, int nr, float[] c, int ci, int ldc,
      float alpha, float beta) {
    for (int r = 0; r < mr; r++) {
      int o = ci + r * ldc;
      int t = r * NR;
      int j = 0;
      for (; j + L <= nr; j += L) {
        FloatVector y = FloatVector.fromArray(F, tile, t + j).mul(alpha);
        if (beta != 0f) {
          y = y.add(FloatVector.fromArray(F, c, o + j).mul(beta));
        }
        y.intoArray(c, o + j);
      }
      for (; j < nr; j++) {
        float y = tile[t + j] * alpha;
        c[o + j] = beta != 0f ? y + c[o + j] * beta : y;
      }
    }
  }
}
