package ansatz.nn.optim;

import java.util.List;

/**
 * Applies a {@link Schedule} to an optimizer: each group's rate becomes schedule(base_g, t), where
 * base_g is the group's rate when the scheduler was made. The rate for t = 0 is set at once;
 * {@link #step()} advances t (call it once per optimizer step, or once per epoch).
 */
public final class LrScheduler {
  private final Optimizer optimizer;
  private final Schedule schedule;
  private final double[] baseLrs;
  private long t;

  /** Captures the groups' current rates as base rates and applies t = 0. */
  public LrScheduler(Optimizer optimizer, Schedule schedule) {
    if (optimizer == null || schedule == null) throw new IllegalArgumentException("LrScheduler: optimizer and schedule are required");
    this.optimizer = optimizer;
    this.schedule = schedule;
    List<ParamGroup> groups = optimizer.paramGroups();
    this.baseLrs = new double[groups.size()];
    for (int g = 0; g < baseLrs.length; g++) baseLrs[g] = groups.get(g).lr();
    apply();
  }

  /** Advances time by one and sets the new rates. */
  public void step() {
    t++;
    apply();
  }

  /** {@return the current time (number of {@link #step()} calls, or the value restored by {@link #setTime})} */
  public long time() {
    return t;
  }

  /** Jumps to time {@code t} (restoring a checkpoint) and sets the rates. */
  public void setTime(long t) {
    if (t < 0) throw new IllegalArgumentException("LrScheduler.setTime: t must be >= 0, got " + t);
    this.t = t;
    apply();
  }

  private void apply() {
    List<ParamGroup> groups = optimizer.paramGroups();
    for (int g = 0; g < baseLrs.length; g++) groups.get(g).setLr(schedule.lr(baseLrs[g], t));
  }
}
