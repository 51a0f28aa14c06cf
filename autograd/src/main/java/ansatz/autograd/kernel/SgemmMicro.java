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
   * Computes the tile {@code acc = Apanel * Bpanel} over {@code kc} steps and writes it, raw, to
   * {@code tile} (MR rows of NR floats); {@link #store} then applies alpha and beta.
   *
   * <p>The tile round trip through L1 costs a few dozen loads per 8 * kc FMAs, and it keeps
   * this method small enough for C2 to inline everything it calls: a helper taking vector
   * arguments that misses the inlining budget forces the accumulators to be boxed.
   *
   * @param ap packed A: for each p, MR consecutive row values, starting at {@code ai}
   * @param bp packed B: for each p, NR consecutive column values, starting at {@code bi}
   */
  static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
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
    c00.intoArray(tile, 0);
    c01.intoArray(tile, L);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + L);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + L);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + L);
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
