package ansatz.nn.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Typed access to the {@code key=value} options of a data spec, with errors that name the source, the
 * key, the bad value and the keys that are allowed. Package-private helper of {@link DataSpec},
 * {@link Synthetic} and {@link Csv}.
 */
final class Options {
  private final String source;
  private final Map<String, String> values;

  /**
   * @param source what the options belong to, for messages (e.g. {@code "synthetic:x1x2"})
   * @param values the raw options (may be null = none)
   * @param allowed the keys this source understands; any other key is an error
   */
  Options(String source, Map<String, String> values, List<String> allowed) {
    this.source = source;
    this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
    for (String key : this.values.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(source + ": unknown option '" + key + "'; allowed: " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  /** Parses {@code "a=1,b=2"} into an ordered map; an empty or null string gives an empty map. */
  static Map<String, String> parseList(String source, String list) {
    Map<String, String> out = new LinkedHashMap<>();
    if (list == null || list.isBlank()) return out;
    for (String part : list.split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq <= 0 || eq == p.length() - 1) {
        throw new IllegalArgumentException(source + ": option '" + p + "' is not of the form key=value");
      }
      String key = p.substring(0, eq).trim();
      if (out.put(key, p.substring(eq + 1).trim()) != null) {
        throw new IllegalArgumentException(source + ": option '" + key + "' is given twice");
      }
    }
    return out;
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  String string(String key, String dflt) {
    return values.getOrDefault(key, dflt);
  }

  int integer(String key, int dflt, int min) {
    String v = values.get(key);
    if (v == null) return dflt;
    int out;
    try {
      out = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + ": option " + key + "=" + v + " is not an integer");
    }
    if (out < min) throw new IllegalArgumentException(source + ": option " + key + "=" + v + " must be >= " + min);
    return out;
  }

  long longValue(String key, long dflt) {
    String v = values.get(key);
    if (v == null) return dflt;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + ": option " + key + "=" + v + " is not an integer");
    }
  }

  double number(String key, double dflt, double min, double max) {
    String v = values.get(key);
    if (v == null) return dflt;
    double out;
    try {
      out = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + ": option " + key + "=" + v + " is not a number");
    }
    if (!(out >= min && out <= max)) {
      throw new IllegalArgumentException(source + ": option " + key + "=" + v + " must be in [" + min + ", " + max + "]");
    }
    return out;
  }

  boolean bool(String key, boolean dflt) {
    String v = values.get(key);
    if (v == null) return dflt;
    return switch (v.toLowerCase()) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException(source + ": option " + key + "=" + v + " is not a boolean (true/false)");
    };
  }
}
