package ansatz.experiments.cli;

/** Applies {@code --threads}: the kernels read {@code -Dansatz.threads} when they first run. */
final class ThreadCount {
  private ThreadCount() {}

  /** Sets the kernels' thread count (call before the first tensor operation of the process). */
  static void set(int threads) {
    System.setProperty("ansatz.threads", Integer.toString(threads));
  }
}
