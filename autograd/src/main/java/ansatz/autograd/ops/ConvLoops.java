package ansatz.autograd.ops;

import ansatz.autograd.kernel.Parallel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The batch loops of {@link Conv2d}, written once for both element types: the per-image steps
 * (im2col into a scratch buffer, one GEMM, col2im) are the abstract methods, implemented for
 * float32 by {@link ConvLoopsF32} and for float64 by {@link ConvLoopsF64}.
 *
 * <p>Parallelism: with enough images the batch is split over the kernel threads (each image's GEMM
 * then runs on one core, the shape PyTorch's CPU convolution uses); with few images, images run one
 * after the other and each GEMM uses all threads. Either way an image's output is computed by the
 * same code, so the split never changes a bit.
 *
 * <p>The weight gradient is a sum over images. To keep it reproducible its summation order depends
 * on the shapes only: the images are cut into {@link #chunks} fixed, contiguous chunks; each chunk
 * accumulates its images in order into its own partial sum (the GEMM's beta = 1), and the partials
 * are added in chunk order. Threads claim whole chunks, so which thread ran a chunk does not matter.
 */
abstract class ConvLoops {
  // At most this many partial weight gradients (enough for 2-4 threads to balance their load) ...
  private static final int MAX_CHUNKS = 16;
  // ... and at most this many elements in all of them together (16 MB of float32).
  private static final long PARTIAL_BUDGET = 1L << 22;
  // Memory-bound passes (summing partials, the bias gradient) hand out no less than this per thread.
  private static final long MIN_TASK_ELEMENTS = 1L << 16;
  /** Working buffers up to this many elements are kept per thread for the next call; larger ones are not. */
  static final int MAX_KEPT = 1 << 20;
  // A weight-gradient GEMM with fewer columns than this (ckk, e.g. 9 for a one-channel 3x3 layer)
  // wastes most of its vector tiles and runs several times slower than its transpose
  // dW^T = cols g^T, which is o columns wide (measured: 32 x 9 x 784 per image).
  static final int NARROW = 16;

  final int n, c, h, w, o, outH, outW, l, ckk;
  final Window2d g;
  /** A 1x1 kernel with stride 1 and no padding: the image itself is its im2col matrix. */
  final boolean identity;
  /** The weight gradient is computed transposed, (ckk, o), into the partials (see {@link #NARROW}). */
  final boolean transposedW;

  ConvLoops(int n, int c, int h, int w, int o, Window2d g) {
    this.n = n;
    this.c = c;
    this.h = h;
    this.w = w;
    this.o = o;
    this.g = g;
    this.outH = g.outH(h);
    this.outW = g.outW(w);
    this.l = outH * outW;
    this.ckk = c * g.kh * g.kw;
    this.identity = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0;
    this.transposedW = ckk < NARROW && o >= NARROW;
  }

  /**
   * Per-thread working memory: room for the im2col matrix of one image and/or its gradient, and/or
   * (gradT) the transposed output gradient of one image.
   */
  abstract Object newScratch(boolean cols, boolean dcols, boolean gradT);

  /** Output of image {@code i}: alpha * W @ cols(x_i) + bias. */
  abstract void forwardImage(int i, Object scratch);

  /**
   * Gradients of image {@code i}: adds alpha * g_i @ cols(x_i)^T into weight partial {@code chunk}
   * ({@code first}: overwrite it instead), and writes the input gradient of image {@code i}.
   */
  abstract void backwardImage(int i, int chunk, boolean first, boolean needW, boolean needX, Object scratch);

  /**
   * Sums the partial weight gradients into the weight gradient for its elements [from, to), in
   * chunk order: partials 1.. into partial 0 (the weight gradient itself), or, when
   * {@link #transposedW}, partials 0.. (all transposed) into the weight gradient.
   */
  abstract void sumPartials(int chunks, int from, int to);

  /** Bias gradient for output channels [from, to): the sum of g over images and positions. */
  abstract void biasGradient(int from, int to);

  /** @return number of weight-gradient chunks for this shape (never depends on the thread count) */
  final int chunks() {
    long perPartial = Math.max(1L, (long) o * ckk);
    return (int) Math.max(1, Math.min(Math.min(n, MAX_CHUNKS), PARTIAL_BUDGET / perPartial));
  }

  /** First image of chunk {@code k} of {@code chunks}. */
  final int chunkStart(int k, int chunks) {
    return (int) ((long) n * k / chunks);
  }

  // Images in parallel only when every thread gets at least two: otherwise the GEMMs split better.
  private boolean imageParallel() {
    return Parallel.threads() > 1 && n >= 2 * Parallel.threads();
  }

  final void forward() {
    if (!imageParallel()) {
      Object s = newScratch(true, false, false);
      for (int i = 0; i < n; i++) forwardImage(i, s);
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Parallel.forRange(n, 1, (from, to) -> {
      Object s = newScratch(true, false, false);
      for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) forwardImage(i, s);
    });
  }

  final void backward(boolean needW, boolean needX, boolean needB) {
    int chunks = chunks();
    if (needW || needX) {
      if (!imageParallel()) {
        Object s = newScratch(needW, needX, needW && transposedW);
        for (int k = 0; k < chunks; k++) backwardChunk(k, chunks, needW, needX, s);
      } else {
        AtomicInteger next = new AtomicInteger();
        Parallel.forRange(chunks, 1, (from, to) -> {
          Object s = newScratch(needW, needX, needW && transposedW);
          for (int k = next.getAndIncrement(); k < chunks; k = next.getAndIncrement()) backwardChunk(k, chunks, needW, needX, s);
        });
      }
      if (needW && (chunks > 1 || transposedW)) {
        int size = o * ckk;
        Parallel.forRange(size, (int) Math.max(1, MIN_TASK_ELEMENTS / chunks), (from, to) -> sumPartials(chunks, from, to));
      }
    }
    if (needB) Parallel.forRange(o, (int) Math.max(1, MIN_TASK_ELEMENTS / Math.max(1L, (long) n * l)), this::biasGradient);
  }

  private void backwardChunk(int k, int chunks, boolean needW, boolean needX, Object s) {
    int first = chunkStart(k, chunks), end = chunkStart(k + 1, chunks);
    for (int i = first; i < end; i++) backwardImage(i, k, i == first, needW, needX, s);
  }
}
