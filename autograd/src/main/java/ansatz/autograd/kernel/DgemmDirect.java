package ansatz.autograd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked double GEMM tiles that read A and B in place, without packing: the small
 * path's workhorse. B must be row-major (the caller materializes a transposed B first).
 *
 * <p>Rows go 4 at a time and columns 2 vectors at a time, like {@link DgemmMicro}, then 1
 * vector, then a zero-padded vector for the last columns; leftover rows go one at a time.
 * Every element is the same FMA chain over p = 0..k-1 from zero, followed by the same
 * alpha/beta roundings, so the tile an element falls in, and therefore the thread split, never
 * changes its value.
 */
final class DgemmDirect {

  private static final VectorSpecies<Double> F = DoubleVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  private DgemmDirect() {}

  /**
   * C rows {@code [i0, i1)} = alpha * A rows * B + beta * C, where
   * {@code A[i][p] = a[a0 + i*ars + p*aps]} (so either layout of A works),
   * {@code B[p][j] = b[b0 + p*ldb + j]} and {@code C[i][j] = c[c0 + i*ldc + j]}.
   *
   * <p>The last {@code n % L} columns are copied, zero-padded to one vector, into
   * {@code tailB} (at least k * L doubles) and computed into {@code tile} (at least 4 * L), so
   * they are vectorized too instead of running latency-bound scalar FMA chains.
   */
  static void rows(int i0, int i1, int n, int k, double[] a, int a0, int ars, int aps,
      double[] b, int b0, int ldb, double[] c, int c0, int ldc, double alpha, double beta,
      double[] tailB, double[] tile) {
    int nv = n - n % L; // columns covered by whole vectors
    if (nv < n) {
      // Two loops with fixed bounds, not one with a per-entry test: C2 had hoisted the test's
      // array bounds check out of the loop from the profile of earlier shapes, and trapped and
      // recompiled this method when a new tail width came (the probes' eigensolver sees many).
      int rem = n - nv;
      for (int p = 0; p < k; p++) {
        int src = b0 + p * ldb + nv, dst = p * L;
        for (int j = 0; j < rem; j++) tailB[dst + j] = b[src + j];
        for (int j = rem; j < L; j++) tailB[dst + j] = 0.0;
      }
    }
    int i = i0;
    for (; i + 4 <= i1; i += 4) {
      int ai = a0 + i * ars;
      int ci = c0 + i * ldc;
      int j = 0;
      for (; j + 2 * L <= n; j += 2 * L) {
        tile4x2(k, a, ai, ars, aps, b, b0 + j, ldb, c, ci + j, ldc, alpha, beta);
      }
      for (; j + L <= n; j += L) {
        tile4x1(k, a, ai, ars, aps, b, b0 + j, ldb, c, ci + j, ldc, alpha, beta);
      }
      if (j < n) {
        // alpha 1, beta 0 keep the raw sums exact; store() then rounds like the tiles do.
        tile4x1(k, a, ai, ars, aps, tailB, 0, L, tile, 0, L, 1.0, 0.0);
        store(tile, 4, n - j, c, ci + j, ldc, alpha, beta);
      }
    }
    for (; i < i1; i++) {
      int ai = a0 + i * ars;
      int ci = c0 + i * ldc;
      int j = 0;
      for (; j + 4 * L <= n; j += 4 * L) {
        tile1x4(k, a, ai, aps, b, b0 + j, ldb, c, ci + j, alpha, beta);
      }
      for (; j + L <= n; j += L) {
        tile1x1(k, a, ai, aps, b, b0 + j, ldb, c, ci + j, alpha, beta);
      }
      if (j < n) {
        tile1x1(k, a, ai, aps, tailB, 0, L, tile, 0, 1.0, 0.0);
        store(tile, 1, n - j, c, ci + j, ldc, alpha, beta);
      }
    }
  }

  private static void store(double[] tile, int rows, int cols, double[] c, int ci, int ldc,
      double alpha, double beta) {
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        int o = ci + r * ldc + j;
        double y = tile[r * L + j] * alpha;
        c[o] = beta != 0.0 ? y + c[o] * beta : y;
      }
    }
  }

  private static void tile4x2(int k, double[] a, int ai, int ars, int aps, double[] b, int bj,
      int ldb, double[] c, int ci, int ldc, double alpha, double beta) {
    DoubleVector c00 = DoubleVector.zero(F), c01 = DoubleVector.zero(F);
    DoubleVector c10 = DoubleVector.zero(F), c11 = DoubleVector.zero(F);
    DoubleVector c20 = DoubleVector.zero(F), c21 = DoubleVector.zero(F);
    DoubleVector c30 = DoubleVector.zero(F), c31 = DoubleVector.zero(F);
    int a1 = ai + ars, a2 = a1 + ars, a3 = a2 + ars;
    for (int p = 0; p < k; p++) {
      int bp = bj + p * ldb;
      int ap = p * aps;
      DoubleVector b0 = DoubleVector.fromArray(F, b, bp);
      DoubleVector b1 = DoubleVector.fromArray(F, b, bp + L);
      DoubleVector av = DoubleVector.broadcast(F, a[ai + ap]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = DoubleVector.broadcast(F, a[a1 + ap]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = DoubleVector.broadcast(F, a[a2 + ap]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = DoubleVector.broadcast(F, a[a3 + ap]);
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

  private static void tile4x1(int k, double[] a, int ai, int ars, int aps, double[] b, int bj,
      int ldb, double[] c, int ci, int ldc, double alpha, double beta) {
    DoubleVector c0 = DoubleVector.zero(F), c1 = DoubleVector.zero(F);
    DoubleVector c2 = DoubleVector.zero(F), c3 = DoubleVector.zero(F);
    int a1 = ai + ars, a2 = a1 + ars, a3 = a2 + ars;
    for (int p = 0; p < k; p++) {
      int ap = p * aps;
      DoubleVector b0 = DoubleVector.fromArray(F, b, bj + p * ldb);
      c0 = DoubleVector.broadcast(F, a[ai + ap]).fma(b0, c0);
      c1 = DoubleVector.broadcast(F, a[a1 + ap]).fma(b0, c1);
      c2 = DoubleVector.broadcast(F, a[a2 + ap]).fma(b0, c2);
      c3 = DoubleVector.broadcast(F, a[a3 + ap]).fma(b0, c3);
    }
    int r1 = ci + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
    c0 = c0.mul(alpha);
    c1 = c1.mul(alpha);
    c2 = c2.mul(alpha);
    c3 = c3.mul(alpha);
    if (beta != 0.0) {
      c0 = c0.add(DoubleVector.fromArray(F, c, ci).mul(beta));
      c1 = c1.add(DoubleVector.fromArray(F, c, r1).mul(beta));
      c2 = c2.add(DoubleVector.fromArray(F, c, r2).mul(beta));
      c3 = c3.add(DoubleVector.fromArray(F, c, r3).mul(beta));
    }
    c0.intoArray(c, ci);
    c1.intoArray(c, r1);
    c2.intoArray(c, r2);
    c3.intoArray(c, r3);
  }

  // One row, four vectors: four independent FMA chains hide most of the FMA latency.
  private static void tile1x4(int k, double[] a, int ai, int aps, double[] b, int bj, int ldb,
      double[] c, int ci, double alpha, double beta) {
    DoubleVector c0 = DoubleVector.zero(F), c1 = DoubleVector.zero(F);
    DoubleVector c2 = DoubleVector.zero(F), c3 = DoubleVector.zero(F);
    for (int p = 0; p < k; p++) {
      int bp = bj + p * ldb;
      DoubleVector av = DoubleVector.broadcast(F, a[ai + p * aps]);
      c0 = av.fma(DoubleVector.fromArray(F, b, bp), c0);
      c1 = av.fma(DoubleVector.fromArray(F, b, bp + L), c1);
      c2 = av.fma(DoubleVector.fromArray(F, b, bp + 2 * L), c2);
      c3 = av.fma(DoubleVector.fromArray(F, b, bp + 3 * L), c3);
    }
    c0 = c0.mul(alpha);
    c1 = c1.mul(alpha);
    c2 = c2.mul(alpha);
    c3 = c3.mul(alpha);
    if (beta != 0.0) {
      c0 = c0.add(DoubleVector.fromArray(F, c, ci).mul(beta));
      c1 = c1.add(DoubleVector.fromArray(F, c, ci + L).mul(beta));
      c2 = c2.add(DoubleVector.fromArray(F, c, ci + 2 * L).mul(beta));
      c3 = c3.add(DoubleVector.fromArray(F, c, ci + 3 * L).mul(beta));
    }
    c0.intoArray(c, ci);
    c1.intoArray(c, ci + L);
    c2.intoArray(c, ci + 2 * L);
    c3.intoArray(c, ci + 3 * L);
  }

  private static void tile1x1(int k, double[] a, int ai, int aps, double[] b, int bj, int ldb,
      double[] c, int ci, double alpha, double beta) {
    DoubleVector c0 = DoubleVector.zero(F);
    for (int p = 0; p < k; p++) {
      c0 = DoubleVector.broadcast(F, a[ai + p * aps])
          .fma(DoubleVector.fromArray(F, b, bj + p * ldb), c0);
    }
    c0 = c0.mul(alpha);
    if (beta != 0.0) {
      c0 = c0.add(DoubleVector.fromArray(F, c, ci).mul(beta));
    }
    c0.intoArray(c, ci);
  }
}
