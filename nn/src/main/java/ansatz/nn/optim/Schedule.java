package ansatz.nn.optim;

/**
 * A learning-rate schedule: the rate at time {@code t} (0, 1, 2, ...) given the base rate. Whether
 * {@code t} counts steps or epochs is up to the caller: {@link LrScheduler#step()} advances it, so
 * call it after every optimizer step or after every epoch. Formulas follow PyTorch's schedulers.
 */
@FunctionalInterface
public interface Schedule {
  /** {@return the learning rate at time {@code t} for a group whose base rate is {@code baseLr}} */
  double lr(double baseLr, long t);

  /** {@return the base rate at all times} */
  static Schedule constant() {
    return (base, t) -> base;
  }

  /** {@return base * gamma^floor(t / stepSize), as {@code StepLR}} */
  static Schedule step(long stepSize, double gamma) {
    if (stepSize <= 0) throw new IllegalArgumentException("Schedule.step: stepSize must be positive, got " + stepSize);
    if (!(gamma >= 0) || Double.isInfinite(gamma)) throw new IllegalArgumentException("Schedule.step: gamma must be finite and >= 0, got " + gamma);
    return (base, t) -> base * Math.pow(gamma, Math.floorDiv(t, stepSize));
  }

  /**
   * {@return minLr + (base - minLr)(1 + cos(pi t / total)) / 2 for t &lt;= total, then minLr
   *     (the closed form of {@code CosineAnnealingLR} without restarts)}
   */
  static Schedule cosine(long total, double minLr) {
    if (total <= 0) throw new IllegalArgumentException("Schedule.cosine: total must be positive, got " + total);
    if (!(minLr >= 0)) throw new IllegalArgumentException("Schedule.cosine: minLr must be >= 0, got " + minLr);
    return (base, t) -> t >= total ? minLr : minLr + (base - minLr) * (1 + Math.cos(Math.PI * t / total)) / 2;
  }

  /**
   * {@return a linear warm-up over the first {@code steps} times, base * (t + 1) / steps, followed by
   *     {@code after} counted from the end of the warm-up (at time t it gives after(base, t - steps))}
   */
  static Schedule warmup(long steps, Schedule after) {
    if (steps < 0) throw new IllegalArgumentException("Schedule.warmup: steps must be >= 0, got " + steps);
    if (after == null) throw new IllegalArgumentException("Schedule.warmup: the schedule after the warm-up is null");
    return (base, t) -> t < steps ? base * (t + 1) / steps : after.lr(base, t - steps);
  }

  /** {@return this schedule preceded by a linear warm-up of {@code steps} (see {@link #warmup})} */
  default Schedule withWarmup(long steps) {
    return warmup(steps, this);
  }
}
