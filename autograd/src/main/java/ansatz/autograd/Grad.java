package ansatz.autograd;

/**
 * Grad mode: whether new operations are recorded for backward. Recording is on by default and is a
 * per-thread setting. Use {@link #disabled()} in a try-with-resources block for evaluation,
 * parameter updates and instrumentation:
 *
 * <pre>{@code
 * try (var g = Grad.disabled()) {
 *   Tensor pred = model.forward(x);   // no graph is built
 * }
 * }</pre>
 */
public final class Grad {
  private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

  private Grad() {}

  /** {@return true if operations on this thread are being recorded} */
  public static boolean isEnabled() {
    return ENABLED.get()[0];
  }

  /** A scope that restores the previous grad mode when closed. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** Turns recording off until the returned scope is closed. Nested scopes restore correctly. */
  public static Scope disabled() {
    return set(false);
  }

  /** Turns recording on until the returned scope is closed (inside a disabled scope). */
  public static Scope enabled() {
    return set(true);
  }

  private static Scope set(boolean on) {
    boolean[] flag = ENABLED.get();
    boolean previous = flag[0];
    flag[0] = on;
    return () -> flag[0] = previous;
  }
}
