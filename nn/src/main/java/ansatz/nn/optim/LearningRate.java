package ansatz.nn.optim;

/**
 * A learning rate, either an absolute number or a multiple of the critical rate 2/lambda_0 of
 * DEFINITIONS section 7 (lambda_0 = the top NTK eigenvalue at initialization).
 *
 * <p>Optimizers accept only absolute rates for now: resolving a relative rate needs the NTK
 * eigenvalue estimator of the instrument module, so {@link #absolute()} on a relative rate throws.
 * Once lambda_0 is known, {@link #resolve(double)} converts either form.
 */
public sealed interface LearningRate {
  /** {@return an absolute rate} */
  static LearningRate of(double value) {
    return new Absolute(value);
  }

  /** {@return {@code multiple} times 2/lambda_0, e.g. 1.5 for a rate in the catapult phase} */
  static LearningRate timesCritical(double multiple) {
    return new TimesCritical(multiple);
  }

  /**
   * {@return the absolute value}
   *
   * @throws UnsupportedOperationException for a rate relative to 2/lambda_0
   */
  double absolute();

  /** {@return the absolute value given lambda_0 (the top NTK eigenvalue at init)} */
  double resolve(double lambda0);

  /** A plain learning rate. */
  record Absolute(double value) implements LearningRate {
    /** Checks the value. */
    public Absolute {
      if (!(value >= 0) || Double.isInfinite(value)) throw new IllegalArgumentException("LearningRate: must be finite and >= 0, got " + value);
    }

    @Override
    public double absolute() {
      return value;
    }

    @Override
    public double resolve(double lambda0) {
      return value;
    }
  }

  /** {@code multiple} times the critical rate 2/lambda_0. */
  record TimesCritical(double multiple) implements LearningRate {
    /** Checks the value. */
    public TimesCritical {
      if (!(multiple >= 0) || Double.isInfinite(multiple)) throw new IllegalArgumentException("LearningRate.timesCritical: multiple must be finite and >= 0, got " + multiple);
    }

    @Override
    public double absolute() {
      throw new UnsupportedOperationException("needs the NTK lambda estimator from the instrument module (a rate of "
          + multiple + " x 2/lambda_0 cannot be resolved here); resolve it with resolve(lambda0)");
    }

    @Override
    public double resolve(double lambda0) {
      if (!(lambda0 > 0) || Double.isInfinite(lambda0)) throw new IllegalArgumentException("LearningRate.resolve: lambda_0 must be finite and > 0, got " + lambda0);
      return multiple * 2 / lambda0;
    }
  }
}
