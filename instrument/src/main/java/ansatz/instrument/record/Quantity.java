package ansatz.instrument.record;

import java.util.Locale;

/**
 * What a probe set records. Matrices go to the snapshots ({@code snapshots/<tag>.npz}); scalars go
 * to {@code metrics.jsonl} as one row per layer, quantity and variant.
 */
public enum Quantity {
  /** matrix: W^T W (conv: filter covariance), {@code <layer>.nfm}; with init-removed also {@code <layer>.nfm_init_removed} */
  NFM(false),
  /** matrix: the layer AGOP w.r.t. the input of a dense layer, {@code <layer>.agop} */
  AGOP(false),
  /** matrix: the patch AGOP of a conv layer, {@code <layer>.patch_agop} (conv layers only) */
  PATCH_AGOP(false),
  /** matrix: K_l, the pre-activation tangent-feature matrix, {@code <layer>.ptf_k} */
  PTF_K(false),
  /** matrix: the sample-space Gram of the tangent features on the first m probe samples, {@code <layer>.ptk_gram} */
  PTK_GRAM(false),
  /** scalars: rho(NFM, AGOP^alpha), pearson/cosine, alpha 1/2 and 1, plain and init-removed NFM */
  NFA(true),
  /** scalars: rho(W^T W, W^T K W) */
  UC_NFA(true),
  /** scalars: rho(dW^T dW, dW^T K dW), dW = W - W(0) */
  C_NFA(true),
  /** scalar: ||W - W(0)||_F / ||W||_F */
  WEIGHT_CHANGE(true),
  /** scalars: cosine and pearson of the model's input AGOP with a reference (the data's true AGOP) */
  AGOP_ALIGNMENT(true);

  private final boolean scalar;

  Quantity(boolean scalar) {
    this.scalar = scalar;
  }

  /** {@return whether the quantity is logged as metrics rows (else it is a snapshot matrix)} */
  public boolean isScalar() {
    return scalar;
  }

  /** {@return the lower-case name used in outputs, e.g. {@code uc_nfa}} */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@return the quantity named {@code s} (e.g. "nfa", "PATCH_AGOP", "patch-agop")} */
  public static Quantity parse(String s) {
    for (Quantity q : values()) if (q.label().equalsIgnoreCase(s.trim().replace('-', '_'))) return q;
    throw new IllegalArgumentException("unknown probe quantity '" + s + "'; known: " + java.util.Arrays.stream(values()).map(Quantity::label).toList());
  }
}
