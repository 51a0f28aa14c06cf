package ansatz.experiments.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ansatz bench}: times the reference workloads in Ansatz and in PyTorch, alternating them,
 * and writes {@code results/bench/summary.json} and {@code summary.md}.
 *
 * <p>The work is done by {@code ansatz.bench.SideBySide} in module bench, which this command starts
 * in a child JVM from {@code bench/target/benchmarks.jar} (built by the same {@code ./mvnw package}
 * as this jar). A child process rather than a Maven dependency because module bench sits above
 * experiments (it benchmarks everything, JMH included) and the side-by-side driver starts a fresh
 * JVM per workload anyway, so that each workload's heap and JIT state are its own.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time the workloads in Ansatz and PyTorch side by side (alternating, same threads); "
        + "writes results/bench/summary.json and summary.md.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--quick", description = "1 round, 0.5 s per point, no waiting: under 3 minutes")
  boolean quick;

  @Option(names = "--workloads", split = ",", description = "subset, comma-separated (default: all)")
  List<String> workloads;

  @Option(names = "--rounds", description = "Ansatz/PyTorch alternations per workload (default 3; quick 1)")
  Integer rounds;

  @Option(names = "--min-time", description = "seconds of timed steps per point and side (default 2; quick 0.5)")
  Double minTime;

  @Option(names = "--warmup-time", description = "Ansatz warms up at least this long so the JIT has compiled the vector kernels (default 5; quick 1.5)")
  Double warmupTime;

  @Option(names = "--threads", description = "threads for both sides (default ${DEFAULT-VALUE})")
  int threads = 2;

  @Option(names = "--torch-script", description = "the anchors' torch_bench.py (default <repo>/../shared/anchors/torch_bench.py)")
  Path torchScript;

  @Option(names = "--python", description = "python with python3-torch (default /usr/bin/python3)")
  Path python;

  @Option(names = "--no-torch", description = "time Ansatz alone")
  boolean noTorch;

  @Option(names = "--out", description = "output directory (default ${DEFAULT-VALUE})")
  Path out = Path.of("results", "bench");

  @Option(names = "--max-wait", description = "seconds each side may wait for a quiet machine per point (default 5; quick 0)")
  Double maxWait;

  @Option(names = "--heap", description = "-Xmx of the Ansatz workload JVMs, e.g. 4g")
  String heap;

  @Option(names = "--bench-jar", description = "benchmarks.jar to use (default <repo>/bench/target/benchmarks.jar)")
  Path benchJar;

  @Override
  public Integer call() throws Exception {
    Path jar = benchJar != null ? benchJar : defaultBenchJar();
    if (!Files.isRegularFile(jar)) {
      throw new IOException(jar + " not found; build it with ./mvnw -B -DskipTests package (or ./ansatz build)");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-cp", jar.toString(), "ansatz.bench.SideBySide"));
    cmd.addAll(forwardedOptions());
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    return p.waitFor();
  }

  /** @return the options in SideBySide's syntax */
  List<String> forwardedOptions() {
    List<String> a = new ArrayList<>();
    if (quick) a.add("--quick");
    if (workloads != null) a.addAll(List.of("--workloads", String.join(",", workloads)));
    if (rounds != null) a.addAll(List.of("--rounds", rounds.toString()));
    if (minTime != null) a.addAll(List.of("--min-time", minTime.toString()));
    if (warmupTime != null) a.addAll(List.of("--warmup-time", warmupTime.toString()));
    a.addAll(List.of("--threads", String.valueOf(threads)));
    if (torchScript != null) a.addAll(List.of("--torch-script", torchScript.toString()));
    if (python != null) a.addAll(List.of("--python", python.toString()));
    if (noTorch) a.add("--no-torch");
    a.addAll(List.of("--out", out.toString()));
    if (maxWait != null) a.addAll(List.of("--max-wait", maxWait.toString()));
    if (heap != null) a.addAll(List.of("--heap", heap));
    return a;
  }

  /** The launcher runs experiments/target/ansatz.jar; benchmarks.jar sits in the sibling module's target. */
  private static Path defaultBenchJar() {
    try {
      Path code = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = code; p != null; p = p.getParent()) {
        Path jar = p.resolve("bench").resolve("target").resolve("benchmarks.jar");
        if (Files.isRegularFile(jar)) return jar;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // unusual class loader: fall back to the working directory
    }
    return Path.of("bench", "target", "benchmarks.jar");
  }
}
