package ansatz.autograd.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header of a {@code .npy} file: a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}. This is a small parser for
 * exactly the literals NumPy writes there (strings, booleans, integers, tuples and lists), so that
 * no scripting engine is needed and every mistake gets a precise message.
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {
  private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

  /** Parses the header text; errors name {@code source}. */
  static NpyHeader parse(String text, String source) throws IOException {
    Parser p = new Parser(text, source);
    Object value = p.parseValue();
    p.skipSpace();
    if (!p.atEnd()) throw p.error("unexpected text after the dict");
    if (!(value instanceof Map<?, ?> dict)) throw p.error("header is not a dict");
    if (!dict.keySet().equals(KEYS)) {
      throw new IOException(source + ": header keys " + dict.keySet() + " are not exactly " + "[descr, fortran_order, shape]: " + quote(text));
    }
    Object descr = dict.get("descr");
    if (!(descr instanceof String d)) {
      throw new IOException(source + ": unsupported dtype " + Parser.repr(descr) + " (structured dtypes are not supported; supported: <f4, <f8, <i4, <i8)");
    }
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw new IOException(source + ": header 'fortran_order' is " + Parser.repr(dict.get("fortran_order")) + ", not True or False");
    }
    if (!(dict.get("shape") instanceof List<?> dims)) {
      throw new IOException(source + ": header 'shape' is " + Parser.repr(dict.get("shape")) + ", not a tuple of sizes");
    }
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      if (!(dims.get(i) instanceof Long n) || n < 0) {
        throw new IOException(source + ": header 'shape' entry " + i + " is " + Parser.repr(dims.get(i)) + ", not a size >= 0");
      }
      shape[i] = n;
    }
    return new NpyHeader(d, fortran, shape);
  }

  /** {@return the dict text NumPy writes for this header (without padding)} */
  String format() {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False") + ", 'shape': " + Npy.shapeString(shape) + ", }";
  }

  static String quote(String s) {
    String t = s.strip();
    return "\"" + (t.length() > 200 ? t.substring(0, 200) + "..." : t) + "\"";
  }

  /** Recursive descent over the Python literal subset. Tuples and lists both become lists. */
  private static final class Parser {
    private final String s;
    private final String source;
    private int pos;

    Parser(String s, String source) {
      this.s = s;
      this.source = source;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    IOException error(String what) {
      return new IOException(source + ": malformed header (" + what + " at character " + pos + "): " + quote(s));
    }

    Object parseValue() throws IOException {
      skipSpace();
      if (atEnd()) throw error("unexpected end");
      char c = s.charAt(pos);
      if (c == '{') return parseDict();
      if (c == '(') return parseSequence('(', ')');
      if (c == '[') return parseSequence('[', ']');
      if (c == '\'' || c == '"') return parseString();
      if (c == '-' || Character.isDigit(c)) return parseInt();
      if (s.startsWith("True", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("False", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      throw error("unexpected character '" + c + "'");
    }

    private Map<String, Object> parseDict() throws IOException {
      Map<String, Object> m = new LinkedHashMap<>();
      pos++;
      while (true) {
        skipSpace();
        if (atEnd()) throw error("unterminated dict");
        if (s.charAt(pos) == '}') {
          pos++;
          return m;
        }
        Object key = parseValue();
        if (!(key instanceof String k)) throw error("dict key is not a string");
        skipSpace();
        expect(':');
        Object v = parseValue();
        if (m.put(k, v) != null) throw error("duplicate key '" + k + "'");
        skipSpace();
        if (!atEnd() && s.charAt(pos) == ',') pos++;
        else if (atEnd() || s.charAt(pos) != '}') throw error("expected ',' or '}'");
      }
    }

    private List<Object> parseSequence(char open, char close) throws IOException {
      List<Object> items = new ArrayList<>();
      pos++;
      while (true) {
        skipSpace();
        if (atEnd()) throw error("unterminated " + open + "...");
        if (s.charAt(pos) == close) {
          pos++;
          return items;
        }
        items.add(parseValue());
        skipSpace();
        if (!atEnd() && s.charAt(pos) == ',') pos++;
        else if (atEnd() || s.charAt(pos) != close) throw error("expected ',' or '" + close + "'");
      }
    }

    private String parseString() throws IOException {
      char q = s.charAt(pos++);
      StringBuilder b = new StringBuilder();
      while (pos < s.length() && s.charAt(pos) != q) {
        char c = s.charAt(pos++);
        if (c == '\\') {
          if (atEnd()) break;
          c = s.charAt(pos++);
        }
        b.append(c);
      }
      if (atEnd()) throw error("unterminated string");
      pos++;
      return b.toString();
    }

    private Long parseInt() throws IOException {
      int start = pos;
      if (s.charAt(pos) == '-') pos++;
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
      String digits = s.substring(start, pos);
      if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) pos++; // Python 2 long suffix
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw error("bad integer '" + digits + "'");
      }
    }

    private void expect(char c) throws IOException {
      if (atEnd() || s.charAt(pos) != c) throw error("expected '" + c + "'");
      pos++;
    }

    static String repr(Object v) {
      if (v instanceof String str) return "'" + str + "'";
      if (v instanceof Boolean b) return b ? "True" : "False";
      if (v instanceof List<?> l) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < l.size(); i++) sb.append(i > 0 ? ", " : "").append(repr(l.get(i)));
        return sb.append(l.size() == 1 ? ",)" : ")").toString();
      }
      return String.valueOf(v);
    }
  }
}
