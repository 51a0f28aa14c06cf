package ansatz.experiments.cli;

import ansatz.autograd.kernel.Parallel;

/** Applies {@code --threads}: the kernels read {@code -Dansatz.threads} when they first run. */
final class ThreadCount {
  private ThreadCount() {}

  /**
   * Sets the kernels' thread count. It takes effect only before the first kernel call of the
   * process (the normal case for the command line); otherwise a note says it was ignored.
   */
  static void set(int threads) {
    System.setProperty("ansatz.threads", Integer.toString(threads));
    int actual = Parallel.threads();
    if (actual != threads) {
      System.err.println("ansatz: note: --threads " + threads + " ignored; the kernels of this JVM already run with " + actual + " threads");
    }
  }
}
