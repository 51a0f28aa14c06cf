package ansatz.nn.data;

/**
 * A data file is missing, unreadable or malformed. The message always names the file and, where it
 * applies, the line, column or byte counts involved, and how to fix the problem.
 */
public class DataException extends RuntimeException {
  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
