package ansatz.instrument.agop;

/**
 * The tangent features g_{i,k} = d f_k(x_i) / d h at one point h of a {@link FastChainRule}
 * sweep, for the samples i of a batch and the outputs k, in the cheapest form that is exact there.
 * Per sample a tangent has C channels at P positions (dense layers: P = 1), flattened
 * channel-major (the order of a Flatten).
 */
sealed interface Tangents {
  /**
   * The same rows for every sample: g_{i,k} = rows[k], as just before the output layer (rows =
   * I) and after any Linear or Conv2d met before the first ReLU.
   *
   * @param rows c x (C*P), float64
   */
  record Shared(double[] rows) implements Tangents {}

  /**
   * A ReLU mask times shared rows: g_{i,k} = mask_i ∘ rows[k], as after the last ReLU. Its Gram
   * needs only the Gram of the masks: sum_{i,k} g g^T = (R^T R) ∘ (M^T M) at each position.
   *
   * @param mask the batch's masks, channel-major (C, b, P), in the model's dtype
   * @param rows c x (C*P), float64
   */
  record Masked(Object mask, double[] rows) implements Tangents {}

  /**
   * Every row written out, for the samples {@code first .. first+count-1} of the batch: a
   * (C, count*c, P) block in the model's dtype with row r = i*c + k for sample first + i (see
   * {@link TangentLoops}).
   */
  record Explicit(Object block, int first, int count) implements Tangents {}
}
