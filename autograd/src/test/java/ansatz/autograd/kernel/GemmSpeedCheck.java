package ansatz.autograd.kernel;

import java.util.Arrays;
import java.util.Random;

/**
 * Quick sgemm/dgemm throughput check (not a unit test, not a JMH benchmark).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp autograd/target/classes:autograd/target/test-classes \
 *     ansatz.autograd.kernel.GemmSpeedCheck [s|d] [N...]
 * </pre>
 * Prints the median and best GFLOP/s of square products with 1 and 2 threads after warm-up,
 * plus GFLOP per CPU-second of the calling thread, which is the steadier number for 1 thread
 * on a shared machine.
 */
public final class GemmSpeedCheck {

  private GemmSpeedCheck() {}

  /** Entry point; first argument "s" (default) or "d", then sizes (default 256 512 1024). */
  public static void main(String[] args) {
    boolean dbl = args.length > 0 && args[0].equals("d");
    int from = args.length > 0 && (args[0].equals("s") || args[0].equals("d")) ? 1 : 0;
    int[] sizes = args.length > from
        ? Arrays.stream(args, from, args.length).mapToInt(Integer::parseInt).toArray()
        : new int[] {256, 512, 1024};
    System.out.println(Simd.describe() + ", " + (dbl ? "dgemm" : "sgemm"));
    // Warm every size first: the first compiled versions (OSR) of the loops are slower, and
    // the first size timed would otherwise pay for them.
    for (int n : sizes) {
      for (int t : new int[] {1, 2}) {
        Parallel.setThreads(t);
        if (dbl) {
          timeD(Math.min(n, 256));
        } else {
          timeS(Math.min(n, 256));
        }
      }
    }
    for (int n : sizes) {
      for (int t : new int[] {1, 2}) {
        Parallel.setThreads(t);
        double[] r = dbl ? timeD(n) : timeS(n);
        System.out.printf(
            "N=%5d threads=%d  median %6.1f GFLOP/s  best %6.1f GFLOP/s  (per CPU-second of"
                + " the calling thread: %6.1f)%n", n, t, r[0], r[1], r[2]);
      }
    }
  }

  private static double[] timeS(int n) {
    Random rnd = new Random(1);
    float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextFloat() - 0.5f;
      b[i] = rnd.nextFloat() - 0.5f;
    }
    return time(n, () -> Gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n));
  }

  private static double[] timeD(int n) {
    Random rnd = new Random(1);
    double[] a = new double[n * n], b = new double[n * n], c = new double[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextDouble() - 0.5;
      b[i] = rnd.nextDouble() - 0.5;
    }
    return time(n, () -> Gemm.dgemm(false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n));
  }

  // Warm up for ~1 s, then time batches of ~50 ms; returns {median, best} GFLOP/s.
  private static double[] time(int n, Runnable op) {
    double flops = 2.0 * n * n * n;
    long end = System.nanoTime() + 1_000_000_000L;
    int reps = 0;
    while (System.nanoTime() < end) {
      op.run();
      reps++;
    }
    int batch = Math.max(1, reps / 20);
    double[] g = new double[15];
    double cpuBest = 0;
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int s = 0; s < g.length; s++) {
      long c0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      for (int r = 0; r < batch; r++) {
        op.run();
      }
      g[s] = flops * batch / (System.nanoTime() - t0);
      // CPU time is less disturbed by other processes on a shared machine (1 thread only).
      cpuBest = Math.max(cpuBest, flops * batch / (mx.getCurrentThreadCpuTime() - c0));
    }
    Arrays.sort(g);
    return new double[] {g[g.length / 2], g[g.length - 1], cpuBest};
  }
}
