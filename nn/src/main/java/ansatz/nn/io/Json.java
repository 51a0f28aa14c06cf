package ansatz.nn.io;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal JSON writer for metrics rows, summaries and model descriptions: maps (keys in their
 * iteration order), collections, arrays of numbers, strings, numbers, booleans and null. Non-finite
 * numbers, which JSON cannot represent, are written as the strings "NaN", "Infinity", "-Infinity"
 * so that a diverged run's files stay valid JSON and keep the information.
 */
public final class Json {
  private Json() {}

  /** @return compact JSON for {@code value} (one line: suitable for JSONL) */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    append(sb, value, -1, 0);
    return sb.toString();
  }

  /** @return indented JSON for {@code value} (for summary files people read) */
  public static String pretty(Object value) {
    StringBuilder sb = new StringBuilder();
    append(sb, value, 2, 0);
    return sb.append('\n').toString();
  }

  private static void newline(StringBuilder sb, int indent, int depth) {
    if (indent < 0) return;
    sb.append('\n');
    for (int i = 0; i < indent * depth; i++) sb.append(' ');
  }

  private static void append(StringBuilder sb, Object v, int indent, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      string(sb, s);
    } else if (v instanceof Boolean b) {
      sb.append(b);
    } else if (v instanceof Double || v instanceof Float) {
      number(sb, ((Number) v).doubleValue());
    } else if (v instanceof Number n) {
      sb.append(n.longValue());
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (i++ > 0) sb.append(',');
        newline(sb, indent, depth + 1);
        string(sb, String.valueOf(e.getKey()));
        sb.append(indent < 0 ? ":" : ": ");
        append(sb, e.getValue(), indent, depth + 1);
      }
      if (i > 0) newline(sb, indent, depth);
      sb.append('}');
    } else if (v instanceof Collection<?> c) {
      array(sb, c.toArray(), indent, depth);
    } else if (v instanceof Object[] a) {
      array(sb, a, indent, depth);
    } else if (v instanceof double[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) sb.append(indent < 0 ? "," : ", ");
        number(sb, a[i]);
      }
      sb.append(']');
    } else if (v instanceof int[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++) sb.append(i > 0 ? (indent < 0 ? "," : ", ") : "").append(a[i]);
      sb.append(']');
    } else if (v instanceof long[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++) sb.append(i > 0 ? (indent < 0 ? "," : ", ") : "").append(a[i]);
      sb.append(']');
    } else if (v instanceof Enum<?> e) {
      string(sb, e.toString());
    } else {
      string(sb, v.toString());
    }
  }

  private static void array(StringBuilder sb, Object[] a, int indent, int depth) {
    sb.append('[');
    boolean flat = true;
    for (Object o : a) flat &= !(o instanceof Map || o instanceof Collection || o instanceof Object[]);
    for (int i = 0; i < a.length; i++) {
      if (i > 0) sb.append(flat && indent >= 0 ? ", " : ",");
      if (!flat) newline(sb, indent, depth + 1);
      append(sb, a[i], indent, depth + 1);
    }
    if (!flat && a.length > 0) newline(sb, indent, depth);
    sb.append(']');
  }

  private static void number(StringBuilder sb, double d) {
    if (Double.isNaN(d)) sb.append("\"NaN\"");
    else if (Double.isInfinite(d)) sb.append(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    else if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append((long) d).append(".0");
    else sb.append(repr(d));
  }

  private static String repr(double d) {
    return Double.toString(d).toLowerCase(Locale.ROOT); // "1.0E-5" -> "1.0e-5": valid JSON
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }
}
