package ansatz.autograd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float GEMM without packing, for small products and thin shapes (matrix-vector, a 10-column
 * output layer) where packing would cost as much as the multiply.
 *
 * <p>Two row-at-a-time forms, both vectorized along a contiguous dimension:
 * <ul>
 *   <li>axpy form (B not transposed, n at least one vector): C row i accumulates
 *       {@code A[i][p] * B row p} in registers, 4 vectors of columns at a time;
 *   <li>dot form (otherwise): C[i][j] is a dot product of A row i and B column j, both made
 *       contiguous first (B columns are copied once per call when B is not transposed).
 * </ul>
 * Each C element's arithmetic depends only on the shape, never on which thread computes its
 * row, and no lane reduction uses an unspecified order, so results are reproducible.
 */
final class SgemmSmall {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();
  private static final long MIN_TASK_FLOPS = 1L << 20;

  private static final ThreadLocal<SgemmSmall> CALLER = ThreadLocal.withInitial(SgemmSmall::new);
  private static final ThreadLocal<float[]> A_ROW = ThreadLocal.withInitial(() -> new float[64]);
  private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

  private float[] bT = new float[64];

  private boolean transA, transB;
  private int n, k;
  private float alpha, beta;
  private float[] a, b, c;
  private int aOff, lda, bOff, ldb, cOff, ldc;
  private final Parallel.IntRangeBody rows = this::rows;

  private SgemmSmall() {}

  /** Arguments already checked, m, n, k > 0 and alpha != 0. */
  static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    SgemmSmall w = CALLER.get();
    w.transA = transA;
    w.transB = transB;
    w.n = n;
    w.k = k;
    w.alpha = alpha;
    w.beta = beta;
    w.a = a;
    w.aOff = aOff;
    w.lda = lda;
    w.b = b;
    w.bOff = bOff;
    w.ldb = ldb;
    w.c = c;
    w.cOff = cOff;
    w.ldc = ldc;
    try {
      if (!w.axpyForm() && !transB) {
        w.transposeB();
      }
      long rowFlops = 2L * n * k;
      Parallel.forRange(m, (int) Math.max(1, MIN_TASK_FLOPS / rowFlops), w.rows);
    } finally {
      w.a = w.b = w.c = null;
    }
  }

  private boolean axpyForm() {
    return !transB && n >= L;
  }

  // bT[j*k + p] = B[p][j]: makes every B column contiguous for the dot form.
  private void transposeB() {
    if (bT.length < n * k) {
      bT = new float[n * k];
    }
    for (int p = 0; p < k; p++) {
      int src = bOff + p * ldb;
      for (int j = 0; j < n; j++) {
        bT[j * k + p] = b[src + j];
      }
    }
  }

  private void rows(int i0, int i1) {
    if (axpyForm()) {
      for (int i = i0; i < i1; i++) {
        axpyRow(i);
      }
      return;
    }
    float[] aRow = a;
    int aStart = 0;
    if (transA) {
      aRow = A_ROW.get();
      if (aRow.length < k) {
        aRow = new float[k];
        A_ROW.set(aRow);
      }
    }
    float[] lanes = LANES.get();
    float[] bCols = transB ? b : bT;
    int bStart = transB ? bOff : 0;
    int bStride = transB ? ldb : k;
    for (int i = i0; i < i1; i++) {
      if (transA) {
        for (int p = 0; p < k; p++) {
          aRow[p] = a[aOff + p * lda + i];
        }
      } else {
        aStart = aOff + i * lda;
      }
      int ci = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        float s = dot(aRow, aStart, bCols, bStart + j * bStride, k, lanes);
        write(c, ci + j, s, alpha, beta);
      }
    }
  }

  // C row i = alpha * sum_p A[i][p] * B row p + beta * C row i.
  private void axpyRow(int i) {
    int aRow = aOff + i * lda;
    int aStep = 1;
    if (transA) {
      aRow = aOff + i;
      aStep = lda;
    }
    int ci = cOff + i * ldc;
    int j = 0;
    // Four vectors of columns stay in registers for the whole k loop.
    for (; j + 4 * L <= n; j += 4 * L) {
      FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
      for (int p = 0; p < k; p++) {
        FloatVector av = FloatVector.broadcast(F, a[aRow + p * aStep]);
        int bi = bOff + p * ldb + j;
        s0 = av.fma(FloatVector.fromArray(F, b, bi), s0);
        s1 = av.fma(FloatVector.fromArray(F, b, bi + L), s1);
        s2 = av.fma(FloatVector.fromArray(F, b, bi + 2 * L), s2);
        s3 = av.fma(FloatVector.fromArray(F, b, bi + 3 * L), s3);
      }
      write(c, ci + j, s0);
      write(c, ci + j + L, s1);
      write(c, ci + j + 2 * L, s2);
      write(c, ci + j + 3 * L, s3);
    }
    for (; j + L <= n; j += L) {
      FloatVector s0 = FloatVector.zero(F);
      for (int p = 0; p < k; p++) {
        FloatVector av = FloatVector.broadcast(F, a[aRow + p * aStep]);
        s0 = av.fma(FloatVector.fromArray(F, b, bOff + p * ldb + j), s0);
      }
      write(c, ci + j, s0);
    }
    for (; j < n; j++) {
      float s = 0f;
      for (int p = 0; p < k; p++) {
        s = Math.fma(a[aRow + p * aStep], b[bOff + p * ldb + j], s);
      }
      write(c, ci + j, s, alpha, beta);
    }
  }

  private void write(float[] c, int ci, FloatVector sum) {
    FloatVector y = sum.mul(alpha);
    if (beta != 0f) {
      y = y.add(FloatVector.fromArray(F, c, ci).mul(beta));
    }
    y.intoArray(c, ci);
  }

  private static void write(float[] c, int ci, float sum, float alpha, float beta) {
    float y = sum * alpha;
    c[ci] = beta != 0f ? y + c[ci] * beta : y;
  }

  /**
   * Dot product of x[xi..xi+len) and y[yi..yi+len): four vector partial sums over p, combined
   * in a fixed order, then the lanes added left to right (not reduceLanes, whose order is
   * unspecified), then the scalar tail.
   */
  static float dot(float[] x, int xi, float[] y, int yi, int len, float[] lanes) {
    int p = 0;
    FloatVector s0 = FloatVector.zero(F);
    if (len >= L) {
      FloatVector s1 = s0, s2 = s0, s3 = s0;
      for (; p + 4 * L <= len; p += 4 * L) {
        s0 = FloatVector.fromArray(F, x, xi + p).fma(FloatVector.fromArray(F, y, yi + p), s0);
        s1 = FloatVector.fromArray(F, x, xi + p + L)
            .fma(FloatVector.fromArray(F, y, yi + p + L), s1);
        s2 = FloatVector.fromArray(F, x, xi + p + 2 * L)
            .fma(FloatVector.fromArray(F, y, yi + p + 2 * L), s2);
        s3 = FloatVector.fromArray(F, x, xi + p + 3 * L)
            .fma(FloatVector.fromArray(F, y, yi + p + 3 * L), s3);
      }
      for (; p + L <= len; p += L) {
        s0 = FloatVector.fromArray(F, x, xi + p).fma(FloatVector.fromArray(F, y, yi + p), s0);
      }
      s0 = s0.add(s1).add(s2.add(s3));
    }
    s0.intoArray(lanes, 0);
    float s = 0f;
    for (int l = 0; l < L; l++) {
      s += lanes[l];
    }
    for (; p < len; p++) {
      s = Math.fma(x[xi + p], y[yi + p], s);
    }
    return s;
  }
}
