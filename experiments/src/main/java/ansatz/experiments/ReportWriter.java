package ansatz.experiments;

import ansatz.autograd.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes {@code results/REPORT.md}: every claim in one table, then each experiment with its charts. */
public final class ReportWriter {
  private ReportWriter() {}

  /** An experiment that crashed instead of producing a result. */
  public record Failure(String experiment, String message, double seconds) {}

  /** Writes the report for these results (paths in it are relative to {@code root}). */
  public static Path write(Path root, List<ExperimentResult> results, List<Failure> failures, double totalSeconds) throws IOException {
    StringBuilder md = new StringBuilder();
    long held = results.stream().flatMap(r -> r.claims().stream()).filter(Claim::holds).count();
    long total = results.stream().mapToLong(r -> r.claims().size()).sum();
    md.append("# Ansatz: claims of the AGOP papers, reproduced\n\n");
    md.append(String.format(Locale.ROOT, "%d of %d claims hold; %d experiments ran in %.0f s%s.%n%n", held, total,
        results.size(), totalSeconds, failures.isEmpty() ? "" : ", " + failures.size() + " failed to run"));
    md.append("Each claim's test (direction and threshold) was fixed before it was run; a claim that does not hold is reported as such.\n\n");
    md.append("## Machine\n\n");
    for (Map.Entry<String, String> e : Machine.describe().entrySet()) md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    md.append("\n## Claims\n\n| experiment | claim | statement | expected | measured | holds | chart |\n|---|---|---|---|---|---|---|\n");
    for (ExperimentResult r : results) {
      String chart = r.charts().isEmpty() ? "" : "![](" + link(root, r, r.charts().get(0)) + ")";
      for (Claim c : r.claims()) {
        md.append("| ").append(r.experiment()).append(" | ").append(cell(c.id())).append(" | ").append(cell(c.statement()))
            .append(" | ").append(cell(c.expected())).append(" | ").append(cell(c.measured())).append(" | ")
            .append(c.holds() ? "yes" : "**no**").append(" | ").append(chart).append(" |\n");
        chart = "";
      }
    }
    for (Failure f : failures) {
      md.append("| ").append(f.experiment()).append(" | (did not run) | ").append(cell(f.message())).append(" | | | **no** | |\n");
    }
    md.append("\n## Experiments\n");
    for (ExperimentResult r : results) {
      md.append("\n### ").append(r.experiment()).append("\n\n");
      md.append(String.format(Locale.ROOT, "Time: %.1f s. Output: `%s/`.%n%n", r.seconds(), r.experiment()));
      md.append("Configuration: ");
      md.append(String.join(", ", r.config().entrySet().stream().map(e -> "`" + e.getKey() + "=" + text(e.getValue()) + "`").toList()));
      md.append("\n\n");
      for (String n : r.notes()) md.append("> ").append(n).append("\n\n");
      for (Path p : r.charts()) md.append("![").append(p.getFileName()).append("](").append(link(root, r, p)).append(")\n");
    }
    Path out = root.resolve("REPORT.md");
    Files.createDirectories(root);
    AtomicFiles.writeString(out, md.toString());
    return out;
  }

  /** A configuration value as written: arrays by their elements (not Java's type@hash). */
  static String text(Object v) {
    return switch (v) {
      case int[] a -> java.util.Arrays.toString(a);
      case long[] a -> java.util.Arrays.toString(a);
      case double[] a -> java.util.Arrays.toString(a);
      case float[] a -> java.util.Arrays.toString(a);
      case boolean[] a -> java.util.Arrays.toString(a);
      case Object[] a -> java.util.Arrays.deepToString(a);
      case null -> "null";
      default -> String.valueOf(v);
    };
  }

  private static String link(Path root, ExperimentResult r, Path chart) {
    Path p = chart.isAbsolute() ? root.toAbsolutePath().relativize(chart) : Path.of(r.experiment()).resolve(chart);
    return p.toString().replace('\\', '/');
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  /** @return a timestamp for the report */
  static String now() {
    return ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}
