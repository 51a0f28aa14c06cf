package ansatz.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the benchmark ran on: CPU model and flags, cores, memory, JVM, date. */
final class MachineInfo {
  private MachineInfo() {}

  static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    String model = System.getProperty("os.arch");
    String flags = "";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) model = line.substring(line.indexOf(':') + 1).trim();
        if (line.startsWith("flags")) {
          flags = " " + line.substring(line.indexOf(':') + 1).trim() + " ";
          break;
        }
      }
    } catch (IOException e) {
      // not Linux: keep os.arch
    }
    m.put("cpu_model", model);
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("avx2", flags.contains(" avx2 "));
    m.put("fma", flags.contains(" fma "));
    m.put("avx512f", flags.contains(" avx512f "));
    m.put("memory_gb", memTotalGb());
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replaceAll("\\.\\d+", ""));
    return m;
  }

  private static double memTotalGb() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
      for (String l : lines) {
        if (l.startsWith("MemTotal:")) return Math.round(Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0 * 10) / 10.0;
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return Double.NaN;
  }
}
