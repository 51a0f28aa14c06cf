package ansatz.nn.train;

/** The kernels' thread count as configured, for run summaries. */
final class Threads {
  private Threads() {}

  /** @return {@code -Dansatz.threads} if set, else the number of processors */
  static int count() {
    String s = System.getProperty("ansatz.threads");
    if (s != null && !s.isBlank()) {
      try {
        return Math.max(1, Integer.parseInt(s.trim()));
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }
}
