/**
 * Measurements of learned features that do not depend on how they were learned, such as the
 * neural-collapse metrics NC1, NC1-pinv and NC2 ({@link ansatz.nn.metrics.NeuralCollapse},
 * DEFINITIONS.md section 6).
 */
package ansatz.nn.metrics;
