package ansatz.nn.data;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Loads a numeric CSV file: a header row, then one sample per line, comma-separated (fields may be
 * double-quoted, {@code ""} inside quotes is a quote). One column is the label; all others are
 * features and must be finite numbers. Blank lines are skipped. Line numbers in errors are 1-based
 * physical lines (the header is line 1); column numbers are 0-based, as in the label option.
 *
 * <p>The task is classification when every label value is an integer (unless regression is forced):
 * non-negative integer labels are used as they are (classes 0..max), and if any label is negative the
 * sorted distinct values are renumbered 0..C-1 (so -1/+1 become 0/1). Targets are one-hot. Otherwise
 * the task is regression with {@code n x 1} targets.
 */
public final class Csv {
  /** Above this many classes an integer label column is almost surely not a class label. */
  static final int MAX_CLASSES = 1000;
  private static final List<String> SPEC_KEYS = List.of("label", "regression", "test-fraction", "seed", "standardize");

  private Csv() {}

  /**
   * Loading options.
   *
   * @param label the label column: a header name, or a 0-based index; null = the last column
   * @param forceRegression treat integer labels as regression targets
   * @param dtype element type of inputs and targets
   */
  public record Options(String label, boolean forceRegression, DType dtype) {
    /** Rejects a null dtype; a null label means the last column. */
    public Options {
      if (dtype == null) throw new IllegalArgumentException("Csv.Options: dtype must not be null");
    }

    /** Last column is the label, classification if it is integral, float32. */
    public static Options defaults() {
      return new Options(null, false, DType.FLOAT32);
    }

    /** {@return these options with the label column given by name or 0-based index} */
    public Options withLabel(String column) {
      return new Options(column, forceRegression, dtype);
    }

    /** {@return these options treating the label as a regression target} */
    public Options regression() {
      return new Options(label, true, dtype);
    }

    /** {@return these options with another element type} */
    public Options withDType(DType type) {
      return new Options(label, forceRegression, type);
    }
  }

  /** Loads with {@link Options#defaults()}. */
  public static Dataset load(Path file) {
    return load(file, Options.defaults());
  }

  /** Loads the whole file as one data set (no split, no standardization). */
  public static Dataset load(Path file, Options options) {
    List<String> header;
    List<double[]> rows = new ArrayList<>();
    int[] lineOf;
    int labelCol;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line = in.readLine();
      int lineNo = 1;
      while (line != null && line.isBlank()) {
        line = in.readLine();
        lineNo++;
      }
      if (line == null) throw new DataException("CSV file " + file + " is empty (expected a header row)");
      if (!line.isEmpty() && line.charAt(0) == '\uFEFF') line = line.substring(1); // byte-order mark
      header = split(file, lineNo, line);
      if (header.size() < 2) {
        throw new DataException("CSV file " + file + ", line " + lineNo + ": header has " + header.size()
            + " column(s); need at least one feature and one label");
      }
      labelCol = labelColumn(file, header, options.label());
      List<Integer> lines = new ArrayList<>();
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) continue;
        List<String> cells = split(file, lineNo, line);
        if (cells.size() != header.size()) {
          throw new DataException("CSV file " + file + ", line " + lineNo + ": " + cells.size() + " values, but the header has "
              + header.size() + " columns");
        }
        double[] values = new double[cells.size()];
        for (int c = 0; c < cells.size(); c++) values[c] = number(file, lineNo, c, header.get(c), cells.get(c));
        rows.add(values);
        lines.add(lineNo);
      }
      lineOf = lines.stream().mapToInt(Integer::intValue).toArray();
    } catch (NoSuchFileException e) {
      throw new DataException("CSV file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new DataException("CSV file " + file + " could not be read: " + e, e);
    }
    int n = rows.size();
    if (n == 0) throw new DataException("CSV file " + file + " has a header but no data rows");
    int d = header.size() - 1;
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double[] r = rows.get(i);
      for (int c = 0, j = 0; c < r.length; c++) {
        if (c == labelCol) y[i] = r[c];
        else x[i * d + j++] = r[c];
      }
    }
    String name = baseName(file);
    Tensor inputs = Arrays2.tensor(x, options.dtype(), n, d);
    boolean integral = Arrays.stream(y).allMatch(v -> v == Math.rint(v));
    if (options.forceRegression() || !integral) {
      return Dataset.regression(name, inputs, Arrays2.tensor(y, options.dtype(), n, 1));
    }
    int[] labels = classLabels(file, header.get(labelCol), y, lineOf);
    int numClasses = Arrays.stream(labels).max().orElse(0) + 1;
    return Dataset.classification(name, inputs, labels, numClasses);
  }

  /**
   * Loads a CSV file and splits it for training: a seeded hold-out split, then (optionally)
   * standardization fitted on the training part only. Options (all optional): {@code label} (name or
   * 0-based index, default last column), {@code regression} (true forces regression, default false),
   * {@code test-fraction} (default 0.2), {@code seed} (default 0), {@code standardize} (default true).
   */
  public static Split loadSplit(Path file, Map<String, String> options) {
    ansatz.nn.data.Options o = new ansatz.nn.data.Options("csv:" + file, options, SPEC_KEYS);
    Options load = new Options(o.string("label", null), o.bool("regression", false), DType.FLOAT32);
    double testFraction = o.number("test-fraction", 0.2, Double.MIN_VALUE, Math.nextDown(1.0));
    long seed = o.longValue("seed", 0);
    boolean standardize = o.bool("standardize", true);
    Split split = Splits.holdOut(load(file, load), testFraction, seed);
    return standardize ? Standardizer.fitApply(split) : split;
  }

  private static int[] classLabels(Path file, String column, double[] y, int[] lineOf) {
    int n = y.length;
    int[] labels = new int[n];
    boolean negative = Arrays.stream(y).anyMatch(v -> v < 0);
    if (!negative) {
      for (int i = 0; i < n; i++) {
        if (y[i] >= MAX_CLASSES) {
          throw new DataException("CSV file " + file + ", line " + lineOf[i] + ": label column '" + column + "' holds " + (long) y[i]
              + ", which would mean more than " + MAX_CLASSES + " classes; use labels 0..C-1 or force regression");
        }
        labels[i] = (int) y[i];
      }
      return labels;
    }
    TreeSet<Double> distinct = new TreeSet<>();
    for (double v : y) distinct.add(v);
    if (distinct.size() > MAX_CLASSES) {
      throw new DataException("CSV file " + file + ": label column '" + column + "' has " + distinct.size()
          + " distinct integer values (more than " + MAX_CLASSES + " classes); force regression");
    }
    double[] sorted = distinct.stream().mapToDouble(Double::doubleValue).toArray();
    for (int i = 0; i < n; i++) labels[i] = Arrays.binarySearch(sorted, y[i]);
    return labels;
  }

  private static int labelColumn(Path file, List<String> header, String label) {
    if (label == null) return header.size() - 1;
    int byName = header.indexOf(label);
    if (byName >= 0) return byName;
    try {
      int index = Integer.parseInt(label.trim());
      if (index < 0 || index >= header.size()) {
        throw new DataException("CSV file " + file + ": label column index " + index + " is outside [0, " + header.size() + ")");
      }
      return index;
    } catch (NumberFormatException e) {
      throw new DataException("CSV file " + file + ": no column named '" + label + "'; columns are " + header);
    }
  }

  private static double number(Path file, int lineNo, int col, String name, String cell) {
    if (cell.isEmpty()) {
      throw new DataException("CSV file " + file + ", line " + lineNo + ", column " + col + " ('" + name + "'): empty cell "
          + "(missing values are not supported)");
    }
    double v;
    try {
      v = Double.parseDouble(cell);
    } catch (NumberFormatException e) {
      throw new DataException("CSV file " + file + ", line " + lineNo + ", column " + col + " ('" + name + "'): '" + cell
          + "' is not a number");
    }
    if (!Double.isFinite(v)) {
      throw new DataException("CSV file " + file + ", line " + lineNo + ", column " + col + " ('" + name + "'): '" + cell
          + "' is not a finite number");
    }
    return v;
  }

  /** Splits one line on commas outside double quotes; cells are trimmed. */
  static List<String> split(Path file, int lineNo, String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cell.toString().trim());
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    if (quoted) throw new DataException("CSV file " + file + ", line " + lineNo + ": a quoted field is not closed");
    out.add(cell.toString().trim());
    return out;
  }

  private static String baseName(Path file) {
    String s = file.getFileName().toString();
    int dot = s.lastIndexOf('.');
    return dot > 0 ? s.substring(0, dot) : s;
  }
}
