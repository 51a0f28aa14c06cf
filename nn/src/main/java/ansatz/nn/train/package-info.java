/**
 * The training loop every experiment uses: {@link ansatz.nn.train.Trainer} (mini-batch steps, an
 * evaluation per epoch, listeners, progress, {@code metrics.jsonl} and {@code summary.json}, atomic
 * checkpoints from which a resumed run continues bitwise, a clean stop on divergence), the
 * {@link ansatz.nn.train.TrainListener} hooks that probes attach to, and the run's result.
 */
package ansatz.nn.train;
