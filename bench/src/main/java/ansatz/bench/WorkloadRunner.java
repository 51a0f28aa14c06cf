package ansatz.bench;

import ansatz.nn.io.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one workload in this JVM and prints one JSON line with its timings, peak heap and the
 * neighbours' CPU load. {@link SideBySide} starts a fresh JVM with this main class for every
 * (workload, round), so the heap figures belong to that workload alone and no JIT state carries
 * over between workloads, as on the PyTorch side, which runs each workload in a fresh process.
 *
 * <pre>java --add-modules jdk.incubator.vector -Dansatz.threads=2 -cp benchmarks.jar \
 *     ansatz.bench.WorkloadRunner WORKLOAD [--min-time S] [--warmup-time S] [--max-reps N]</pre>
 */
public final class WorkloadRunner {
  private WorkloadRunner() {}

  /** Entry point (see the class comment). */
  public static void main(String[] args) {
    try {
      System.out.println(Json.write(run(args)));
    } catch (IllegalArgumentException e) {
      System.err.println("WorkloadRunner: " + e.getMessage());
      System.exit(2);
    }
  }

  /**
   * @return megabytes allocated on the heap, by all threads, during one more call of the step
   *     (after timing, so it is compiled code), or NaN if the JVM cannot tell
   */
  private static double allocatedMbOfOneStep(Step step) {
    if (!(java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t)
        || !t.isThreadAllocatedMemorySupported() || !t.isThreadAllocatedMemoryEnabled()) {
      return Double.NaN;
    }
    long before = t.getTotalThreadAllocatedBytes();
    Object keep = step.run();
    long after = t.getTotalThreadAllocatedBytes();
    return keep == null || before < 0 ? Double.NaN : (after - before) / (1024.0 * 1024.0);
  }

  /** @return the result fields of running the workload named in {@code args} */
  public static Map<String, Object> run(String[] args) {
    if (args.length == 0) throw new IllegalArgumentException("usage: WorkloadRunner WORKLOAD [--min-time S] [--warmup-time S] [--max-reps N]");
    Workload w = Workloads.find(args[0]).orElseThrow(() -> new IllegalArgumentException(
        "unknown workload '" + args[0] + "'; known: " + String.join(", ", Workloads.all().keySet())));
    double minTime = 2.5;
    double warmupTime = 0;
    int maxReps = 2000;
    for (int i = 1; i < args.length; i++) {
      String opt = args[i];
      if (i + 1 >= args.length) throw new IllegalArgumentException(opt + " needs a value");
      String v = args[++i];
      switch (opt) {
        case "--min-time" -> minTime = Options.parseDouble(opt, v);
        case "--max-reps" -> maxReps = Options.parseInt(opt, v);
        case "--warmup-time" -> warmupTime = Options.parseDouble(opt, v);
        default -> throw new IllegalArgumentException("unknown option " + opt);
      }
    }
    HeapMonitor heap = new HeapMonitor().start();
    long s0 = System.nanoTime();
    Step step = w.prepare();
    double setupMs = (System.nanoTime() - s0) / 1e6;
    CpuLoadMonitor load = new CpuLoadMonitor();
    long wallStart = System.nanoTime();
    double[] ms;
    // The load window covers warm-up too: a neighbour during warm-up matters less, but it is cheap to include.
    load.start();
    ms = StepTimer.time(step, w.warmup(), warmupTime, Math.min(w.minReps(), maxReps), minTime, Math.max(maxReps, 1));
    load.stop();
    double wallS = (System.nanoTime() - wallStart) / 1e9;
    double allocatedMb = allocatedMbOfOneStep(step);
    heap.stop();
    Stats st = Stats.of(ms);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("bench", w.name());
    d.put("impl", "ansatz");
    d.put("threads", Options.threads());
    d.put("unit", "ms");
    d.put("median", st.median());
    d.put("min", st.min());
    d.put("max", st.max());
    d.put("mean", st.mean());
    d.put("p10", st.p10());
    d.put("p90", st.p90());
    d.put("reps", st.reps());
    d.put("warmup", w.warmup());
    d.put("warmup_min_s", warmupTime);
    d.put("gflop_per_step", w.flopPerStep() / 1e9);
    d.put("gflops_median", w.flopPerStep() / (st.median() / 1e3) / 1e9);
    d.put("setup_ms", setupMs);
    d.put("wall_s", wallS);
    d.put("peak_heap_mb", heap.peakMb());
    d.put("live_heap_mb", heap.liveMb());
    d.put("gc_count", heap.collections());
    d.put("allocated_mb_per_step", allocatedMb);
    d.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
    d.put("others_cores", load.othersCores());
    d.put("steal_cores", load.stealCores());
    return d;
  }
}
