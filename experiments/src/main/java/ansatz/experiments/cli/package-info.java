/**
 * The {@code ./ansatz} command line (picocli): {@code list}, {@code run}, {@code train},
 * {@code reproduce}, {@code rfm}, {@code deep-rfm} and {@code bench}.
 */
package ansatz.experiments.cli;
