/**
 * Probes hooked into training: weight Grams (NFM), per-layer and patch AGOPs, pre-activation tangent
 * features, NFA correlations, the NTK spectrum, catapult detection and neural-collapse metrics, written
 * as JSONL/CSV and .npy/.npz and drawn as PNG/SVG charts. Definitions follow DEFINITIONS.md.
 */
package ansatz.instrument;
