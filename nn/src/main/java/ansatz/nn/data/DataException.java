package ansatz.nn.data;

/**
 * A data file is missing, unreadable or malformed. The message always names the file and, where it
 * applies, the line, column or byte counts involved, and how to fix the problem.
 */
public class DataException extends RuntimeException {
  /** @param message what is wrong, where, and how to fix it */
  public DataException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong, where, and how to fix it
   * @param cause the underlying failure (e.g. an I/O error)
   */
  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
