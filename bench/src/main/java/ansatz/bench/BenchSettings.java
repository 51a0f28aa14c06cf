package ansatz.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Options of {@link SideBySide}, parsed from the command line (the same options {@code ./ansatz
 * bench} accepts; see {@link #USAGE}).
 */
public record BenchSettings(boolean quick, List<String> workloads, int rounds, double minTime, double warmupTime, int threads,
    Path torchScript, Path python, boolean noTorch, Path out, double maxWait, String heap) {

  /** Usage text. */
  public static final String USAGE = """
      usage: bench [--quick] [--workloads a,b,...] [--rounds R] [--min-time S] [--warmup-time S] [--threads T]
                   [--torch-script PATH] [--python PATH] [--no-torch] [--out DIR] [--max-wait S] [--heap SIZE]
        --quick          1 round, 0.5 s of timed steps per point, no waiting for a quiet machine (under 3 minutes)
        --workloads      comma-separated subset of: %s
        --rounds R       alternations Ansatz/PyTorch per workload (default 3; quick 1)
        --min-time S     seconds of timed steps per point and side (default 2.0; quick 0.5)
        --warmup-time S  Ansatz warms up at least this long (beyond the workload's warm-up steps) so that the
                         JIT has compiled the vector kernels (default 5; quick 1.5)
        --threads T      threads for both sides: Ansatz's -Dansatz.threads, PyTorch's config tT (default 2)
        --torch-script   torch_bench.py of the anchors (default <repo>/../shared/anchors/torch_bench.py)
        --python         interpreter with python3-torch (default /usr/bin/python3)
        --no-torch       time Ansatz alone
        --out DIR        where summary.json and summary.md go (default results/bench)
        --max-wait S     seconds each side may wait for neighbours to go quiet before a point (default 5; quick 0)
        --heap SIZE      -Xmx of the Ansatz workload JVMs (default: the JVM's default)
      """;

  /** @return the settings for {@code args}; bad input throws IllegalArgumentException with a clear message */
  public static BenchSettings parse(String... args) {
    boolean quick = Arrays.asList(args).contains("--quick");
    List<String> workloads = new ArrayList<>(Workloads.all().keySet());
    int rounds = quick ? 1 : 3;
    double minTime = quick ? 0.5 : 2.0;
    double warmupTime = quick ? 1.5 : 5.0;
    int threads = 2;
    Path torchScript = null;
    Path python = Path.of("/usr/bin/python3");
    boolean noTorch = false;
    Path out = Path.of("results", "bench");
    double maxWait = quick ? 0 : 5;
    String heap = null;
    for (int i = 0; i < args.length; i++) {
      String opt = args[i];
      switch (opt) {
        case "--quick" -> { }
        case "--no-torch" -> noTorch = true;
        case "--workloads" -> {
          workloads = List.of(value(args, ++i, opt).split(","));
          Workloads.select(workloads); // fails early on an unknown name
        }
        case "--rounds" -> rounds = positive(opt, Options.parseInt(opt, value(args, ++i, opt)));
        case "--min-time" -> minTime = Options.parseDouble(opt, value(args, ++i, opt));
        case "--warmup-time" -> warmupTime = Options.parseDouble(opt, value(args, ++i, opt));
        case "--threads" -> threads = positive(opt, Options.parseInt(opt, value(args, ++i, opt)));
        case "--torch-script" -> torchScript = Path.of(value(args, ++i, opt));
        case "--python" -> python = Path.of(value(args, ++i, opt));
        case "--out" -> out = Path.of(value(args, ++i, opt));
        case "--max-wait" -> maxWait = Options.parseDouble(opt, value(args, ++i, opt));
        case "--heap" -> heap = value(args, ++i, opt);
        default -> throw new IllegalArgumentException("unknown option '" + opt + "'\n" + usage());
      }
    }
    if (minTime < 0 || maxWait < 0 || warmupTime < 0) {
      throw new IllegalArgumentException("--min-time, --warmup-time and --max-wait must not be negative");
    }
    if (heap != null && !heap.matches("\\d+[kKmMgG]?")) throw new IllegalArgumentException("--heap needs a size such as 4g, got '" + heap + "'");
    if (torchScript == null) torchScript = RepoPaths.defaultTorchScript();
    return new BenchSettings(quick, List.copyOf(workloads), rounds, minTime, warmupTime, threads, torchScript, python, noTorch, out,
        maxWait, heap);
  }

  /** @return the usage text with the workload names filled in */
  public static String usage() {
    return USAGE.formatted(String.join(", ", Workloads.all().keySet()));
  }

  private static String value(String[] args, int i, String opt) {
    if (i >= args.length || args[i].startsWith("--")) throw new IllegalArgumentException(opt + " needs a value");
    return args[i];
  }

  private static int positive(String opt, int v) {
    if (v < 1) throw new IllegalArgumentException(opt + " must be at least 1, got " + v);
    return v;
  }
}
