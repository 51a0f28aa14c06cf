package ansatz.instrument.record;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.IndexedCombine;
import ansatz.autograd.kernel.Parallel;
import ansatz.instrument.math.Matrices;
import ansatz.instrument.math.Products;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the probes' float64 linear algebra once on small matrices in the background, so that the
 * JIT has compiled it (the symmetric eigensolver behind AGOP^{1/2}, the float64 GEMM, the
 * lower-triangle matrix-vector product, and the sweep's float32 index-list kernel, which only the
 * probes use) before the first real probe, which otherwise pays a
 * second or two of compilation on top of its work. Meant to be started while the program does
 * something that leaves a core idle, such as starting up and reading the training data
 * ({@code ./ansatz train --probe} starts it first thing, before parsing its command line).
 *
 * <p>It deliberately leaves alone the code that training shares with the probes (the float32
 * GEMM, on which the probes of a float32 model also run the eigenvectors' back-transformation and
 * the root's product, and the elementwise kernels): run on small shapes before training, it would have the JIT
 * compile those from small-shape profiles, and that made every later epoch about 9% slower
 * (measured: 5 epochs of the Fashion-MNIST MLP, epochs 3-5, two alternations). Its results are
 * discarded, it draws no random numbers from any generator the caller uses, and it runs once per
 * JVM.
 */
public final class ProbeWarmup {
  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static final int SIZE = 256;

  private ProbeWarmup() {}

  /** Starts the warm-up on a daemon thread, unless it already ran in this JVM. */
  public static void startInBackground() {
    if (!STARTED.compareAndSet(false, true)) return;
    // A serial thread: its kernels run on it alone, as the probes' eigendecompositions do (on
    // LayerParallel's serial threads), so the JIT compiles the paths the probes take. On the
    // kernels' pool instead, the first probe took 0.3 s longer (5-epoch runs, three alternations).
    Thread t = Parallel.serialThread(ProbeWarmup::run, "ansatz-probe-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /**
   * The work: the products around a root on a random 256 x 256 matrix, then the PSD square roots
   * of four graded covariances (157 and 203, twice), in float64.
   *
   * @return the squared Frobenius norm of the last square root (the last covariance's trace, for
   *     the tests)
   */
  static double run() {
    // First, before the JIT has compiled much: start the probes' worker pool, so that the classes
    // behind it (a thread pool's workers are AbstractQueuedSynchronizer subclasses) are loaded now.
    // Loaded at the first probe, they invalidated compiled code that had assumed the lock classes
    // training uses were the only ones: Parallel.forRange and the methods that had inlined it.
    LayerParallel.startThreads();
    Rng rng = new Rng(0x5eed);
    Tensor b = Tensor.randn(rng, DType.FLOAT64, SIZE, SIZE);
    Products.congruence(b, Products.gram(b), 1.0);
    // The roots on spectra like the AGOPs' (graded over many orders, so the divide-and-conquer
    // deflates most of each merge) at sizes that are not multiples of the vector width. Roots of
    // random Grams at 256, as before, deflate little and split into even halves: C2 compiled the
    // eigensolver and the float64 GEMM from that profile and recompiled them after traps at the
    // first probe. Measured, the trained MLP's 784 and 1024 AGOPs after a training-like float32
    // warm-up (two runs each): first two roots 0.60-0.62 s after this, 0.69-0.73 s after the
    // random Grams (steady 0.36 s), in the same warm-up time (0.82-0.87 s). Larger graded sizes
    // (301, 398) took the first roots down to 0.46-0.51 s, but the warm-up's extra 0.35 s then
    // ran into the first epoch, which took 0.9 s longer.
    double trace = Double.NaN;
    for (int n : new int[] {157, 203, 157, 203}) {
      Tensor root = Matrices.psdPower(graded(rng, n), 0.5);
      trace = Products.frobenius(root);
      trace *= trace;
    }
    indexedRows(new Rng(0x5eed + 1));
    return trace;
  }

  /**
   * {@return B^T B for an n x n Gaussian B whose row i is scaled by 10^(-12 i / n): eigenvalues
   *     spread over 24 orders, as a trained network's AGOP has (built directly, not by the
   *     tensors' float64 elementwise code, which training never runs)}
   */
  private static Tensor graded(Rng rng, int n) {
    double[] b = Tensor.randn(rng, DType.FLOAT64, n, n).toDoubleArray();
    for (int i = 0; i < n; i++) {
      double g = Math.pow(10, -12.0 * i / n);
      for (int j = 0; j < n; j++) b[i * n + j] *= g;
    }
    return Products.gram(Tensor.wrap(b, n, n));
  }

  /**
   * The sweep's float32 index-list kernel behind the first hidden layer's tangent rows
   * ({@link IndexedCombine}): only the probes run it, so warming it cannot mislead the JIT about
   * training's shapes. @return a checksum (for the tests)
   */
  static double indexedRows(Rng rng) {
    int samples = 64, c = 10, d = SIZE, units = SIZE;
    float[] w = Tensor.randn(rng, DType.FLOAT32, units, d).floats(), coef = Tensor.randn(rng, DType.FLOAT32, units, c).floats();
    float[] mask = Tensor.randn(rng, DType.FLOAT32, samples, units).floats();
    int[] starts = new int[samples + 1], idx = new int[samples * units];
    int n = 0;
    for (int s = 0; s < samples; s++) {
      for (int a = 0; a < units; a++) if (mask[s * units + a] > 0) idx[n++] = a;
      starts[s + 1] = n;
    }
    IndexedCombine.PackedRows packed = IndexedCombine.pack(w, 0, d, units, d);
    float[] out = new float[d * samples * c];
    for (int rep = 0; rep < 4; rep++) IndexedCombine.rows(samples, c, starts, 0, idx, coef, packed, 1f, out, samples * c);
    // Many short calls as well: the JIT compiles the per-tile method as a whole only after some
    // hundreds of invocations, and until then each call starts in code where vector operations are
    // not yet intrinsics (many times slower). The same numbers, one sample at a time.
    float[] one = new float[d * c];
    for (int rep = 0; rep < 48; rep++) IndexedCombine.rows(1, c, starts, rep % samples, idx, coef, packed, 1f, one, c);
    double sum = 0;
    for (float v : out) sum += v;
    return sum;
  }
}
