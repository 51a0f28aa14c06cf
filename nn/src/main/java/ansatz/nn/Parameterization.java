package ansatz.nn;

/** How a {@link Linear} layer scales its weights. */
public enum Parameterization {
  /**
   * z = x W^T + b with the weights drawn at the right scale (PyTorch's convention; the default).
   */
  STANDARD,
  /**
   * Neural tangent kernel parameterization (Jacot et al.): every parameter is drawn from N(0, 1)
   * and the layer computes z = x W^T / sqrt(fan_in) + b. The function at init has the same scale as
   * under STANDARD with N(0, 1/fan_in) weights, but gradients (and so the useful learning rates)
   * differ; the catapult experiments use it.
   */
  NTK
}
