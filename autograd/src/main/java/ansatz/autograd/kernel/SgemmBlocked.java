package ansatz.autograd.kernel;

import static ansatz.autograd.kernel.SgemmMicro.MR;
import static ansatz.autograd.kernel.SgemmMicro.NR;

/**
 * Cache-blocked, packed, multithreaded float GEMM (the BLIS loop nest).
 *
 * <pre>
 * for jc in n step NC                  B panel KC x NC, shared by all threads (L3)
 *   for pc in k step KC                one fork-join to pack B, one to compute
 *     for ic in my rows step MC        A block MC x KC, per thread (L2)
 *       for jr in nc step NR           B sliver KC x NR stays in L1
 *         for ir in mc step MR         micro-kernel, 4 x 16 tile of C
 * </pre>
 *
 * <p>Threads split C only (rows, or columns when C is short), never k: each C element sees the
 * same KC blocks in the same order for any thread count, so results are bitwise reproducible.
 * The split is dynamic: each thread claims row (or column) units from a shared counter, so a
 * thread that loses its core on a busy machine does not hold up the others; since an element's
 * value does not depend on who computes it, this costs no reproducibility.
 * An instance is the per-calling-thread workspace: it holds the shared B panel and the two
 * loop bodies, so a call allocates nothing after warm-up.
 */
final class SgemmBlocked {

  static final int KC = 256;
  static final int MC = 128; // A block 128 x 256 floats = 128 KB, a quarter of a 512 KB L2
  static final int NC = 4096; // multiple of NR for 128/256/512-bit vectors

  private static final ThreadLocal<SgemmBlocked> CALLER = ThreadLocal.withInitial(SgemmBlocked::new);
  private static final ThreadLocal<float[]> A_PACK = ThreadLocal.withInitial(() -> new float[MC * KC]);
  private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);

  private float[] bPack = new float[0];

  // The current call, read by the loop bodies (possibly on worker threads; the fork-join
  // publishes them).
  private boolean transA, transB;
  private int m, k, jc, nc, pc, kc;
  private float alpha, beta;
  private float[] a, b, c;
  private int aOff, lda, bOff, ldb, cOff, ldc;

  // Dynamic work units of the compute phase: unitLen rows (or slivers), claimed via next.
  private final java.util.concurrent.atomic.AtomicInteger next =
      new java.util.concurrent.atomic.AtomicInteger();
  private int units, unitLen;
  private boolean splitRows;

  private final Parallel.IntRangeBody packBody = this::packB;
  private final Parallel.IntRangeBody computeBody = this::computeUnits;

  private SgemmBlocked() {}

  /** Full GEMM; arguments already checked, m, n, k > 0 and alpha != 0. */
  static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    SgemmBlocked w = CALLER.get();
    w.transA = transA;
    w.transB = transB;
    w.m = m;
    w.k = k;
    w.alpha = alpha;
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
      w.run(n, beta);
    } finally {
      w.a = w.b = w.c = null; // do not pin the caller's arrays
    }
  }

  private void run(int n, float betaIn) {
    int mSlivers = (m + MR - 1) / MR;
    for (jc = 0; jc < n; jc += NC) {
      nc = Math.min(NC, n - jc);
      int nSlivers = (nc + NR - 1) / NR;
      int need = nSlivers * NR * KC;
      if (bPack.length < need) {
        bPack = new float[need];
      }
      for (pc = 0; pc < k; pc += KC) {
        kc = Math.min(KC, k - pc);
        // Only the first k block applies the caller's beta; later ones accumulate onto C.
        beta = pc == 0 ? betaIn : 1f;
        // Packing a float costs about as much as 32 flops of the kernel.
        Parallel.forRange(nSlivers, grain(32L * NR * kc), packBody);
        planUnits(mSlivers, nSlivers);
        next.set(0);
        Parallel.forRange(units, 1, computeBody);
      }
    }
  }

  // About 4 units per thread (for balance), at most one A block of MC rows (for cache reuse),
  // and each unit worth at least Parallel.minTaskFlops(). Rows by default; columns when C is
  // too short to give every thread rows.
  private void planUnits(int mSlivers, int nSlivers) {
    int threads = Parallel.threads();
    splitRows = mSlivers >= 2 * threads || nSlivers < 2 * threads;
    int total = splitRows ? mSlivers : nSlivers;
    long flopsPerSliver = splitRows ? 2L * MR * nc * kc : 2L * m * NR * kc;
    int len = ceilDiv(total, 4 * threads);
    len = (int) Math.max(len, Parallel.minTaskFlops() / Math.max(1, flopsPerSliver));
    if (splitRows) {
      len = Math.min(len, MC / MR);
    }
    unitLen = Math.max(1, Math.min(len, total));
    units = ceilDiv(total, unitLen);
  }

  private static int grain(long flopsPerUnit) {
    return (int) Math.max(1, Parallel.minTaskFlops() / flopsPerUnit);
  }

  private static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }

  private void computeUnits(int ignoredFrom, int ignoredTo) {
    int total = units;
    for (int u = next.getAndIncrement(); u < total; u = next.getAndIncrement()) {
      int s0 = u * unitLen, s1 = s0 + unitLen;
      if (splitRows) {
        compute(s0 * MR, Math.min(s1 * MR, m), 0, nc);
      } else {
        compute(0, m, s0 * NR, Math.min(s1 * NR, nc));
      }
    }
  }

  private void packB(int s0, int s1) {
    for (int s = s0; s < s1; s++) {
      int j0 = s * NR;
      SgemmPack.packB(transB, b, bOff, ldb, pc, kc, jc + j0, Math.min(NR, nc - j0), bPack,
          s * NR * kc);
    }
  }

  /** Rows [i0, i1) x panel columns [j0, j1) of C for the current (jc, pc) block. */
  private void compute(int i0, int i1, int j0, int j1) {
    float[] aPack = A_PACK.get();
    float[] tile = TILE.get();
    // Locals, not fields, in the hot loops: the JIT keeps them in registers.
    float[] bp = bPack, cc = c;
    int kcl = kc, ldcl = ldc;
    float al = alpha, be = beta;
    for (int ic = i0; ic < i1; ic += MC) {
      int mc = Math.min(MC, i1 - ic);
      for (int ir = 0; ir < mc; ir += MR) {
        SgemmPack.packA(transA, a, aOff, lda, ic + ir, Math.min(MR, mc - ir), pc, kcl, aPack,
            ir * kcl);
      }
      for (int jr = j0; jr < j1; jr += NR) {
        int nr = Math.min(NR, j1 - jr);
        int bi = (jr / NR) * NR * kcl;
        for (int ir = 0; ir < mc; ir += MR) {
          int mr = Math.min(MR, mc - ir);
          int ci = cOff + (ic + ir) * ldcl + jc + jr;
          if (mr == MR && nr == NR) {
            SgemmMicro.kernel(kcl, aPack, ir * kcl, bp, bi, cc, ci, ldcl, al, be);
          } else {
            // Same kernel into the scratch tile, then only the valid part into C.
            SgemmMicro.kernel(kcl, aPack, ir * kcl, bp, bi, tile, 0, NR, 1f, 0f);
            SgemmMicro.store(tile, mr, nr, cc, ci, ldcl, al, be);
          }
        }
      }
    }
  }
}
