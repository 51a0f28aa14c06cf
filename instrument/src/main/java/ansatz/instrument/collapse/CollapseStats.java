package ansatz.instrument.collapse;

import ansatz.nn.metrics.NeuralCollapse;

/**
 * The neural-collapse metrics of one feature matrix (DEFINITIONS.md section 6); all three tend to 0
 * under collapse.
 *
 * @param nc1 tr(Sigma_W) / tr(Sigma_B) (the default NC1)
 * @param nc1Pinv tr(Sigma_W Sigma_B^+) / K
 * @param nc2 mean over the K x K entries of (M M^T - E)^2 against the simplex ETF E
 */
public record CollapseStats(double nc1, double nc1Pinv, double nc2) {
  /** @return the same three numbers as computed by {@link NeuralCollapse} */
  public static CollapseStats of(NeuralCollapse.Stats s) {
    return new CollapseStats(s.nc1(), s.nc1Pinv(), s.nc2());
  }
}
