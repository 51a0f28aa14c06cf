package ansatz.experiments.cli;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import ansatz.nn.rfm.KernelType;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options {@code ansatz rfm} and {@code ansatz deep-rfm} share (a picocli mixin): evaluation
 * data, kernel, ridge, gradient centering, AGOP subsample, precision, seed, threads and output
 * directory, with their checks and their entries in {@code summary.json}.
 */
final class KernelMachineOptions {
  @Option(names = "--test-data", paramLabel = "SPEC",
      description = "evaluation data, same forms (its test part); default: the data's own test split, else a seeded 20%% hold-out")
  String testData;

  @Option(names = "--kernel", paramLabel = "laplace|gaussian", defaultValue = "laplace", description = "default: ${DEFAULT-VALUE}")
  String kernel;

  @Option(names = "--ridge", paramLabel = "LAMBDA", defaultValue = "1e-3", description = "ridge lambda (default ${DEFAULT-VALUE})")
  double ridge;

  @Option(names = "--center", description = "center the gradients (subtract each output's mean gradient) in the AGOP")
  boolean center;

  @Option(names = "--agop-samples", paramLabel = "N", defaultValue = "2000",
      description = "AGOP at a random subsample of at most N training points (default ${DEFAULT-VALUE})")
  int agopSamples;

  @Option(names = "--float64", description = "compute in float64 (default: the data's type, float32 for the built-in data)")
  boolean float64;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "seed of the random maps, AGOP subsamples and the hold-out split (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--threads", paramLabel = "N", description = "kernel threads (default: all processors)")
  Integer threads;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory for summary.json and M.npz")
  Path out;

  /** @return the kernel named by {@code --kernel}, after checking the shared numeric options */
  KernelType checkedKernel() {
    if (!(ridge >= 0) || Double.isInfinite(ridge)) throw new IllegalArgumentException("--ridge must be finite and >= 0, got " + ridge);
    if (agopSamples < 1) throw new IllegalArgumentException("--agop-samples must be >= 1, got " + agopSamples);
    return switch (kernel.toLowerCase(Locale.ROOT)) {
      case "laplace" -> KernelType.LAPLACE;
      case "gaussian" -> KernelType.GAUSSIAN;
      default -> throw new IllegalArgumentException("--kernel must be laplace or gaussian, got '" + kernel + "'");
    };
  }

  /** Checks {@code --bandwidth}, which each command declares with its own default. */
  static void checkBandwidth(double bandwidth) {
    if (!(bandwidth > 0) || Double.isInfinite(bandwidth)) throw new IllegalArgumentException("--bandwidth must be finite and > 0, got " + bandwidth);
  }

  /** Applies {@code --threads} to the kernels' thread pool. */
  void applyThreads() {
    if (threads == null) return;
    if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    ThreadCount.set(threads);
  }

  /** @return {@code x} in the precision {@code --float64} asks for */
  Tensor inputs(Tensor x) {
    return float64 ? x.to(DType.FLOAT64) : x;
  }

  /** Adds the precision, seed and threads to a summary's config, after the command's own entries. */
  void putConfig(Map<String, Object> config, KernelData d) {
    config.put("dtype", float64 ? "float64" : d.train().inputs().dtype().toString().toLowerCase(Locale.ROOT));
    config.put("seed", seed);
    if (threads != null) config.put("threads", threads);
  }
}
