package ansatz.bench;

/** Small helpers for the hand-parsed options of the bench mains (clear messages on bad values). */
final class Options {
  private Options() {}

  static double parseDouble(String opt, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + " needs a number, got '" + v + "'");
    }
  }

  static int parseInt(String opt, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + " needs an integer, got '" + v + "'");
    }
  }

  /** @return the kernel thread count this JVM was given ({@code -Dansatz.threads}), or "all" */
  static String threads() {
    String t = System.getProperty("ansatz.threads");
    return t == null || t.isBlank() ? "all (" + Runtime.getRuntime().availableProcessors() + ")" : t.trim();
  }
}
