package ansatz.experiments;

/**
 * One runnable claim check. Implementations are listed in {@link Experiments} and run by
 * {@code ./ansatz run NAME [options]}.
 */
public interface Experiment {
  /** @return the name used on the command line, e.g. {@code nfa-mlp} */
  String name();

  /** @return one line saying what it checks */
  String description();

  /**
   * Runs the experiment.
   *
   * @param args the options after the name
   * @return the process exit code (0 success, 2 bad input, 3 training diverged)
   * @throws Exception on failure; the launcher prints its message without a stack trace
   */
  int run(String[] args) throws Exception;
}
