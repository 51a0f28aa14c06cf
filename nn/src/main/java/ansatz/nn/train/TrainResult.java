package ansatz.nn.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link Trainer#run()} did.
 *
 * @param status how it ended
 * @param stopReason the reason given by the listener that stopped it, or the divergence message; null when finished
 * @param steps optimizer steps taken in total (including those before a resume); when diverged, the
 *     steps completed before the failing one
 * @param epochs completed epochs in total
 * @param firstStep the number of steps already taken when this run started (0 unless resumed)
 * @param stepLosses the training loss of every step this run took, in order (a diverging step's
 *     non-finite loss is not included)
 * @param epochTrainLosses mean training loss of every epoch completed in this run
 * @param finalMetrics the last evaluation (train_loss, test_loss, test_accuracy, ...), empty if none
 * @param epochSeconds training wall time of every completed epoch (including those before a resume)
 * @param divergedAtStep the 1-based step at which a non-finite value appeared, or -1
 * @param lastFiniteLoss the last finite training loss (NaN if there was none)
 * @param wallSeconds wall time of this run
 * @param checkpoint the checkpoint file, when one was written
 */
public record TrainResult(
    TrainStatus status,
    String stopReason,
    long steps,
    int epochs,
    long firstStep,
    double[] stepLosses,
    double[] epochTrainLosses,
    Map<String, Double> finalMetrics,
    double[] epochSeconds,
    long divergedAtStep,
    double lastFiniteLoss,
    double wallSeconds,
    Optional<Path> checkpoint) {

  /** {@return whether training diverged (the command line then exits with code 3)} */
  public boolean diverged() {
    return status == TrainStatus.DIVERGED;
  }
}
