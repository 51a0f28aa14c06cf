/**
 * Dense float64 linear algebra for the probes: a symmetric eigensolver and PSD matrix powers
 * ({@link ansatz.instrument.math.Matrices}), the products W^T W and W^T K W on the project's GEMM
 * ({@link ansatz.instrument.math.Products}), matrices kept in factored form
 * ({@link ansatz.instrument.math.Congruence}) and the two matrix correlations of DEFINITIONS.md
 * ({@link ansatz.instrument.math.Correlation}).
 */
package ansatz.instrument.math;
