package ansatz.bench;

import java.util.function.Supplier;

/**
 * A named benchmark workload, defined exactly as its PyTorch twin in
 * {@code shared/anchors/torch_bench.py} (same shapes, same step, same warm-up and minimum
 * repetitions, same FLOP count per step).
 *
 * @param name the id shared with the PyTorch side, e.g. {@code mlp_train_ce}
 * @param description one line saying what one step does
 * @param warmup untimed steps before timing
 * @param minReps at least this many timed steps
 * @param flopPerStep the main matrix-product FLOPs of one step, counted as the PyTorch script does
 * @param setup builds models and data (not timed) and returns the step to time
 */
public record Workload(String name, String description, int warmup, int minReps, double flopPerStep,
    Supplier<Step> setup) {

  /** @return a freshly set-up step (new model, new data, seeded) */
  public Step prepare() {
    return setup.get();
  }
}
