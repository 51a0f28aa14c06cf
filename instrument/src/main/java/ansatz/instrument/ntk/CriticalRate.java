package ansatz.instrument.ntk;

import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import ansatz.nn.loss.MSELoss;

/**
 * The critical learning rate of gradient descent on a squared loss (DEFINITIONS.md section 7),
 * from lambda = lambda_max(Theta), Theta = J J^T / n on a probe batch.
 *
 * <p>Why the loss matters: linearized, one GD step maps the residual r = f(x) - y to
 * (I - eta a Theta) r, where a is what the loss puts in front of Theta. It is stable iff
 * eta a lambda &lt; 2:
 *
 * <ul>
 *   <li>(1/2n) sum_i ||f(x_i) - y_i||^2 ({@link MSELoss#halfSumOverBatch()}, the default of the
 *       catapult papers): a = 1, eta_crit = 2/lambda ({@link #forHalfSumLoss()});
 *   <li>(1/n) sum_i ||f(x_i) - y_i||^2, the mean over samples without the 1/2: a = 2,
 *       eta_crit = 1/lambda ({@link #forMeanLossWithoutHalf()}); this is PyTorch's
 *       {@code MSELoss()} only when c = 1;
 *   <li>PyTorch's element mean (1/(n c)) sum ({@link MSELoss#mean()}): a = 2/c, eta_crit = c/lambda;
 *   <li>the plain sum ({@link MSELoss#sum()}) over a batch of b samples: a = 2b, eta_crit = 1/(b lambda).
 * </ul>
 *
 * A learning rate "1.5x" means 1.5 * 2/lambda_0 (the half-sum form), as
 * {@code LearningRate.timesCritical(1.5).resolve(lambda0)} computes.
 *
 * @param lambdaMax lambda_max(Theta) measured on the probe batch
 * @param probeSamples n of the probe batch
 * @param outputs c
 */
public record CriticalRate(double lambdaMax, int probeSamples, int outputs) {
  /** Checks the values. */
  public CriticalRate {
    if (!(lambdaMax > 0) || Double.isInfinite(lambdaMax)) {
      throw new IllegalArgumentException("CriticalRate: lambda_max must be finite and > 0, got " + lambdaMax);
    }
    if (probeSamples <= 0 || outputs <= 0) {
      throw new IllegalArgumentException("CriticalRate: probeSamples and outputs must be > 0, got " + probeSamples + ", " + outputs);
    }
  }

  /**
   * Measures lambda_max of the empirical NTK of {@code model} at its current parameters (call it at
   * initialization for lambda_0) on the probe batch. Parameters and their gradients are untouched.
   */
  public static CriticalRate measure(Module model, Tensor probeInputs) {
    EmpiricalNtk ntk = EmpiricalNtk.compute(model, probeInputs);
    return new CriticalRate(ntk.lambdaMax(), ntk.samples(), ntk.outputCount());
  }

  /** {@return 2/lambda: the critical rate for the (1/2n) sum_i ||f(x_i) - y_i||^2 loss (the default)} */
  public double forHalfSumLoss() {
    return 2 / lambdaMax;
  }

  /** {@return 1/lambda: the critical rate for the (1/n) sum_i ||f(x_i) - y_i||^2 loss (mean over samples, no 1/2)} */
  public double forMeanLossWithoutHalf() {
    return 1 / lambdaMax;
  }

  /**
   * @param loss the squared loss being minimized
   * @param batchSize samples per step (only the SUM reduction depends on it)
   * @return the critical rate for that loss's reduction (see the class comment)
   */
  public double forLoss(MSELoss loss, int batchSize) {
    if (batchSize <= 0) throw new IllegalArgumentException("CriticalRate.forLoss: batchSize must be > 0, got " + batchSize);
    return switch (loss.reduction()) {
      case HALF_SUM_OVER_BATCH -> 2 / lambdaMax;
      case MEAN -> outputs / lambdaMax;
      case SUM -> 1 / (batchSize * lambdaMax);
    };
  }

  /** {@return multiple * 2/lambda, the rate "multiple x" in units of the half-sum critical rate} */
  public double times(double multiple) {
    return multiple * forHalfSumLoss();
  }
}
