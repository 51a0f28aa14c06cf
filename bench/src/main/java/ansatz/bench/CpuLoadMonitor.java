package ansatz.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many cores <em>other</em> processes kept busy while we measured (total busy time from
 * {@code /proc/stat} minus this process's CPU time), the same noise figure the PyTorch side
 * reports as {@code others_cores}. Values above about 0.1 mean a neighbour disturbed the run.
 * Off Linux the figures are NaN.
 */
public final class CpuLoadMonitor {
  private static final Path PROC_STAT = Path.of("/proc/stat");
  // USER_HZ: 100 on every Linux configuration this runs on.
  private static final double TICKS_PER_SECOND = 100.0;

  private long t0;
  private double busy0;
  private double steal0;
  private double own0;
  private double othersCores = Double.NaN;
  private double stealCores = Double.NaN;

  /** Starts the measurement window. */
  public CpuLoadMonitor start() {
    t0 = System.nanoTime();
    double[] s = procStat();
    busy0 = s[0];
    steal0 = s[1];
    own0 = ownCpuSeconds();
    return this;
  }

  /** Ends the window. */
  public CpuLoadMonitor stop() {
    double wall = (System.nanoTime() - t0) / 1e9;
    double[] s = procStat();
    double own = ownCpuSeconds() - own0;
    if (wall > 0 && !Double.isNaN(s[0])) {
      othersCores = Math.max(0, (s[0] - busy0) - own) / wall;
      stealCores = (s[1] - steal0) / wall;
    }
    return this;
  }

  /** @return cores used by other processes during the window */
  public double othersCores() {
    return othersCores;
  }

  /** @return hypervisor steal during the window, in cores */
  public double stealCores() {
    return stealCores;
  }

  /** @return cores other processes use over the next {@code seconds} */
  public static double othersLoad(double seconds) {
    CpuLoadMonitor m = new CpuLoadMonitor().start();
    sleep(seconds);
    return m.stop().othersCores();
  }

  /**
   * Waits (at most {@code maxWaitSeconds}) until two consecutive half-second windows show fewer
   * than 0.15 cores used by others, as the PyTorch side's {@code wait_quiet} does.
   *
   * @return seconds waited
   */
  public static double waitQuiet(double maxWaitSeconds) {
    long t0 = System.nanoTime();
    int ok = 0;
    while (true) {
      double load = othersLoad(0.5);
      ok = load < 0.15 ? ok + 1 : 0;
      double waited = (System.nanoTime() - t0) / 1e9;
      if (ok >= 2 || waited > maxWaitSeconds || Double.isNaN(load)) return waited;
    }
  }

  private static void sleep(double seconds) {
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** @return {busy seconds, steal seconds} of all cores since boot, or NaNs off Linux */
  private static double[] procStat() {
    try {
      String[] p = Files.readAllLines(PROC_STAT).get(0).trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = Long.parseLong(p[1]) + Long.parseLong(p[2]) + Long.parseLong(p[3])
          + Long.parseLong(p[6]) + Long.parseLong(p[7]);
      long steal = p.length > 8 ? Long.parseLong(p[8]) : 0;
      return new double[] {busy / TICKS_PER_SECOND, steal / TICKS_PER_SECOND};
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN, Double.NaN};
    }
  }

  private static double ownCpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return 0;
  }
}
