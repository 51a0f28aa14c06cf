package ansatz.nn.train;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The console progress display of a training run: epoch, batch, running loss and accuracy,
 * samples per second and the estimated time left.
 *
 * <p>On a terminal ({@link Mode#BAR}) one line is redrawn in place with a carriage return, at most
 * ten times a second; elsewhere (a log file, a pipe: {@link Mode#LINES}) a plain line is printed
 * every {@code periodSeconds}. Both print one summary line per epoch. {@link Mode#AUTO} picks BAR
 * when the JVM has a console attached to a terminal.
 */
public final class Progress {
  /** How progress is shown. */
  public enum Mode {
    /** BAR on a terminal, LINES otherwise */
    AUTO,
    /** one line redrawn in place */
    BAR,
    /** plain lines every few seconds */
    LINES,
    /** nothing at all */
    OFF
  }

  /**
   * What is shown after a step.
   *
   * @param epoch current epoch, 1-based
   * @param epochs total epochs, or -1 when only a step limit is set
   * @param batch batches done in this epoch
   * @param batches batches per epoch
   * @param step steps done in the run
   * @param totalSteps steps the run will take, or -1 when unknown
   * @param loss mean training loss of the epoch so far
   * @param accuracy training accuracy of the epoch so far (NaN for regression)
   * @param samplesPerSecond training throughput of the epoch so far
   * @param etaSeconds estimated seconds until the run ends (NaN when unknown)
   */
  public record Snapshot(int epoch, int epochs, int batch, int batches, long step, long totalSteps, double loss,
                         double accuracy, double samplesPerSecond, double etaSeconds) {}

  private static final long BAR_REDRAW_NANOS = 100_000_000L;
  private static final int BAR_WIDTH = 24;

  private final PrintStream out;
  private final Mode mode;
  private final long periodNanos;
  private long lastPrint = Long.MIN_VALUE;
  private int barLength; // characters of the bar line on screen, 0 when none

  /**
   * @param out where to print
   * @param mode how ({@link Mode#AUTO} is resolved now)
   * @param periodSeconds seconds between plain lines in {@link Mode#LINES} (0 prints after every step)
   */
  public Progress(PrintStream out, Mode mode, double periodSeconds) {
    if (out == null && mode != Mode.OFF) throw new IllegalArgumentException("Progress: output stream is null");
    if (!(periodSeconds >= 0)) throw new IllegalArgumentException("Progress: periodSeconds must be >= 0, got " + periodSeconds);
    this.out = out;
    this.mode = mode == Mode.AUTO ? (isTerminal() ? Mode.BAR : Mode.LINES) : mode;
    this.periodNanos = (long) (periodSeconds * 1e9);
  }

  /** {@return a display that prints nothing} */
  public static Progress off() {
    return new Progress(null, Mode.OFF, 0);
  }

  /**
   * {@return whether standard output is an interactive terminal. Since JDK 22 {@code System.console()}
   *     is non-null even when output is redirected, so {@link Console#isTerminal()} decides.}
   */
  public static boolean isTerminal() {
    Console c = System.console();
    return c != null && c.isTerminal();
  }

  /** {@return the mode in effect (never AUTO)} */
  public Mode mode() {
    return mode;
  }

  /** Shows the state after a step (throttled). */
  public void step(Snapshot s) {
    if (mode == Mode.OFF) return;
    long now = System.nanoTime();
    boolean last = s.batch() == s.batches();
    if (mode == Mode.BAR) {
      if (!last && lastPrint != Long.MIN_VALUE && now - lastPrint < BAR_REDRAW_NANOS) return;
      lastPrint = now;
      String line = bar(s) + "  " + numbers(s);
      out.print("\r" + line + " ".repeat(Math.max(0, barLength - line.length())));
      out.flush();
      barLength = line.length();
    } else {
      if (lastPrint != Long.MIN_VALUE && now - lastPrint < periodNanos) return;
      lastPrint = now;
      out.println(position(s) + "  " + numbers(s));
      out.flush();
    }
  }

  /** Prints a line that stays (an epoch summary, a warning), clearing the bar first. */
  public void line(String text) {
    if (mode == Mode.OFF) return;
    clearBar();
    out.println(text);
    out.flush();
  }

  /** Ends the display (leaves the cursor on a fresh line). */
  public void finish() {
    if (mode == Mode.OFF) return;
    clearBar();
    out.flush();
  }

  private void clearBar() {
    if (barLength > 0) {
      out.print("\r" + " ".repeat(barLength) + "\r");
      barLength = 0;
      lastPrint = Long.MIN_VALUE;
    }
  }

  private static String position(Snapshot s) {
    String epochs = s.epochs() > 0 ? "/" + s.epochs() : "";
    return "epoch " + s.epoch() + epochs + " batch " + s.batch() + "/" + s.batches() + " step " + s.step()
        + (s.totalSteps() > 0 ? "/" + s.totalSteps() : "");
  }

  private static String bar(Snapshot s) {
    int filled = (int) Math.round(BAR_WIDTH * (double) s.batch() / Math.max(1, s.batches()));
    String epochs = s.epochs() > 0 ? "/" + s.epochs() : "";
    return "epoch " + s.epoch() + epochs + " [" + "=".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] "
        + s.batch() + "/" + s.batches();
  }

  private static String numbers(Snapshot s) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "loss %.4f", s.loss()));
    if (!Double.isNaN(s.accuracy())) sb.append(String.format(Locale.ROOT, "  acc %.4f", s.accuracy()));
    sb.append(String.format(Locale.ROOT, "  %.0f samples/s", s.samplesPerSecond()));
    sb.append("  ETA ").append(Double.isFinite(s.etaSeconds()) ? duration(s.etaSeconds()) : "?");
    return sb.toString();
  }

  /** {@return seconds as h:mm:ss or m:ss} */
  static String duration(double seconds) {
    long t = Math.round(Math.max(0, seconds));
    long h = t / 3600, m = (t / 60) % 60, sec = t % 60;
    return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
  }
}
