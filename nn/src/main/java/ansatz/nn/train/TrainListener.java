package ansatz.nn.train;

/**
 * Observes training. The trainer calls these in order: {@link #onTrainStart} once, then after each
 * optimizer step {@link #onStepEnd}, after each epoch (with its evaluation) {@link #onEpochEnd},
 * and {@link #onTrainEnd} once, also when training stopped early or diverged. Listeners run in
 * registration order on the training thread; any of them may stop training with
 * {@link TrainState#requestStop}. Probes from the instrument module are listeners.
 */
public interface TrainListener {
  /** Before the first step (the model is at its initialisation). */
  default void onTrainStart(TrainState state) {}

  /** After every optimizer step; {@link TrainState#lastLoss()} is that step's training loss. */
  default void onStepEnd(TrainState state) {}

  /** After every epoch and its evaluation. */
  default void onEpochEnd(TrainState state) {}

  /** Once at the end, whatever the reason (finished, stopped, diverged). */
  default void onTrainEnd(TrainState state) {}
}
