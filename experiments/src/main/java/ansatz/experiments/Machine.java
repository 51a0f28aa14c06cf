package ansatz.experiments;

import ansatz.autograd.kernel.Simd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A short description of the machine a result was measured on. */
public final class Machine {
  private Machine() {}

  /** @return cpu, cores, memory, JVM, SIMD path, date */
  public static Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cpu", cpuModel());
    m.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    m.put("max heap", (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("simd", Simd.describe());
    m.put("date", ReportWriter.now());
    return m;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
      }
    } catch (Exception e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }
}
