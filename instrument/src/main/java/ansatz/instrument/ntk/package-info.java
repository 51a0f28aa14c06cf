/**
 * The empirical neural tangent kernel and what the catapult analysis reads from it (DEFINITIONS.md
 * section 7): {@link ansatz.instrument.ntk.EmpiricalNtk} builds Theta = J J^T / n from layer inputs
 * and pre-activation gradients (no per-sample parameter gradients), {@link
 * ansatz.instrument.ntk.Lanczos} finds its top eigenpairs, {@link ansatz.instrument.ntk.CriticalRate}
 * turns lambda_max into the critical learning rate of a named loss, and {@link
 * ansatz.instrument.ntk.ResidualSplit} splits the residual between the top eigenspace and the rest.
 */
package ansatz.instrument.ntk;
