package ansatz.autograd.kernel;

/**
 * Test access to the kernels' thread count from the nn tests ({@link Parallel#setThreads} is
 * package-private: production code sets it once with {@code -Dansatz.threads}).
 */
public final class KernelThreads {
  private KernelThreads() {}

  /** Sets the thread count used by later kernel calls. */
  public static void set(int threads) {
    Parallel.setThreads(threads);
  }
}
