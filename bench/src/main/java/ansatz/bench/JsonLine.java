package ansatz.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses one line of JSON holding a flat object (string keys; values are strings, numbers,
 * booleans or null), the format both the PyTorch scripts and {@link WorkloadRunner} print.
 * Nested objects or arrays are rejected with the position of the problem.
 */
public final class JsonLine {
  private final String s;
  private int i;

  private JsonLine(String s) {
    this.s = s;
  }

  /** @return the object's fields in order; numbers are {@code Double}, strings {@code String} */
  public static Map<String, Object> parse(String line) {
    JsonLine p = new JsonLine(line.trim());
    Map<String, Object> m = p.object();
    p.ws();
    if (p.i != p.s.length()) throw p.error("trailing characters");
    return m;
  }

  /** @return the field as a double, or NaN if it is absent or not a number */
  public static double number(Map<String, Object> m, String key) {
    return m.get(key) instanceof Double d ? d : Double.NaN;
  }

  private Map<String, Object> object() {
    ws();
    expect('{');
    Map<String, Object> m = new LinkedHashMap<>();
    ws();
    if (peek() == '}') {
      i++;
      return m;
    }
    while (true) {
      ws();
      String key = string();
      ws();
      expect(':');
      ws();
      m.put(key, value());
      ws();
      char c = next();
      if (c == '}') return m;
      if (c != ',') throw error("expected ',' or '}'");
    }
  }

  private Object value() {
    char c = peek();
    if (c == '"') return string();
    if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
    if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
    if (s.startsWith("null", i)) { i += 4; return null; }
    if (s.startsWith("NaN", i)) { i += 3; return Double.NaN; }
    if (s.startsWith("Infinity", i)) { i += 8; return Double.POSITIVE_INFINITY; }
    if (s.startsWith("-Infinity", i)) { i += 9; return Double.NEGATIVE_INFINITY; }
    if (c == '-' || (c >= '0' && c <= '9')) {
      int start = i;
      while (i < s.length() && "+-.eE0123456789".indexOf(s.charAt(i)) >= 0) i++;
      try {
        return Double.parseDouble(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw error("bad number '" + s.substring(start, i) + "'");
      }
    }
    throw error("unsupported value (only flat objects are read)");
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') return sb.toString();
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          if (i + 4 > s.length()) throw error("short \\u escape");
          sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          i += 4;
        }
        default -> sb.append(e);
      }
    }
  }

  private void ws() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
  }

  private char peek() {
    if (i >= s.length()) throw error("unexpected end");
    return s.charAt(i);
  }

  private char next() {
    char c = peek();
    i++;
    return c;
  }

  private void expect(char c) {
    if (next() != c) {
      i--;
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String what) {
    String around = s.substring(Math.max(0, i - 20), Math.min(s.length(), i + 20));
    return new IllegalArgumentException("JSON line: " + what + " at column " + (i + 1) + " near '" + around + "'");
  }
}
