package ansatz.instrument.agop;

import ansatz.autograd.DType;
import ansatz.autograd.kernel.Gemm;
import ansatz.autograd.kernel.Parallel;
import ansatz.autograd.ops.Window2d;

/**
 * The bulk loops of {@link FastChainRule}, each with a float32 and a float64 twin: blocks are
 * {@code float[]} or {@code double[]} (the model's dtype), passed as {@code Object}.
 *
 * <p>Layout: everything per sample is <em>channel-major across rows</em>, a (C, rows, P) array
 * with element (channel ch, row r, position p) at {@code ch * rows * P + r * P + p}. For tangent
 * blocks the rows are (sample i, output k) pairs, r = i * c + k; for ReLU masks they are samples.
 * One GEMM with a layer's weight then moves every row of a block through the layer, and one GEMM
 * of a block with itself gives its Gram.
 *
 * <p>Parallel loops split their output only, so results do not depend on the thread count.
 */
final class TangentLoops {
  private TangentLoops() {}

  // Elements per parallel task below which splitting costs more than it saves.
  private static final int GRAIN = 1 << 15;

  static Object alloc(DType dtype, long n) {
    if (n > Integer.MAX_VALUE - 16) throw new IllegalStateException("probe: a tangent block of " + n + " elements is too large for one array");
    return dtype == DType.FLOAT64 ? new double[(int) n] : new float[(int) n];
  }

  /**
   * @return {@code reuse} if it is a buffer of the dtype with room for n elements (its first n
   *     set to 0 when {@code zero}), else a fresh zeroed one: the explicit chunks of a sweep have
   *     the same sizes, so reusing their buffers keeps the garbage (and the peak heap) at one chunk
   */
  static Object reuse(Object reuse, DType dtype, long n, boolean zero) {
    boolean fits = dtype == DType.FLOAT64 ? reuse instanceof double[] d && d.length >= n : reuse instanceof float[] f && f.length >= n;
    if (!fits) return alloc(dtype, n);
    if (zero) {
      if (reuse instanceof double[] d) java.util.Arrays.fill(d, 0, (int) n, 0.0);
      else java.util.Arrays.fill((float[]) reuse, 0, (int) n, 0f);
    }
    return reuse;
  }

  static DType dtypeOf(Object a) {
    return a instanceof double[] ? DType.FLOAT64 : DType.FLOAT32;
  }

  /** C = alpha op(A) op(B) + beta C, on float32 or float64 arrays (A, B, C of one type). */
  static void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, Object a, int aOff, int lda, Object b, int bOff, int ldb,
                   double beta, Object c, int cOff, int ldc) {
    if (a instanceof double[] ad) {
      Gemm.dgemm(ta, tb, m, n, k, alpha, ad, aOff, lda, (double[]) b, bOff, ldb, beta, (double[]) c, cOff, ldc);
    } else {
      Gemm.sgemm(ta, tb, m, n, k, (float) alpha, (float[]) a, aOff, lda, (float[]) b, bOff, ldb, (float) beta, (float[]) c, cOff, ldc);
    }
  }

  /**
   * The ReLU mask (1 where z > 0, else 0; the derivative autograd uses) of a batch z given
   * sample-major as (b, C, P), returned channel-major (C, b, P).
   */
  static Object reluMask(Object z, int b, int channels, int positions) {
    int cp = channels * positions, ld = b * positions;
    Object m = alloc(dtypeOf(z), (long) b * cp);
    if (positions == 1) {
      denseReluMask(z, m, b, channels);
      return m;
    }
    Parallel.forRange(channels, grain(ld), (from, to) -> {
      if (z instanceof float[] zf) {
        float[] mf = (float[]) m;
        for (int ch = from; ch < to; ch++) {
          for (int i = 0; i < b; i++) {
            int src = i * cp + ch * positions, dst = ch * ld + i * positions;
            for (int p = 0; p < positions; p++) mf[dst + p] = zf[src + p] > 0 ? 1f : 0f;
          }
        }
      } else {
        double[] zd = (double[]) z, md = (double[]) m;
        for (int ch = from; ch < to; ch++) {
          for (int i = 0; i < b; i++) {
            int src = i * cp + ch * positions, dst = ch * ld + i * positions;
            for (int p = 0; p < positions; p++) md[dst + p] = zd[src + p] > 0 ? 1.0 : 0.0;
          }
        }
      }
    });
    return m;
  }

  /** Tile side of {@link #denseReluMask}'s transpose: a tile of both matrices stays in L1. */
  private static final int TILE = 64;

  /**
   * {@link #reluMask} of a dense layer (one position): a transpose of (b, C) into (C, b), tile by
   * tile (element by element, it read one float per cache line and ran its inner loops once each).
   */
  private static void denseReluMask(Object z, Object m, int b, int channels) {
    Parallel.forRange((channels + TILE - 1) / TILE, 1, (from, to) -> {
      for (int ch0 = from * TILE; ch0 < Math.min(channels, to * TILE); ch0 += TILE) {
        int ch1 = Math.min(channels, ch0 + TILE);
        for (int i0 = 0; i0 < b; i0 += TILE) {
          int i1 = Math.min(b, i0 + TILE);
          if (z instanceof float[] zf) {
            float[] mf = (float[]) m;
            for (int ch = ch0; ch < ch1; ch++) for (int i = i0; i < i1; i++) mf[ch * b + i] = zf[i * channels + ch] > 0 ? 1f : 0f;
          } else {
            double[] zd = (double[]) z, md = (double[]) m;
            for (int ch = ch0; ch < ch1; ch++) for (int i = i0; i < i1; i++) md[ch * b + i] = zd[i * channels + ch] > 0 ? 1.0 : 0.0;
          }
        }
      }
    });
  }

  /**
   * The explicit block (C, s*c, P) of rows r = i*c + k for samples i0 .. i0+s-1 of a batch of
   * {@code b}: {@code mask_i ∘ shared_k}, or {@code shared_k} when {@code mask} is null.
   *
   * @param mask channel-major (C, b, P) mask of the batch, or null
   * @param shared the c rows (C*P each, channel-major, float64) shared by all samples
   */
  static Object materialize(DType dtype, Object mask, int b, int i0, int s, double[] shared, int c, int channels, int positions, Object buffer) {
    int cp = channels * positions, rows = s * c, ld = rows * positions, mld = b * positions;
    Object x = reuse(buffer, dtype, (long) channels * ld, false); // every entry is written
    Parallel.forRange(channels, grain(ld), (from, to) -> {
      for (int ch = from; ch < to; ch++) {
        for (int i = 0; i < s; i++) {
          int mo = ch * mld + (i0 + i) * positions;
          for (int k = 0; k < c; k++) {
            int ro = k * cp + ch * positions, xo = ch * ld + (i * c + k) * positions;
            if (x instanceof float[] xf) {
              float[] m = (float[]) mask;
              for (int p = 0; p < positions; p++) xf[xo + p] = (float) (m == null ? shared[ro + p] : m[mo + p] * shared[ro + p]);
            } else {
              double[] xd = (double[]) x, m = (double[]) mask;
              for (int p = 0; p < positions; p++) xd[xo + p] = m == null ? shared[ro + p] : m[mo + p] * shared[ro + p];
            }
          }
        }
      }
    });
    return x;
  }

  /** Multiplies row r = i*c + k of the block x (C, s*c, P) by the mask of sample i0 + i (mask (C, b, P)). */
  static void multiplyByMask(Object x, int channels, int s, int c, int positions, Object mask, int b, int i0) {
    int ld = s * c * positions, mld = b * positions;
    if (positions == 1) {
      denseMultiplyByMask(x, channels, s, c, mask, b, i0);
      return;
    }
    Parallel.forRange(channels, grain(ld), (from, to) -> {
      if (x instanceof float[] xf) {
        float[] m = (float[]) mask;
        for (int ch = from; ch < to; ch++) {
          for (int i = 0; i < s; i++) {
            int mo = ch * mld + (i0 + i) * positions;
            for (int k = 0; k < c; k++) {
              int xo = ch * ld + (i * c + k) * positions;
              for (int p = 0; p < positions; p++) xf[xo + p] *= m[mo + p];
            }
          }
        }
      } else {
        double[] xd = (double[]) x, m = (double[]) mask;
        for (int ch = from; ch < to; ch++) {
          for (int i = 0; i < s; i++) {
            int mo = ch * mld + (i0 + i) * positions;
            for (int k = 0; k < c; k++) {
              int xo = ch * ld + (i * c + k) * positions;
              for (int p = 0; p < positions; p++) xd[xo + p] *= m[mo + p];
            }
          }
        }
      }
    });
  }

  /**
   * {@link #multiplyByMask} of a dense layer (one position): sample i's c rows side by side times
   * one mask entry (the general loop ran its innermost loop once per entry).
   */
  private static void denseMultiplyByMask(Object x, int channels, int s, int c, Object mask, int b, int i0) {
    int ld = s * c;
    Parallel.forRange(channels, grain(ld), (from, to) -> {
      if (x instanceof float[] xf) {
        float[] m = (float[]) mask;
        for (int ch = from; ch < to; ch++) {
          for (int i = 0; i < s; i++) {
            float f = m[ch * b + i0 + i];
            int xo = ch * ld + i * c;
            for (int k = 0; k < c; k++) xf[xo + k] *= f;
          }
        }
      } else {
        double[] xd = (double[]) x, m = (double[]) mask;
        for (int ch = from; ch < to; ch++) {
          for (int i = 0; i < s; i++) {
            double f = m[ch * b + i0 + i];
            int xo = ch * ld + i * c;
            for (int k = 0; k < c; k++) xd[xo + k] *= f;
          }
        }
      }
    });
  }

  /**
   * col2im of every row of a block: {@code cols} is (Cin*kh*kw, rows*L), row r's window columns
   * at offset r*L of each line (L = window positions); the result (Cin, rows, h*w) receives on
   * each pixel the sum of the window entries that cover it (entries on padding are dropped).
   */
  static Object fold(Object cols, int rows, int inChannels, int h, int w, Window2d g, Object buffer) {
    int outH = g.outH(h), outW = g.outW(w), l = outH * outW, hw = h * w;
    int colLd = rows * l, ld = rows * hw;
    Object x = reuse(buffer, dtypeOf(cols), (long) inChannels * ld, true); // sums into zeros
    Parallel.forRange(inChannels, grain(ld), (from, to) -> {
      for (int ch = from; ch < to; ch++) {
        for (int ki = 0; ki < g.kh; ki++) {
          for (int kj = 0; kj < g.kw; kj++) {
            int line = ((ch * g.kh + ki) * g.kw + kj) * colLd;
            int shift = kj * g.dw - g.pw; // input column = ow * sw + shift
            int lo = shift >= 0 ? 0 : Math.ceilDiv(-shift, g.sw);
            int hi = Math.max(lo, Math.min(outW, Math.floorDiv(w - 1 - shift, g.sw) + 1));
            for (int r = 0; r < rows; r++) {
              int plane = ch * ld + r * hw, src0 = line + r * l;
              for (int oh = 0; oh < outH; oh++) {
                int ih = oh * g.sh - g.ph + ki * g.dh;
                if (ih < 0 || ih >= h) continue;
                int src = src0 + oh * outW, dst = plane + ih * w + shift;
                if (x instanceof float[] xf) {
                  float[] cf = (float[]) cols;
                  for (int ow = lo; ow < hi; ow++) xf[dst + ow * g.sw] += cf[src + ow];
                } else {
                  double[] xd = (double[]) x, cd = (double[]) cols;
                  for (int ow = lo; ow < hi; ow++) xd[dst + ow * g.sw] += cd[src + ow];
                }
              }
            }
          }
        }
      }
    });
    return x;
  }

  /** Adds, for each output k, the sum over samples and positions of its rows of x (C, s*c, P) to {@code colSums[k]}. */
  static void addColumnSums(Object x, int channels, int s, int c, int positions, double[][] colSums) {
    int ld = s * c * positions;
    for (int ch = 0; ch < channels; ch++) {
      for (int i = 0; i < s; i++) {
        for (int k = 0; k < c; k++) {
          int xo = ch * ld + (i * c + k) * positions;
          double t = 0;
          if (x instanceof float[] xf) for (int p = 0; p < positions; p++) t += xf[xo + p];
          else {
            double[] xd = (double[]) x;
            for (int p = 0; p < positions; p++) t += xd[xo + p];
          }
          colSums[k][ch] += t;
        }
      }
    }
  }

  /** @return row r of a (C, rows, P) block as a float64 (P*C) vector, position-major (as {@link ProbedLayer#tangentRows}) */
  static double[] row(Object x, int channels, int rows, int positions, int r) {
    double[] out = new double[channels * positions];
    int ld = rows * positions;
    for (int ch = 0; ch < channels; ch++) {
      int xo = ch * ld + r * positions;
      for (int p = 0; p < positions; p++) out[p * channels + ch] = get(x, xo + p);
    }
    return out;
  }

  /**
   * The same per-row numbers grouped into other channels (a Flatten between conv and dense
   * layers): each row's flattened (C*P) vector is unchanged, the (C, rows, P) layout is not.
   */
  static Object regroup(Object x, int rows, int fromChannels, int fromPositions, int toChannels, int toPositions, Object buffer) {
    int size = fromChannels * fromPositions;
    Object y = reuse(buffer, dtypeOf(x), (long) rows * size, false); // every entry is written
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < size; f++) {
        int src = (f / fromPositions) * rows * fromPositions + r * fromPositions + f % fromPositions;
        int dst = (f / toPositions) * rows * toPositions + r * toPositions + f % toPositions;
        if (x instanceof float[] xf) ((float[]) y)[dst] = xf[src];
        else ((double[]) y)[dst] = ((double[]) x)[src];
      }
    }
    return y;
  }

  /** @return the elementwise product of two masks (same type and length) */
  static Object multiply(Object a, Object b) {
    if (a instanceof float[] af) {
      float[] bf = (float[]) b, out = new float[af.length];
      for (int i = 0; i < out.length; i++) out[i] = af[i] * bf[i];
      return out;
    }
    double[] ad = (double[]) a, bd = (double[]) b, out = new double[ad.length];
    for (int i = 0; i < out.length; i++) out[i] = ad[i] * bd[i];
    return out;
  }

  /** @return element i of a float[] or double[] as a double */
  static double get(Object a, int i) {
    return a instanceof float[] f ? f[i] : ((double[]) a)[i];
  }

  private static int grain(int rowLength) {
    return Math.max(1, GRAIN / Math.max(1, rowLength));
  }
}
