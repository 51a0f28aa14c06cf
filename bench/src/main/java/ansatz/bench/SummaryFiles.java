package ansatz.bench;

import ansatz.autograd.io.AtomicFiles;
import ansatz.nn.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes {@code summary.json} and {@code summary.md} (atomically: temp file, then rename). */
final class SummaryFiles {
  private SummaryFiles() {}

  static Map<String, Object> summary(Map<String, Object> machine, Map<String, Object> settings, List<BenchRow> rows) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("machine", machine);
    s.put("settings", settings);
    List<Object> rs = new ArrayList<>();
    for (BenchRow r : rows) rs.add(r.toJson());
    s.put("rows", rs);
    return s;
  }

  static void write(Path dir, Map<String, Object> machine, Map<String, Object> settings, List<BenchRow> rows) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.writeString(dir.resolve("summary.json"), Json.pretty(summary(machine, settings, rows)));
    AtomicFiles.writeString(dir.resolve("summary.md"), markdown(machine, settings, rows));
  }

  /** @return the Markdown table with a short header saying where and how it was measured */
  static String markdown(Map<String, Object> machine, Map<String, Object> settings, List<BenchRow> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("Machine: ").append(machine.get("cpu_model")).append(", ").append(machine.get("cores")).append(" cores")
        .append(machine.containsKey("torch") ? ", PyTorch " + machine.get("torch") : "")
        .append(", ").append(machine.get("java")).append("; ").append(machine.get("date")).append(".\n");
    sb.append("Settings: ").append(settings.get("threads")).append(" threads each side, ")
        .append(settings.get("rounds")).append(" alternating round(s) per workload, ")
        .append(settings.get("min_time_s")).append(" s of timed steps per point after warm-up")
        .append(settings.get("ansatz_min_warmup_s") != null ? " (Ansatz: at least " + settings.get("ansatz_min_warmup_s") + " s of warm-up, for the JIT)" : "")
        .append(Boolean.TRUE.equals(settings.get("quick")) ? " (--quick)" : "").append(".\n");
    if (settings.get("torch_unavailable") != null) {
      sb.append("PyTorch was not run: ").append(settings.get("torch_unavailable")).append(".\n");
    }
    sb.append('\n');
    sb.append("| workload | Ansatz ms | PyTorch ms | ratio A/T | target | met | Ansatz GFLOP/s | PyTorch GFLOP/s | Ansatz peak heap MB (live) | PyTorch peak RSS MB | others' load |\n");
    sb.append("|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|\n");
    boolean disturbed = false;
    List<String> notes = new ArrayList<>();
    for (BenchRow r : rows) {
      Map<String, Object> d = r.toJson();
      Object met = d.get("target_met");
      sb.append("| ").append(r.name())
          .append(" | ").append(ms(d.get("ansatz_ms")))
          .append(" | ").append(ms(d.get("torch_ms")))
          .append(" | ").append(num(d.get("ratio"), 2))
          .append(" | ").append(Targets.describe(r.name()))
          .append(" | ").append(met == null ? "-" : ((Boolean) met ? "yes" : "**no**"))
          .append(" | ").append(num(d.get("ansatz_gflops"), 1))
          .append(" | ").append(num(d.get("torch_gflops"), 1))
          .append(" | ").append(num(d.get("ansatz_peak_heap_mb"), 0)).append(" (").append(num(d.get("ansatz_live_heap_mb"), 0)).append(")")
          .append(" | ").append(num(d.get("torch_peak_rss_mb"), 0))
          .append(" | ").append(num(d.get("others_cores_max"), 2)).append(noisy(d) ? " (!)" : "")
          .append(" |\n");
      disturbed |= noisy(d);
      if (r.torch.size() > 1) {
        StringBuilder n = new StringBuilder(r.name() + ": PyTorch reference " + r.torchReference() + "; ");
        List<String> parts = new ArrayList<>();
        for (String b : r.torch.keySet()) {
          parts.add(b + " " + ms(r.torchMs(b)) + " ms (ratio " + num(r.ansatzMs() / r.torchMs(b), 2) + ")");
        }
        notes.add(n.append(String.join(", ", parts)).toString());
      }
      if (r.error != null) notes.add(r.name() + ": " + r.error);
    }
    if (disturbed) {
      notes.add("(!) other processes kept more than " + NOISY_CORES + " cores busy during some timed points of this row "
          + "(largest value shown, in cores): its times are disturbed and its ratio is not a reliable comparison. "
          + "PyTorch's OpenBLAS threads spin and suffer far more than Ansatz from a second busy process; rerun on a quiet machine.");
    }
    if (!notes.isEmpty()) {
      sb.append('\n');
      for (String n : notes) sb.append("- ").append(n).append('\n');
    }
    sb.append("\nTimes are medians over rounds of each round's median step. Ratio = Ansatz time / PyTorch time (lower is better for Ansatz). "
        + "Peak heap: largest heap occupancy (just before a GC or at the end) in a fresh JVM per workload and round, "
        + "garbage included; live = largest occupancy after a GC. PyTorch's peak RSS is the whole process (libraries included). "
        + "Others' load: the most cores other processes used during a timed point of the row (from /proc/stat).\n");
    return sb.toString();
  }

  /** Cores used by other processes above which a point counts as disturbed. */
  static final double NOISY_CORES = 0.25;

  private static boolean noisy(Map<String, Object> row) {
    return row.get("others_cores_max") instanceof Number n && n.doubleValue() > NOISY_CORES;
  }

  private static String ms(Object v) {
    if (!(v instanceof Number n)) return "-";
    double x = n.doubleValue();
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, x < 100 ? "%.2f" : "%.0f", x);
  }

  private static String num(Object v, int digits) {
    if (!(v instanceof Number n) || Double.isNaN(n.doubleValue())) return "-";
    return String.format(Locale.ROOT, "%." + digits + "f", n.doubleValue());
  }
}
