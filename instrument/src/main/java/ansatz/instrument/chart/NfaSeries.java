package ansatz.instrument.chart;

/**
 * One NFA correlation curve over time (DEFINITIONS.md section 3): which layer, uncentered (UC:
 * rho(W^T W, W^T K W)) or centered (C: the same with dW = W - W(0)), and the power alpha of the
 * AGOP side.
 *
 * @param layer layer name as it should appear in the legend
 * @param centered true for C-NFA, false for UC-NFA
 * @param alpha 1 or 1/2 (any positive value is drawn)
 * @param values one correlation per step
 */
public record NfaSeries(String layer, boolean centered, double alpha, double[] values) {
  /** {@return the legend label, e.g. {@code "layer 0 UC a=1/2"}} */
  public String label() {
    String a = alpha == 0.5 ? "1/2" : alpha == 1 ? "1" : Double.toString(alpha);
    return layer + " " + (centered ? "C" : "UC") + " a=" + a;
  }
}
