package ansatz.instrument.agop;

import ansatz.autograd.kernel.Gemm;

/**
 * The Gram of masked shared tangents (DEFINITIONS.md section 1 after the last ReLU): with
 * g_{i,k} = m_i ∘ r_k at each position p,
 *
 * <pre>  sum_{i,k,p} g g^T = sum_p (R_p^T R_p) ∘ (M_p^T M_p)</pre>
 *
 * where R_p (c x C) holds the readout rows and M_p (b x C) the 0/1 masks at position p. The mask
 * Gram counts co-active units, exact in float32 below 2^24 samples; the c x C readout Gram is
 * float64. So a batch costs one b x C x C product instead of the c times larger one of the rows.
 */
final class MaskGram {
  private MaskGram() {}

  /**
   * @param mask channel-major (C, b, P) masks, float[] or double[]
   * @param rows c x (C*P) shared rows, channel-major per row
   * @return the full symmetric C x C sum
   */
  static double[] sum(Object mask, double[] rows, int b, int c, int channels, int positions) {
    int ch = channels;
    if (positions == 1) {
      GramAccumulator masks = new GramAccumulator(ch);
      masks.addColumns(mask, b, b);
      return combine(rows, c, ch, masks.sum());
    }
    double[] out = new double[ch * ch];
    double[] readout = new double[ch * ch];
    // Per position: gather R_p and M_p into dense blocks, multiply, accumulate the product.
    double[] rp = new double[c * ch];
    Object mp = TangentLoops.alloc(TangentLoops.dtypeOf(mask), (long) ch * b);
    Object q = TangentLoops.alloc(TangentLoops.dtypeOf(mask), (long) ch * ch);
    for (int p = 0; p < positions; p++) {
      for (int k = 0; k < c; k++) for (int a = 0; a < ch; a++) rp[k * ch + a] = rows[(k * ch + a) * positions + p];
      if (mask instanceof float[] mf) {
        float[] d = (float[]) mp;
        for (int a = 0; a < ch; a++) for (int i = 0; i < b; i++) d[a * b + i] = mf[(a * b + i) * positions + p];
      } else {
        double[] md = (double[]) mask, d = (double[]) mp;
        for (int a = 0; a < ch; a++) for (int i = 0; i < b; i++) d[a * b + i] = md[(a * b + i) * positions + p];
      }
      Gemm.dgemm(true, false, ch, ch, c, 1.0, rp, 0, ch, rp, 0, ch, 0.0, readout, 0, ch);
      TangentLoops.gemm(false, true, ch, ch, b, 1.0, mp, 0, b, mp, 0, b, 0.0, q, 0, ch);
      for (int i = 0; i < out.length; i++) out[i] += readout[i] * TangentLoops.get(q, i);
    }
    return out;
  }

  /**
   * {@return (R^T R) ∘ Q for dense layers (one position): R the c x C readout rows, Q a sum of
   *     mask Grams M^T M (C x C), e.g. over all batches of a probe whose readout rows are the same}
   */
  static double[] combine(double[] rows, int c, int channels, double[] q) {
    int ch = channels;
    double[] out = new double[ch * ch];
    Gemm.dgemm(true, false, ch, ch, c, 1.0, rows, 0, ch, rows, 0, ch, 0.0, out, 0, ch);
    for (int i = 0; i < out.length; i++) out[i] *= q[i];
    return out;
  }
}
