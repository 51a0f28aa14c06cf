package ansatz.nn.train;

/** How a training run ended; written in lower case to summary.json. */
public enum TrainStatus {
  /** all epochs (or the step limit) done */
  FINISHED,
  /** a listener asked to stop */
  STOPPED,
  /** a loss or a parameter became NaN or infinite; training stopped at that step */
  DIVERGED,
  /** an exception ended the run (summary.json records the message) */
  FAILED;

  /** {@return the lower-case name used in files} */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
