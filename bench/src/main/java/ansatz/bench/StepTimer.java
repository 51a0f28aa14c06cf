package ansatz.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Times a step the way the PyTorch side does ({@code benchutil.time_steps}): {@code warmup}
 * untimed calls, then individually timed calls until both {@code minTimeSeconds} have passed and
 * {@code minReps} calls were made (or {@code maxReps} calls, whichever comes first).
 *
 * <p>On the JVM the warm-up may also be given a minimum duration: until C2 has compiled the Vector
 * API kernels they run with boxed vectors, many times slower, and a fixed count of warm-up calls
 * can be over long before that on a busy machine.
 */
public final class StepTimer {
  private StepTimer() {}

  /** Keeps results reachable so the JIT cannot drop a step whose result is unused. */
  private static volatile Object sink;

  /** @return the time of each timed call in milliseconds (warm-up: {@code warmup} calls) */
  public static double[] time(Step step, int warmup, int minReps, double minTimeSeconds, int maxReps) {
    return time(step, warmup, 0, minReps, minTimeSeconds, maxReps);
  }

  /**
   * @param warmupSeconds keep warming up (beyond {@code warmup} calls) until this many seconds passed
   * @return the time of each timed call in milliseconds
   */
  public static double[] time(Step step, int warmup, double warmupSeconds, int minReps, double minTimeSeconds, int maxReps) {
    if (minReps < 1 || maxReps < minReps) {
      throw new IllegalArgumentException("StepTimer: need 1 <= minReps <= maxReps, got " + minReps + ", " + maxReps);
    }
    long warmStart = System.nanoTime();
    long warmNanos = (long) (warmupSeconds * 1e9);
    for (int i = 0; i < warmup || System.nanoTime() - warmStart < warmNanos; i++) sink = step.run();
    List<Double> ts = new ArrayList<>();
    long start = System.nanoTime();
    long minNanos = (long) (minTimeSeconds * 1e9);
    while (true) {
      long t0 = System.nanoTime();
      sink = step.run();
      long t1 = System.nanoTime();
      ts.add((t1 - t0) / 1e6);
      int n = ts.size();
      if ((t1 - start >= minNanos && n >= minReps) || n >= maxReps) break;
    }
    double[] out = new double[ts.size()];
    for (int i = 0; i < out.length; i++) out[i] = ts.get(i);
    return out;
  }
}
