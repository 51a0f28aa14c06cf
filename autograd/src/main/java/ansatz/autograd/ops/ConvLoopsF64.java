package ansatz.autograd.ops;

import ansatz.autograd.kernel.Gemm;
import java.util.Arrays;

/** {@link ConvLoops} for float64: the per-image im2col, GEMM and col2im steps. */
final class ConvLoopsF64 extends ConvLoops {
  // Per-thread buffers kept from call to call (up to MAX_KEPT elements each): a training step then
  // allocates no working memory but a copy of W^T. {im2col columns, their gradient, the transposed output gradient}, and the weight-gradient partials.
  private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[][] {new double[0], new double[0], new double[0]});
  private static final ThreadLocal<double[]> PARTIALS = ThreadLocal.withInitial(() -> new double[0]);

  private final double[] x, wt;
  private final double alpha;
  private double[] bias, out; // forward
  private double[] grad, dx, dw, partials, db, wtT; // backward; wtT = wt^T (ckk, o)

  /** @param x the dense input batch, {@code wt} the dense (o, ckk) filter matrix */
  private ConvLoopsF64(int n, int c, int h, int w, int o, Window2d g, double[] x, double[] wt, double alpha) {
    super(n, c, h, w, o, g);
    this.x = x;
    this.wt = wt;
    this.alpha = alpha;
  }

  /** Writes {@code out = alpha * conv(x, wt) + bias} (bias may be null). */
  static void forward(int n, int c, int h, int w, int o, Window2d g, double[] x, double[] wt, double[] bias, double alpha, double[] out) {
    ConvLoopsF64 loops = new ConvLoopsF64(n, c, h, w, o, g, x, wt, alpha);
    loops.bias = bias;
    loops.out = out;
    loops.forward();
  }

  /** Writes the gradients that are not null: {@code dx} (zeroed by the caller), {@code dw}, {@code db}. */
  static void backward(int n, int c, int h, int w, int o, Window2d g, double[] x, double[] wt, double alpha, double[] grad,
      double[] dx, double[] dw, double[] db) {
    ConvLoopsF64 loops = new ConvLoopsF64(n, c, h, w, o, g, x, wt, alpha);
    loops.grad = grad;
    loops.dx = dx;
    loops.dw = dw;
    loops.db = db;
    if (dx != null) { // the input-gradient GEMMs read W^T: transposing it once beats a transposed A per image
      loops.wtT = new double[loops.ckk * o];
      for (int r = 0; r < o; r++) for (int q = 0; q < loops.ckk; q++) loops.wtT[q * o + r] = wt[r * loops.ckk + q];
    }
    int chunks = loops.chunks();
    int kept = loops.transposedW ? chunks : chunks - 1; // the non-transposed chunk 0 sums into dw itself
    if (dw != null && kept > 0) loops.partials = partials(kept * o * loops.ckk);
    loops.backward(dw != null, dx != null, db != null);
  }

  // Every element of the partials is written (beta = 0 for a chunk's first image) before it is read.
  private static double[] partials(int size) {
    if (size > MAX_KEPT) return new double[size];
    double[] p = PARTIALS.get();
    if (p.length < size) PARTIALS.set(p = new double[size]);
    return p;
  }

  // The columns buffer is zeroed once per call: unfoldInside then only rewrites the inside entries,
  // the padding entries stay 0 for every image. The gradient buffer is overwritten by its GEMM.
  @Override
  Object newScratch(boolean cols, boolean dcols, boolean gradT) {
    int size = identity ? 0 : ckk * l, sizeT = gradT ? o * l : 0;
    if (size > MAX_KEPT || sizeT > MAX_KEPT) {
      return new double[][] {new double[cols ? size : 0], new double[dcols ? size : 0], new double[sizeT]};
    }
    double[][] s = SCRATCH.get();
    if (cols) {
      if (s[0].length < size) s[0] = new double[size];
      else Arrays.fill(s[0], 0, size, 0.0);
    }
    if (dcols && s[1].length < size) s[1] = new double[size];
    if (s[2].length < sizeT) s[2] = new double[sizeT];
    return s;
  }

  @Override
  void forwardImage(int i, Object scratch) {
    double[] cols = ((double[][]) scratch)[0];
    int xOff = i * c * h * w, outOff = i * o * l;
    if (!identity) Im2Col.unfoldInside(x, xOff, cols, 0, c, h, w, g);
    double beta = 0.0;
    if (bias != null) { // the GEMM adds onto the bias: C = alpha * W cols + 1 * bias
      for (int r = 0; r < o; r++) Arrays.fill(out, outOff + r * l, outOff + (r + 1) * l, bias[r]);
      beta = 1.0;
    }
    Gemm.dgemm(false, false, o, l, ckk, alpha, wt, 0, ckk, identity ? x : cols, identity ? xOff : 0, l, beta, out, outOff, l);
  }

  @Override
  void backwardImage(int i, int chunk, boolean first, boolean needW, boolean needX, Object scratch) {
    double[][] s = (double[][]) scratch;
    int xOff = i * c * h * w, gOff = i * o * l;
    if (needW) {
      if (!identity) Im2Col.unfoldInside(x, xOff, s[0], 0, c, h, w, g);
      if (transposedW) { // partial^T (ckk, o) += alpha * cols (ckk, l) @ g_i^T (l, o)
        double[] gt = s[2];
        for (int r = 0; r < o; r++) {
          for (int p = 0, src = gOff + r * l; p < l; p++) gt[p * o + r] = grad[src + p];
        }
        Gemm.dgemm(false, false, ckk, o, l, alpha, identity ? x : s[0], identity ? xOff : 0, l, gt, 0, o,
            first ? 0.0 : 1.0, partials, chunk * o * ckk, o);
      } else {
        double[] dst = chunk == 0 ? dw : partials;
        int dstOff = chunk == 0 ? 0 : (chunk - 1) * o * ckk;
        Gemm.dgemm(false, true, o, ckk, l, alpha, grad, gOff, l, identity ? x : s[0], identity ? xOff : 0, l,
            first ? 0.0 : 1.0, dst, dstOff, ckk);
      }
    }
    if (needX) {
      if (identity) {
        Gemm.dgemm(false, false, ckk, l, o, alpha, wtT, 0, o, grad, gOff, l, 0.0, dx, xOff, l);
      } else {
        Gemm.dgemm(false, false, ckk, l, o, alpha, wtT, 0, o, grad, gOff, l, 0.0, s[1], 0, l);
        Col2Im.fold(s[1], 0, dx, xOff, c, h, w, g);
      }
    }
  }

  @Override
  void sumPartials(int chunks, int from, int to) {
    int size = o * ckk;
    if (transposedW) {
      for (int e = from; e < to; e++) {
        int t = (e % ckk) * o + e / ckk; // dw[r][t] sits at partial[t][r]
        double sum = partials[t];
        for (int k = 1; k < chunks; k++) sum += partials[k * size + t];
        dw[e] = sum;
      }
      return;
    }
    for (int k = 1; k < chunks; k++) {
      int off = (k - 1) * size;
      for (int e = from; e < to; e++) dw[e] += partials[off + e];
    }
  }

  @Override
  void biasGradient(int from, int to) {
    for (int r = from; r < to; r++) {
      double s0 = 0, s1 = 0, s2 = 0, s3 = 0; // four chains: the adds overlap instead of waiting on each other
      for (int i = 0; i < n; i++) {
        int p = i * o * l + r * l, end = p + l;
        for (; p + 4 <= end; p += 4) {
          s0 += grad[p];
          s1 += grad[p + 1];
          s2 += grad[p + 2];
          s3 += grad[p + 3];
        }
        for (; p < end; p++) s0 += grad[p];
      }
      db[r] = ((s0 + s1) + (s2 + s3));
    }
  }
}
