package ansatz.instrument.record;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.instrument.math.Matrices;
import ansatz.instrument.math.Products;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the probes' float64 linear algebra once on small matrices in the background, so that the
 * JIT has compiled it (the symmetric eigensolver behind AGOP^{1/2}, the float64 GEMM, the
 * lower-triangle matrix-vector product) before the first real probe, which otherwise pays a
 * second or two of compilation on top of its work. Meant to be started while the program does
 * something that leaves a core idle, such as reading the training data ({@code ./ansatz train
 * --probe} starts it before loading).
 *
 * <p>It deliberately leaves alone the code that training shares with the probes (the float32
 * GEMM, the elementwise kernels): run on small shapes before training, it would have the JIT
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
    Thread t = new Thread(ProbeWarmup::run, "ansatz-probe-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /**
   * The work: twice, the PSD square root of a random 256 x 256 covariance and the products
   * around it, in float64. @return the trace of the last square root's square (the covariance's
   * trace, for the tests)
   */
  static double run() {
    Rng rng = new Rng(0x5eed);
    double trace = Double.NaN;
    for (int rep = 0; rep < 2; rep++) {
      Tensor b = Tensor.randn(rng, DType.FLOAT64, SIZE, SIZE);
      Tensor cov = Products.gram(b);
      Tensor root = Matrices.psdPower(cov, 0.5);
      Products.congruence(b, cov, 1.0);
      trace = Products.frobenius(root);
      trace *= trace;
    }
    return trace;
  }
}
