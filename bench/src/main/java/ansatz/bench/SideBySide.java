package ansatz.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side benchmark behind {@code ./ansatz bench}: for each workload it alternates
 * Ansatz and PyTorch (Ansatz W, PyTorch W, Ansatz W, ...), each point in a fresh process with the
 * same thread count, and writes {@code summary.json} and {@code summary.md} with the median times,
 * the ratio Ansatz/PyTorch, the targets and Ansatz's peak heap. Alternating within one run is what
 * makes the ratios meaningful on a shared machine whose speed drifts over the day.
 *
 * <p>Ansatz points run in a child JVM ({@link WorkloadRunner}) started with this JVM's class path;
 * PyTorch points run the anchor scripts ({@link TorchSide}). Without python3-torch or the scripts,
 * Ansatz is timed alone and the files say so. Options: {@link BenchSettings#USAGE}.
 */
public final class SideBySide {
  private SideBySide() {}

  /** Exit code for bad usage. */
  public static final int EXIT_BAD_INPUT = 2;

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** @return the exit code: 0 all ran, 1 some point failed, 2 bad usage */
  public static int run(String... args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(BenchSettings.usage());
      return 0;
    }
    BenchSettings s;
    try {
      s = BenchSettings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      return EXIT_BAD_INPUT;
    }
    try {
      return new SideBySide.Run(s).execute();
    } catch (IOException e) {
      System.err.println("bench: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("bench: interrupted");
      return 1;
    }
  }

  private static final class Run {
    private final BenchSettings s;
    private final Map<String, Object> machine = MachineInfo.describe();
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final List<BenchRow> rows = new ArrayList<>();

    Run(BenchSettings s) {
      this.s = s;
    }

    int execute() throws IOException, InterruptedException {
      long t0 = System.nanoTime();
      TorchSide torch = null;
      String unavailable = s.noTorch() ? "--no-torch given" : null;
      if (unavailable == null) {
        torch = new TorchSide(s.python(), s.torchScript(), s.threads(), line -> System.out.println("    " + line));
        unavailable = torch.unavailableReason();
        if (unavailable != null) torch = null;
      }
      if (unavailable != null) System.out.println("# PyTorch side not run (" + unavailable + "): timing Ansatz alone.");
      settings.put("quick", s.quick());
      settings.put("threads", s.threads());
      settings.put("rounds", s.rounds());
      settings.put("min_time_s", s.minTime());
      settings.put("ansatz_min_warmup_s", s.warmupTime());
      settings.put("max_wait_s", s.maxWait());
      settings.put("torch_script", torch == null ? null : s.torchScript().toAbsolutePath().toString());
      settings.put("torch_unavailable", unavailable);
      settings.put("heap_measurement", "fresh JVM per workload and round; peak = max heap used just before any GC "
          + "(GC notifications) or at the end; live = max heap used after a GC");
      settings.put("ansatz_jvm_flags", String.join(" ", jvmFlags()));
      int failures = 0;
      for (Workload w : Workloads.select(s.workloads())) {
        BenchRow row = new BenchRow(w);
        rows.add(row);
        for (int r = 0; r < s.rounds(); r++) {
          try {
            Map<String, Object> a = runAnsatz(w);
            row.ansatz.add(a);
            System.out.printf(Locale.ROOT, "%-16s round %d  ansatz %10.3f ms  (n=%d, peak heap %.0f MB, others %.2f cores)%n",
                w.name(), r + 1, JsonLine.number(a, "median"), (int) JsonLine.number(a, "reps"),
                JsonLine.number(a, "peak_heap_mb"), JsonLine.number(a, "others_cores"));
          } catch (IOException e) {
            failures++;
            if (row.error == null) row.error = "Ansatz: " + e.getMessage();
            System.out.println(w.name() + " round " + (r + 1) + "  ansatz FAILED: " + e.getMessage());
          }
          if (torch == null) continue;
          try {
            for (TorchSide.Result t : torch.run(w.name(), s.minTime(), s.maxWait())) {
              row.torch.computeIfAbsent(t.bench(), k -> new ArrayList<>()).add(t);
              System.out.printf(Locale.ROOT, "%-16s round %d  torch  %10.3f ms  (%s)%n", w.name(), r + 1, t.median(), t.bench());
            }
            if (torch.machine() != null && !machine.containsKey("python")) machine.put("python", torch.machine().get("python"));
            if (torch.version() != null) machine.put("torch", torch.version());
          } catch (IOException e) {
            failures++;
            if (row.error == null) row.error = "PyTorch: " + e.getMessage();
            System.out.println(w.name() + " round " + (r + 1) + "  torch FAILED: " + e.getMessage());
          }
        }
        SummaryFiles.write(s.out(), machine, settings, rows); // after each workload: partial results survive an interruption
      }
      settings.put("total_wall_s", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
      SummaryFiles.write(s.out(), machine, settings, rows);
      System.out.println();
      System.out.print(SummaryFiles.markdown(machine, settings, rows));
      System.out.printf(Locale.ROOT, "%nwrote %s and summary.md (%.0f s)%n", s.out().resolve("summary.json"),
          (System.nanoTime() - t0) / 1e9);
      return failures == 0 ? 0 : 1;
    }

    private List<String> jvmFlags() {
      List<String> f = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
          "-XX:+UseParallelGC", "-Dansatz.threads=" + s.threads()));
      if (s.heap() != null) f.add("-Xmx" + s.heap());
      return f;
    }

    /** Runs one Ansatz point in a fresh JVM and returns its result line. */
    private Map<String, Object> runAnsatz(Workload w) throws IOException, InterruptedException {
      if (s.maxWait() > 0) CpuLoadMonitor.waitQuiet(s.maxWait());
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmFlags());
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkloadRunner.class.getName(), w.name(),
          "--min-time", String.valueOf(s.minTime()), "--warmup-time", String.valueOf(s.warmupTime())));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      Map<String, Object> result = null;
      List<String> other = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("{")) result = JsonLine.parse(line);
          else if (!line.contains("Using incubator modules")) other.add(line);
        }
      }
      int code = p.waitFor();
      if (code != 0 || result == null) {
        throw new IOException("workload JVM exited with " + code + (other.isEmpty() ? "" : ": " + String.join(" | ", other.subList(Math.max(0, other.size() - 5), other.size()))));
      }
      for (String l : other) System.out.println("    ansatz: " + l);
      return result;
    }
  }
}
