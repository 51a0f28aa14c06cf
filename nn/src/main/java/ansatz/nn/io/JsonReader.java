package ansatz.nn.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser, the reading side of {@link Json}: objects become
 * {@code LinkedHashMap<String, Object>} (key order kept), arrays {@code List<Object>}, numbers
 * {@code Double}, plus {@code String}, {@code Boolean} and {@code null}. It reads back run files
 * (summary.json, metrics.jsonl rows) and lets tests check that every file written is valid JSON.
 * Errors name the position and what was expected.
 */
public final class JsonReader {
  private final String s;
  private int i;

  private JsonReader(String s) {
    this.s = s;
  }

  /**
   * @return the value {@code text} holds (the whole text must be one JSON value)
   * @throws IllegalArgumentException for invalid JSON, naming the offset
   */
  public static Object parse(String text) {
    if (text == null) throw new IllegalArgumentException("JsonReader: text is null");
    JsonReader r = new JsonReader(text);
    r.skipSpace();
    Object v = r.value();
    r.skipSpace();
    if (r.i != text.length()) throw r.error("end of input");
    return v;
  }

  /** @return {@link #parse} of a text that must be an object */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object v = parse(text);
    if (!(v instanceof Map)) throw new IllegalArgumentException("JsonReader: expected a JSON object, got " + (v == null ? "null" : v.getClass().getSimpleName()));
    return (Map<String, Object>) v;
  }

  private Object value() {
    if (i >= s.length()) throw error("a value");
    char c = s.charAt(i);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) yield number();
        throw error("a value");
      }
    };
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<>();
    i++; // {
    skipSpace();
    if (peek() == '}') {
      i++;
      return m;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') throw error("a string key");
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      m.put(key, value());
      skipSpace();
      char c = peek();
      i++;
      if (c == '}') return m;
      if (c != ',') {
        i--;
        throw error("',' or '}'");
      }
    }
  }

  private List<Object> array() {
    List<Object> a = new ArrayList<>();
    i++; // [
    skipSpace();
    if (peek() == ']') {
      i++;
      return a;
    }
    while (true) {
      skipSpace();
      a.add(value());
      skipSpace();
      char c = peek();
      i++;
      if (c == ']') return a;
      if (c != ',') {
        i--;
        throw error("',' or ']'");
      }
    }
  }

  private String string() {
    i++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (i >= s.length()) throw error("a closing '\"'");
      char c = s.charAt(i++);
      if (c == '"') return sb.toString();
      if (c < 0x20) {
        i--;
        throw error("no raw control character inside a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (i >= s.length()) throw error("an escape");
      char e = s.charAt(i++);
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (i + 4 > s.length()) throw error("4 hex digits");
          try {
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("4 hex digits");
          }
          i += 4;
        }
        default -> {
          i--;
          throw error("a valid escape");
        }
      }
    }
  }

  private Double number() {
    int start = i;
    if (peek() == '-') i++;
    if (peek() == '0') {
      i++;
    } else if (Character.isDigit(peek())) {
      while (Character.isDigit(peek())) i++;
    } else {
      throw error("a digit");
    }
    if (peek() == '.') {
      i++;
      if (!Character.isDigit(peek())) throw error("a digit after '.'");
      while (Character.isDigit(peek())) i++;
    }
    if (peek() == 'e' || peek() == 'E') {
      i++;
      if (peek() == '+' || peek() == '-') i++;
      if (!Character.isDigit(peek())) throw error("a digit in the exponent");
      while (Character.isDigit(peek())) i++;
    }
    return Double.parseDouble(s.substring(start, i));
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, i)) throw error("'" + word + "'");
    i += word.length();
    return v;
  }

  private void expect(char c) {
    if (peek() != c) throw error("'" + c + "'");
    i++;
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private void skipSpace() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      i++;
    }
  }

  private IllegalArgumentException error(String expected) {
    String found = i >= s.length() ? "end of input" : "'" + s.charAt(i) + "'";
    return new IllegalArgumentException("JsonReader: at offset " + i + ": expected " + expected + ", found " + found);
  }
}
