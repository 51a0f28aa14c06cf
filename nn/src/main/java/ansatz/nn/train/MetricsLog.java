package ansatz.nn.train;

import ansatz.autograd.io.AtomicFiles;
import ansatz.nn.io.Json;
import ansatz.nn.io.JsonReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The run's {@code metrics.jsonl}: one JSON object per line, appended as training goes.
 *
 * <p>Each row is appended with a single write of the complete line, so the file is valid JSONL after
 * every row (a crash can at worst lose the row being written). Non-finite numbers are written as the
 * strings "NaN", "Infinity", "-Infinity" ({@link Json}). On resume, rows logged after the
 * checkpoint's step are dropped (atomically) so that the file then reads as one uninterrupted run.
 */
final class MetricsLog {
  /** The file name inside a run directory. */
  static final String FILE_NAME = "metrics.jsonl";

  private final Path file;

  /** @param file the .jsonl file (its directory must exist) */
  MetricsLog(Path file) {
    this.file = file;
  }

  /** {@return the file} */
  Path file() {
    return file;
  }

  /** Starts an empty log (a fresh run replaces an old file). */
  void reset() throws IOException {
    AtomicFiles.writeString(file, "");
  }

  /** Appends one row as one line. */
  void append(Map<String, ?> row) {
    byte[] line = (Json.write(row) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Keeps only rows whose {@code step} is at most {@code step} (rows without a step are kept), for a
   * run resumed from a checkpoint taken at that step. A missing file is created empty.
   */
  void truncateAfterStep(long step) throws IOException {
    if (!Files.exists(file)) {
      reset();
      return;
    }
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) continue;
      Object s;
      try {
        s = JsonReader.parseObject(line).get("step");
      } catch (IllegalArgumentException e) {
        continue; // a torn last line of a crashed run
      }
      if (!(s instanceof Double d) || d <= step) kept.add(line);
    }
    StringBuilder sb = new StringBuilder();
    for (String line : kept) sb.append(line).append('\n');
    AtomicFiles.writeString(file, sb.toString());
  }
}
