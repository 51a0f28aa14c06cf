package ansatz.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The link between the documentation and the code it shows. A fenced block in a Markdown file is
 * tied to its source by an HTML comment on the line just above the fence:
 *
 * <pre>
 * &lt;!-- code: experiments/src/test/java/ansatz/docs/tutorial/Tensors.java#broadcast --&gt;
 * ```java
 * ...the lines between "// region broadcast" and "// endregion broadcast" in that file...
 * ```
 *
 * &lt;!-- output: experiments/src/test/java/ansatz/docs/tutorial/Tensors.java#broadcast --&gt;
 * ```text
 * ...what the static method broadcast() of that class prints...
 * ```
 * </pre>
 *
 * A {@code code} block must equal the region byte for byte after one fixed transformation: the
 * indentation common to the region's non-blank lines is removed (regions sit inside methods).
 * An {@code output} block names a static method without parameters of the class in that file (by
 * convention the method holding the region of the same name); {@link Samples} runs it once and
 * captures what it prints. An output marker may end in
 * {@code tol=1e-3}: numbers are then compared with that relative tolerance (text exactly), for
 * outputs of training runs whose last digits depend on the summation order of the GEMM kernels.
 * An {@code excerpt} block ({@code <!-- excerpt: autograd/src/main/java/ansatz/autograd/ops/Mul.java -->})
 * quotes any file of the repository: its lines must appear in that file, consecutively (indentation
 * relative to the block's first line). Paths are relative to the repository root.
 */
public final class DocBlocks {
  private DocBlocks() {}

  /** What a block shows: a region of a sample, its printed output, or an excerpt of any source file. */
  public enum Kind { CODE, OUTPUT, EXCERPT }

  /**
   * One marked fenced block.
   *
   * @param doc the Markdown file
   * @param line 1-based line of the opening fence
   * @param kind code or output
   * @param source the file the block comes from, relative to the repository root
   * @param region the region name (code), the method name (output), null (excerpt)
   * @param tolerance relative tolerance for numbers (output blocks; 0 = exact)
   * @param content the block's lines joined with '\n', with a final '\n'
   */
  public record Block(Path doc, int line, Kind kind, String source, String region, double tolerance, String content) {
    /** @return e.g. {@code docs/tutorial/01-tensors.md:42} */
    public String where(Path root) {
      return root.relativize(doc) + ":" + line;
    }
  }

  private static final Pattern MARKER =
      Pattern.compile("^<!--\\s*(code|output):\\s*(\\S+)#([A-Za-z0-9_]+)(?:\\s+tol=(\\S+))?\\s*-->\\s*$");
  private static final Pattern EXCERPT = Pattern.compile("^<!--\\s*excerpt:\\s*(\\S+)\\s*-->\\s*$");
  private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");

  /** @return the repository root: the nearest ancestor of the working directory holding mvnw and docs/ */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    for (Path q = p; q != null; q = q.getParent()) {
      if (Files.isRegularFile(q.resolve("mvnw")) && Files.isDirectory(q.resolve("docs"))) return q;
    }
    throw new IllegalStateException("no repository root (a folder with mvnw and docs/) above " + p);
  }

  /**
   * Every fenced block of a Markdown file, marked or not.
   *
   * @return marked blocks; unmarked {@code java} blocks are reported in {@code unmarked}
   */
  public static List<Block> blocks(Path doc, List<String> unmarked) {
    List<String> lines = read(doc);
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher fence = FENCE.matcher(lines.get(i));
      if (!fence.matches()) continue;
      int open = i;
      StringBuilder body = new StringBuilder();
      for (i = i + 1; i < lines.size() && !lines.get(i).startsWith("```"); i++) body.append(lines.get(i)).append('\n');
      if (i >= lines.size()) throw new IllegalStateException(doc + ":" + (open + 1) + ": code fence is never closed");
      Matcher m = open > 0 ? MARKER.matcher(lines.get(open - 1)) : null;
      Matcher x = open > 0 ? EXCERPT.matcher(lines.get(open - 1)) : null;
      if (x != null && x.matches()) {
        out.add(new Block(doc, open + 1, Kind.EXCERPT, x.group(1), null, 0, body.toString()));
      } else if (m != null && m.matches()) {
        Kind kind = m.group(1).equals("code") ? Kind.CODE : Kind.OUTPUT;
        double tol = m.group(4) == null ? 0 : Double.parseDouble(m.group(4));
        out.add(new Block(doc, open + 1, kind, m.group(2), m.group(3), tol, body.toString()));
      } else if (fence.group(1).equals("java") && unmarked != null) {
        unmarked.add(doc.getFileName() + ":" + (open + 1));
      }
    }
    return out;
  }

  /**
   * The text between {@code // region NAME} and {@code // endregion NAME} in a source file, with
   * the common indentation removed.
   *
   * @throws IllegalStateException naming the file if the region is missing, repeated or unclosed
   */
  public static String region(Path file, String name) {
    List<String> lines = read(file);
    String begin = "// region " + name, end = "// endregion " + name;
    int from = -1, to = -1;
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).strip();
      if (t.equals(begin)) {
        if (from >= 0) throw new IllegalStateException(file + ": region '" + name + "' begins twice (lines " + (from + 1) + " and " + (i + 1) + ")");
        from = i;
      } else if (t.equals(end)) {
        if (from < 0 || to >= 0) throw new IllegalStateException(file + ":" + (i + 1) + ": '" + end + "' without a matching begin");
        to = i;
      }
    }
    if (from < 0) throw new IllegalStateException(file + ": no region '" + name + "' (expected a line '" + begin + "')");
    if (to < 0) throw new IllegalStateException(file + ":" + (from + 1) + ": region '" + name + "' is never closed by '" + end + "'");
    return dedent(lines.subList(from + 1, to));
  }

  /**
   * Whether {@code excerpt} appears in {@code file} as consecutive lines, both sides compared after
   * removing their common indentation (an excerpt of a method body drops the method's indent).
   */
  public static boolean containsExcerpt(Path file, String excerpt) {
    List<String> lines = read(file);
    String[] want = excerpt.split("\n", -1);
    int k = want.length - 1; // the block ends in '\n'
    String target = dedent(List.of(want).subList(0, k));
    for (int i = 0; i + k <= lines.size(); i++) {
      if (dedent(lines.subList(i, i + k)).equals(target)) return true;
    }
    return false;
  }

  private static String dedent(List<String> body) {
    int indent = Integer.MAX_VALUE;
    for (String s : body) if (!s.isBlank()) indent = Math.min(indent, s.length() - s.stripLeading().length());
    StringBuilder sb = new StringBuilder();
    for (String s : body) sb.append(s.isBlank() ? "" : s.substring(indent)).append('\n');
    return sb.toString();
  }

  /** @return every region name declared in a source file, in order */
  public static List<String> regionNames(Path file) {
    List<String> names = new ArrayList<>();
    for (String s : read(file)) {
      String t = s.strip();
      if (t.startsWith("// region ")) names.add(t.substring("// region ".length()).strip());
    }
    return names;
  }

  /**
   * Compares printed output with a documented output: exactly, or with numbers (integers, decimals,
   * exponents) equal to a relative tolerance and everything between them equal.
   *
   * @return null if they match, else a message naming the first difference
   */
  public static String compareOutput(String documented, String printed, double tol) {
    if (tol == 0) return documented.equals(printed) ? null : firstDifference(documented, printed);
    Pattern num = Pattern.compile("-?\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?");
    Matcher a = num.matcher(documented), b = num.matcher(printed);
    int ea = 0, eb = 0;
    while (true) {
      boolean fa = a.find(), fb = b.find();
      String gapA = documented.substring(ea, fa ? a.start() : documented.length());
      String gapB = printed.substring(eb, fb ? b.start() : printed.length());
      if (!gapA.equals(gapB)) return "text differs: documented '" + gapA + "', printed '" + gapB + "'";
      if (!fa && !fb) return null;
      if (fa != fb) return "printed " + (fa ? "fewer" : "more") + " numbers than documented";
      double x = Double.parseDouble(a.group()), y = Double.parseDouble(b.group());
      if (!(Math.abs(x - y) <= tol * Math.max(1, Math.abs(x)))) {
        return "number differs beyond tol=" + tol + ": documented " + a.group() + ", printed " + b.group();
      }
      ea = a.end();
      eb = b.end();
    }
  }

  /** @return a message naming the first line where two texts differ */
  public static String firstDifference(String expected, String actual) {
    String[] e = expected.split("\n", -1), a = actual.split("\n", -1);
    for (int i = 0; i < Math.max(e.length, a.length); i++) {
      String x = i < e.length ? e[i] : "<end>", y = i < a.length ? a[i] : "<end>";
      if (!x.equals(y)) return "first difference at line " + (i + 1) + " of the block:\n  doc:    " + x + "\n  source: " + y;
    }
    return "texts differ";
  }

  static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
