package ansatz.bench;

/**
 * The speed targets, as ratios of Ansatz's time to PyTorch's (2 threads each, one run): at most
 * this much. sgemm's target, at least 0.8x PyTorch's GFLOP/s, is a time ratio of at most 1.25.
 */
final class Targets {
  private Targets() {}

  /** @return the largest acceptable time ratio Ansatz/PyTorch, or NaN if the workload has no target */
  static double maxRatio(String workload) {
    return switch (workload) {
      case "sgemm_1024" -> 1.25;
      case "mlp_train_ce", "mlp_train_mse", "cnn_train" -> 1.0;
      case "agop_mlp", "patch_agop_cnn" -> 0.5;
      default -> Double.NaN;
    };
  }

  /** @return how the target reads in the table */
  static String describe(String workload) {
    double t = maxRatio(workload);
    if (Double.isNaN(t)) return "-";
    if (workload.startsWith("sgemm_")) return "<= 1.25 (>= 0.8x GFLOP/s)";
    return "<= " + t;
  }
}
