package ansatz.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the PyTorch twins of the workloads through the anchor scripts in {@code shared/anchors}
 * ({@code torch_bench.py}; {@code gemm_peak.py} for sgemm) as child processes and reads their
 * JSON result lines. The scripts set the thread environment themselves (configuration {@code t2}:
 * OpenBLAS and OpenMP at 2 threads, passive OpenMP waiting) in a fresh process per workload.
 */
public final class TorchSide {
  private final Path python;
  private final Path torchBench;
  private final Path gemmPeak;
  private final int threads;
  private final Consumer<String> log;
  private Map<String, Object> machine;
  private String version;

  /** One timed PyTorch workload (one process, one "round"). */
  public record Result(String bench, double median, double gflops, double peakRssMb, double othersCores,
      Map<String, Object> raw) {}

  /**
   * @param python the interpreter that sees Debian's python3-torch
   * @param torchBench path of torch_bench.py; gemm_peak.py is looked for beside it
   * @param threads 1 or 2 (configurations t1 / t2)
   * @param log receives the scripts' human-readable lines
   */
  public TorchSide(Path python, Path torchBench, int threads, Consumer<String> log) {
    if (threads != 1 && threads != 2) {
      throw new IllegalArgumentException("the PyTorch anchors define 1 or 2 threads (configs t1, t2), not " + threads);
    }
    this.python = python;
    this.torchBench = torchBench;
    this.gemmPeak = torchBench.resolveSibling("gemm_peak.py");
    this.threads = threads;
    this.log = log;
  }

  /** @return why PyTorch cannot run here (missing script, interpreter or torch), or null if it can */
  public String unavailableReason() {
    if (!Files.isRegularFile(torchBench)) return "PyTorch anchor script not found: " + torchBench;
    if (!Files.isExecutable(python)) return "python interpreter not found: " + python;
    try {
      Process p = new ProcessBuilder(python.toString(), "-c", "import torch, numpy")
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "importing torch timed out";
      }
      if (p.exitValue() != 0) return python + " cannot import torch and numpy (install python3-torch python3-numpy)";
    } catch (IOException e) {
      return "cannot start " + python + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    return null;
  }

  /** @return PyTorch's machine line (torch_bench.py's first output), once a workload ran */
  public Map<String, Object> machine() {
    return machine;
  }

  /** @return torch.__version__ as the scripts report it, once a workload ran */
  public String version() {
    return version;
  }

  /** @return the PyTorch benches that time the Ansatz workload {@code workload} */
  public static List<String> twins(String workload) {
    return switch (workload) {
      case "agop_mlp" -> List.of("agop_mlp_autograd", "agop_mlp_vmap");
      case "patch_agop_cnn" -> List.of("patch_agop_cnn", "patch_agop_cnn_zgrad");
      default -> List.of(workload);
    };
  }

  /**
   * Times the PyTorch twins of {@code workload} once each.
   *
   * @param minTime seconds of timed steps per point
   * @param maxWait seconds the scripts may wait for a quiet machine (0: no waiting)
   */
  public List<Result> run(String workload, double minTime, double maxWait) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(python.toString());
    List<String> want = twins(workload);
    if (workload.startsWith("sgemm_")) {
      String n = workload.substring("sgemm_".length());
      cmd.addAll(List.of(gemmPeak.toString(), "--no-peak", "--threads", String.valueOf(threads), "--sizes", n,
          "--repeat", "1", "--min-time", String.valueOf(minTime)));
    } else {
      cmd.addAll(List.of(torchBench.toString(), "--workloads", String.join(",", want), "--configs", "t" + threads,
          "--rounds", "1", "--min-time", String.valueOf(minTime)));
    }
    if (maxWait <= 0) cmd.add("--no-wait");
    else cmd.addAll(List.of("--max-wait", String.valueOf(maxWait), "--wait-budget", String.valueOf(2 * maxWait)));
    List<Result> out = new ArrayList<>();
    for (Map<String, Object> d : runScript(cmd)) {
      Object bench = d.get("bench");
      if ("machine".equals(bench)) {
        if (machine == null) machine = d;
        continue;
      }
      if (Boolean.TRUE.equals(d.get("summary")) || !want.contains(bench) || !d.containsKey("median")) continue;
      if (d.containsKey("impl") && !"torch".equals(d.get("impl"))) continue; // gemm_peak.py also times numpy
      if (d.get("torch") instanceof String v) version = v;
      out.add(new Result((String) bench, JsonLine.number(d, "median"), JsonLine.number(d, "gflops_median"),
          JsonLine.number(d, "peak_rss_mb"), JsonLine.number(d, "others_cores"), d));
    }
    for (String b : want) {
      if (out.stream().noneMatch(r -> r.bench().equals(b))) {
        throw new IOException("PyTorch script printed no result for " + b + " (command: " + String.join(" ", cmd) + ")");
      }
    }
    return out;
  }

  private List<Map<String, Object>> runScript(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<Map<String, Object>> rows = new ArrayList<>();
    List<String> tail = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("{")) {
          try {
            rows.add(JsonLine.parse(line));
          } catch (IllegalArgumentException e) {
            log.accept("torch: unreadable result line (" + e.getMessage() + ")");
          }
        } else {
          log.accept("torch: " + line);
          tail.add(line);
          if (tail.size() > 20) tail.remove(0);
        }
      }
    }
    if (p.waitFor() != 0) {
      throw new IOException("PyTorch script failed with exit code " + p.exitValue() + ": " + String.join(" ", cmd)
          + (tail.isEmpty() ? "" : "\n" + String.join("\n", tail)));
    }
    return rows;
  }

  /** @return the fastest of the results (the PyTorch side picks its best method for patch AGOP) */
  public static Result fastest(List<Result> rs) {
    Result best = null;
    for (Result r : rs) if (best == null || r.median() < best.median()) best = r;
    return best;
  }

  /** @return the results keyed by bench name */
  public static Map<String, Result> byBench(List<Result> rs) {
    Map<String, Result> m = new LinkedHashMap<>();
    for (Result r : rs) m.put(r.bench(), r);
    return m;
  }
}
