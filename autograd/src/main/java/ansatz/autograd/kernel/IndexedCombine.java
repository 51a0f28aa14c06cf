package ansatz.autograd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Per-sample combinations of a few matrix rows, written feature-major: for sample s (of
 * {@code samples}) and output k (of c),
 *
 * <pre>  out[j * ldo + s * c + k] = alpha * sum_{p = starts[s0+s] .. starts[s0+s+1]-1} coef[idx[p] * c + k] * W[idx[p]][j],  j &lt; d,</pre>
 *
 * <p>W a float matrix of d columns, packed once by {@link #pack} for any number of calls.
 *
 * <p>This is the product W^T (m_s ∘ r_k) of the chain-rule AGOP's tangent rows behind a ReLU (m_s
 * the sample's 0/1 mask, r_k a readout row): a GEMM would multiply the zeros of the mask as well,
 * about half of its work for a trained ReLU layer; here only the rows the index lists name are read.
 *
 * <p>Each sum runs over the list in its order, one fused multiply-add per term, and is then
 * multiplied by alpha. The vector twin does exactly these operations lane-wise (lanes are features),
 * so the twins are bitwise equal. Work is split over tiles of features, each written by one
 * thread: the same bits for any thread count.
 */
public final class IndexedCombine {
  private IndexedCombine() {}

  /**
   * The rows of w cut into tiles of columns, each tile stored row after row ({@link #pack}): the
   * rows a tile reads lie a whole row apart in w, which maps them onto a few L1 cache sets; packed,
   * they are consecutive cache lines (measured: 50 -> 80-95 GFLOP/s on 2 cores).
   */
  public static final class PackedRows {
    final float[] data;
    final int rows, d, tile;

    private PackedRows(float[] data, int rows, int d, int tile) {
      this.data = data;
      this.rows = rows;
      this.d = d;
      this.tile = tile;
    }

    /** Offset of tile t (columns t*tile ..): its row a starts at offset(t) + a * width(t). */
    int offset(int t) {
      return t * rows * tile;
    }

    int width(int t) {
      return Math.min(tile, d - t * tile);
    }

    int tiles() {
      return Math.ceilDiv(d, tile);
    }
  }

  /**
   * Packs {@code wRows} rows of d entries of w (row a at {@code wOff + a * ldw}) for {@link #rows}.
   *
   * @throws IllegalArgumentException if they do not fit w
   */
  public static PackedRows pack(float[] w, int wOff, int ldw, int wRows, int d) {
    if (wRows < 0 || d < 0 || wOff < 0 || ldw < d || (wRows > 0 && (long) wOff + (long) (wRows - 1) * ldw + d > w.length)) {
      throw new IllegalArgumentException("IndexedCombine.pack: w (" + w.length + " entries) does not hold " + wRows + " rows of " + d + " at stride "
          + ldw + " from " + wOff);
    }
    int tile = 2 * Simd.floatLanes();
    PackedRows p = new PackedRows(new float[wRows * d], wRows, d, tile);
    for (int t = 0; t < p.tiles(); t++) {
      int po = p.offset(t), width = p.width(t), j0 = t * tile;
      for (int a = 0; a < wRows; a++) System.arraycopy(w, wOff + a * ldw + j0, p.data, po + a * width, width);
    }
    return p;
  }

  /**
   * See the class comment; w packed by {@link #pack}, {@code coef} holding c entries per row of w.
   *
   * @param s0 the first sample's index into {@code starts}
   * @throws IllegalArgumentException if a size or offset does not fit its array, or a list names
   *     a row outside w, naming which
   */
  public static void rows(int samples, int c, int[] starts, int s0, int[] idx, float[] coef, PackedRows w, float alpha, float[] out, int ldo) {
    check(samples, c, w.d, starts, s0, idx, coef, w.rows, out, ldo);
    if (samples == 0 || c == 0 || w.d == 0) return;
    Parallel.forRange(w.tiles(), 1, (from, to) -> {
      for (int t = from; t < to; t++) {
        if (Simd.ENABLED && w.width(t) == Vector.TILE) Vector.tile(t * w.tile, samples, c, starts, s0, idx, coef, w.data, w.offset(t), alpha, out, ldo);
        else tileScalar(t * w.tile, w.width(t), samples, c, starts, s0, idx, coef, w.data, w.offset(t), alpha, out, ldo);
      }
    });
  }

  private static void check(int samples, int c, int d, int[] starts, int s0, int[] idx, float[] coef, int wRows, float[] out, int ldo) {
    if (samples < 0 || c < 0 || s0 < 0) {
      throw new IllegalArgumentException("IndexedCombine.rows: negative size or offset (samples " + samples + ", c " + c + ", s0 " + s0 + ")");
    }
    if (samples == 0 || c == 0 || d == 0) return;
    if ((long) s0 + samples + 1 > starts.length) {
      throw new IllegalArgumentException("IndexedCombine.rows: starts has " + starts.length + " entries, needs " + ((long) s0 + samples + 1));
    }
    if ((long) wRows * c > coef.length) {
      throw new IllegalArgumentException("IndexedCombine.rows: coef has " + coef.length + " entries, needs " + ((long) wRows * c));
    }
    if (ldo < (long) samples * c || (long) (d - 1) * ldo + (long) samples * c > out.length) {
      throw new IllegalArgumentException("IndexedCombine.rows: out (" + out.length + " entries, stride " + ldo + ") does not hold " + d + " x "
          + ((long) samples * c));
    }
    int first = starts[s0], last = starts[s0 + samples];
    if (first < 0 || last > idx.length || first > last) {
      throw new IllegalArgumentException("IndexedCombine.rows: starts[" + s0 + ".." + (s0 + samples) + "] = " + first + ".." + last
          + " is not a range of idx (" + idx.length + " entries)");
    }
    for (int s = s0; s < s0 + samples; s++) {
      if (starts[s + 1] < starts[s]) throw new IllegalArgumentException("IndexedCombine.rows: starts decreases at sample " + s);
    }
    for (int p = first; p < last; p++) {
      if (idx[p] < 0 || idx[p] >= wRows) {
        throw new IllegalArgumentException("IndexedCombine.rows: idx[" + p + "] = " + idx[p] + " is not a row of w (0.." + (wRows - 1) + ")");
      }
    }
  }

  // ---- scalar twin ----

  /** For the tests: {@link #rows} with the scalar twin on every tile. */
  static void rowsScalar(int samples, int c, int[] starts, int s0, int[] idx, float[] coef, PackedRows w, float alpha, float[] out, int ldo) {
    check(samples, c, w.d, starts, s0, idx, coef, w.rows, out, ldo);
    if (samples == 0 || c == 0) return;
    for (int t = 0; t < w.tiles(); t++) tileScalar(t * w.tile, w.width(t), samples, c, starts, s0, idx, coef, w.data, w.offset(t), alpha, out, ldo);
  }

  /** Features j0 .. j0+width-1 of every sample and output; w holds just these columns (row a at wOff + a * width). */
  static void tileScalar(int j0, int width, int samples, int c, int[] starts, int s0, int[] idx, float[] coef, float[] w, int wOff, float alpha,
                         float[] out, int ldo) {
    for (int s = 0; s < samples; s++) {
      int p0 = starts[s0 + s], p1 = starts[s0 + s + 1];
      for (int k = 0; k < c; k++) {
        for (int l = 0; l < width; l++) {
          float acc = 0f;
          for (int p = p0; p < p1; p++) {
            int a = idx[p];
            acc = Math.fma(w[wOff + a * width + l], coef[a * c + k], acc);
          }
          out[(j0 + l) * ldo + s * c + k] = alpha * acc;
        }
      }
    }
  }

  /** The Vector API twin; a nested class so that nothing loads the vector module when SIMD is off. */
  static final class Vector {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Features per tile: two vectors, so that each broadcast coefficient feeds two multiply-adds. */
    static final int TILE = 2 * L;
    // Outputs per register block: 5 outputs x 2 vectors = 10 accumulators, 2 loads and 5 broadcasts per row.
    private static final int KB = 5;
    private static final ThreadLocal<float[]> TMP = ThreadLocal.withInitial(() -> new float[KB * TILE]);

    private Vector() {}

    /** Features j0 .. j0+TILE-1 of every sample and output; w holds just these columns (row a at wOff + a * TILE). */
    static void tile(int j0, int samples, int c, int[] starts, int s0, int[] idx, float[] coef, float[] w, int wOff, float alpha, float[] out,
                     int ldo) {
      float[] tmp = TMP.get();
      for (int s = 0; s < samples; s++) {
        int p0 = starts[s0 + s], p1 = starts[s0 + s + 1];
        int k0 = 0;
        for (; k0 + KB <= c; k0 += KB) {
          FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0, a4 = a0, b4 = a0;
          for (int p = p0; p < p1; p++) {
            int a = idx[p], wp = wOff + a * TILE, cp = a * c + k0;
            FloatVector lo = FloatVector.fromArray(F, w, wp), hi = FloatVector.fromArray(F, w, wp + L);
            FloatVector x = FloatVector.broadcast(F, coef[cp]);
            a0 = lo.fma(x, a0);
            b0 = hi.fma(x, b0);
            x = FloatVector.broadcast(F, coef[cp + 1]);
            a1 = lo.fma(x, a1);
            b1 = hi.fma(x, b1);
            x = FloatVector.broadcast(F, coef[cp + 2]);
            a2 = lo.fma(x, a2);
            b2 = hi.fma(x, b2);
            x = FloatVector.broadcast(F, coef[cp + 3]);
            a3 = lo.fma(x, a3);
            b3 = hi.fma(x, b3);
            x = FloatVector.broadcast(F, coef[cp + 4]);
            a4 = lo.fma(x, a4);
            b4 = hi.fma(x, b4);
          }
          a0.intoArray(tmp, 0);
          b0.intoArray(tmp, L);
          a1.intoArray(tmp, TILE);
          b1.intoArray(tmp, TILE + L);
          a2.intoArray(tmp, 2 * TILE);
          b2.intoArray(tmp, 2 * TILE + L);
          a3.intoArray(tmp, 3 * TILE);
          b3.intoArray(tmp, 3 * TILE + L);
          a4.intoArray(tmp, 4 * TILE);
          b4.intoArray(tmp, 4 * TILE + L);
          scatter(tmp, KB, j0, s * c + k0, alpha, out, ldo);
        }
        for (; k0 < c; k0++) { // the outputs left over, one at a time
          FloatVector lo0 = FloatVector.zero(F), hi0 = lo0;
          for (int p = p0; p < p1; p++) {
            int a = idx[p], wp = wOff + a * TILE;
            FloatVector x = FloatVector.broadcast(F, coef[a * c + k0]);
            lo0 = FloatVector.fromArray(F, w, wp).fma(x, lo0);
            hi0 = FloatVector.fromArray(F, w, wp + L).fma(x, hi0);
          }
          lo0.intoArray(tmp, 0);
          hi0.intoArray(tmp, L);
          scatter(tmp, 1, j0, s * c + k0, alpha, out, ldo);
        }
      }
    }

    /** out[(j0 + l) * ldo + col + kk] = alpha * tmp[kk * TILE + l]: the tile, transposed into feature-major rows. */
    private static void scatter(float[] tmp, int outputs, int j0, int col, float alpha, float[] out, int ldo) {
      for (int l = 0; l < TILE; l++) {
        int o = (j0 + l) * ldo + col;
        for (int kk = 0; kk < outputs; kk++) out[o + kk] = alpha * tmp[kk * TILE + l];
      }
    }
  }
}
