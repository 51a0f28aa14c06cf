package ansatz.bench;

import java.util.Arrays;

/**
 * Summary of timed repetitions in milliseconds, with the quantile rule of the PyTorch side's
 * {@code benchutil.stats} (nearest rank on the sorted times), so both sides are summarised alike.
 */
public record Stats(double median, double min, double max, double mean, double p10, double p90, int reps) {

  /** @param ms per-repetition times in milliseconds, at least one */
  public static Stats of(double[] ms) {
    if (ms.length == 0) throw new IllegalArgumentException("Stats: no timed repetitions");
    double[] xs = ms.clone();
    Arrays.sort(xs);
    int n = xs.length;
    double sum = 0;
    for (double x : xs) sum += x;
    return new Stats(median(xs), xs[0], xs[n - 1], sum / n, quantile(xs, 0.10), quantile(xs, 0.90), n);
  }

  /** @return the median of the values (the mean of the middle two for an even count) */
  public static double median(double[] values) {
    if (values.length == 0) throw new IllegalArgumentException("median of no values");
    double[] xs = values.clone();
    Arrays.sort(xs);
    int n = xs.length;
    return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  }

  private static double quantile(double[] sorted, double p) {
    int n = sorted.length;
    int i = (int) Math.round(p * (n - 1));
    return sorted[Math.min(n - 1, Math.max(0, i))];
  }
}
