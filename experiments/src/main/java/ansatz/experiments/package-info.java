/**
 * The claim experiments' framework: {@link ansatz.experiments.Experiment} and its base class, the
 * {@link ansatz.experiments.Claim}s each one checks, the registry that {@code ./ansatz list} shows,
 * and the writer of {@code results/REPORT.md}.
 */
package ansatz.experiments;
