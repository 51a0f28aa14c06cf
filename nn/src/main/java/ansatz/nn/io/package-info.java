/**
 * A minimal JSON writer and strict reader for the run files ({@code metrics.jsonl},
 * {@code summary.json}, {@code model.json}). Exported only to the other Ansatz modules.
 */
package ansatz.nn.io;
