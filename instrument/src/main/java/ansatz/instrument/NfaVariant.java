package ansatz.instrument;

import ansatz.instrument.math.Correlation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which of the conventions of DEFINITIONS.md sections 1-3 a correlation used. Every number the
 * probes write carries its variant, as a label such as
 * {@code pearson,alpha=0.5,init_removed=false,grad_centered=false} and as separate fields.
 *
 * @param correlation pearson (mean entry removed) or cosine (uncentered)
 * @param alpha the AGOP power: 1 or 0.5 (PSD square root)
 * @param initRemoved whether the weight matrix is W - W(0) (init-removed NFM; C-NFA) or W
 * @param gradCentered whether the AGOP / K were gradient-centered (mean Jacobian over samples removed)
 */
public record NfaVariant(Correlation correlation, double alpha, boolean initRemoved, boolean gradCentered) {
  /** The default report of DEFINITIONS.md section 2: pearson, alpha = 1/2, plain W, uncentered gradients. */
  public static final NfaVariant DEFAULT = new NfaVariant(Correlation.PEARSON, 0.5, false, false);

  /** Rejects a null correlation and an alpha that is not positive and finite. */
  public NfaVariant {
    if (correlation == null) throw new IllegalArgumentException("NfaVariant: correlation is null");
    if (!(alpha > 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("NfaVariant: alpha must be positive, got " + alpha);
  }

  /** {@return e.g. {@code pearson,alpha=0.5,init_removed=false,grad_centered=false}} */
  public String label() {
    return correlation.label() + ",alpha=" + alphaText(alpha) + ",init_removed=" + initRemoved + ",grad_centered=" + gradCentered;
  }

  /** {@return the variant as separate fields for a metrics row} */
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("corr", correlation.label());
    m.put("alpha", alpha);
    m.put("init_removed", initRemoved);
    m.put("grad_centered", gradCentered);
    return m;
  }

  /** {@return alpha as written in labels: 1, 0.5, or the shortest decimal} */
  static String alphaText(double alpha) {
    if (alpha == Math.rint(alpha)) return Long.toString((long) alpha);
    return Double.toString(alpha);
  }

  @Override
  public String toString() {
    return label();
  }
}
