package ansatz.docs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a documented sample (a static no-argument method) once per test JVM and remembers what it
 * returned and what it printed, so that the page's own test (which asserts on the returned value)
 * and {@link DocSamplesTest} (which compares the printed text with the page) share one run.
 */
public final class Samples {
  private Samples() {}

  /**
   * One run of a sample.
   *
   * @param value what the method returned (null for void)
   * @param printed what it wrote to {@code System.out}, with '\n' line ends
   */
  public record Run(Object value, String printed) {
    /** @return the returned value, cast */
    @SuppressWarnings("unchecked")
    public <T> T as() {
      return (T) value;
    }
  }

  private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

  /**
   * @param type the class holding the sample
   * @param method the name of a static method without parameters (by convention, the region's name)
   * @return its result and output; the sample runs only on the first call
   */
  public static Run run(Class<?> type, String method) {
    String key = type.getName() + "#" + method;
    Run done = RUNS.get(key);
    if (done != null) return done;
    synchronized (Samples.class) {
      done = RUNS.get(key);
      if (done != null) return done;
      Run r = invoke(type, method);
      RUNS.put(key, r);
      return r;
    }
  }

  private static Run invoke(Class<?> type, String name) {
    Method m;
    try {
      m = type.getDeclaredMethod(name);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(type.getName() + " has no method " + name + "() for the sample of that name", e);
    }
    m.setAccessible(true);
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Object value;
    try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      value = m.invoke(null);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) throw re;
      if (cause instanceof Error err) throw err;
      throw new IllegalStateException("sample " + type.getSimpleName() + "." + name + " failed", cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } finally {
      System.setOut(original);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    original.print(printed); // still visible in the test log
    return new Run(value, printed);
  }
}
