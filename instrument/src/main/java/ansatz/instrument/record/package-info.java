/**
 * Probes attached to training: {@link ansatz.instrument.record.FeatureProbes} is a
 * {@code TrainListener} that, on a seeded probe subset and on a schedule, records the NFM, AGOPs,
 * tangent-feature matrices and every NFA variant (with its initialization baseline) of the chosen
 * layers, as metrics rows, {@code snapshots/<tag>.npz} archives and a {@code model.json} from
 * which numpy or PyTorch users can rebuild the network. {@link ansatz.instrument.record.ProbeConfig}
 * says what, where, how often and on which samples.
 */
package ansatz.instrument.record;
