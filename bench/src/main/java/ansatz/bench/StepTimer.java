package ansatz.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Times a step the way the PyTorch side does ({@code benchutil.time_steps}): {@code warmup}
 * untimed calls, then individually timed calls until both {@code minTimeSeconds} have passed and
 * {@code minReps} calls were made (or {@code maxReps} calls, whichever comes first).
 */
public final class StepTimer {
  private StepTimer() {}

  /** Keeps results reachable so the JIT cannot drop a step whose result is unused. */
  private static volatile Object sink;

  /** @return the time of each timed call in milliseconds */
  public static double[] time(Step step, int warmup, int minReps, double minTimeSeconds, int maxReps) {
    if (minReps < 1 || maxReps < minReps) {
      throw new IllegalArgumentException("StepTimer: need 1 <= minReps <= maxReps, got " + minReps + ", " + maxReps);
    }
    for (int i = 0; i < warmup; i++) sink = step.run();
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
