package ansatz.nn.train;

import ansatz.nn.Module;
import ansatz.nn.data.Dataset;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** What a {@link TrainListener} can see of a running training, and the one thing it can do: stop it. */
public interface TrainState {
  /** {@return the model being trained} */
  Module model();

  /** {@return optimizer steps taken so far (0 before the first)} */
  long step();

  /** {@return completed epochs (0 during the first epoch)} */
  int epoch();

  /** {@return the training loss of the most recent step (NaN before the first)} */
  double lastLoss();

  /** {@return the current learning rate} */
  double learningRate();

  /** {@return the training data} */
  Dataset trainData();

  /** {@return the evaluation data, if any} */
  Optional<Dataset> testData();

  /** {@return the run directory, if outputs are being written} */
  Optional<Path> outDir();

  /** {@return the latest evaluation metrics (e.g. test_loss, test_accuracy), empty before the first} */
  Map<String, Double> lastEvaluation();

  /** Writes one row to the run's metrics.jsonl (ignored when there is no run directory). */
  void log(Map<String, Object> row);

  /** Asks the trainer to stop after the current step, recording {@code reason}. */
  void requestStop(String reason);
}
