/**
 * Neural collapse on the probe side (DEFINITIONS.md section 6): {@link
 * ansatz.instrument.collapse.FeatureRecorder} captures any module's input or output with a forward
 * hook, {@link ansatz.instrument.collapse.LayerCollapse} measures NC1, NC1-pinv and NC2 of those
 * features (with {@link ansatz.nn.metrics.NeuralCollapse}), and {@link ansatz.instrument.collapse.SingularSplit} separates a trained layer's
 * collapse into its right singular structure and the nonlinearity.
 */
package ansatz.instrument.collapse;
