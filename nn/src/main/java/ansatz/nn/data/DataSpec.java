package ansatz.nn.data;

import ansatz.autograd.DType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A data set named by a string, as given on a command line:
 * <ul>
 *   <li>{@code fashion-mnist[:DIR][:key=value,...]}: IDX files from DIR (default
 *       {@link FashionMnist#DEFAULT_DIR}); options {@code n} / {@code n-test} (read at most this many
 *       samples), {@code shape} ({@code flat} = n x 784, default; {@code image} = n x 1 x 28 x 28),
 *       {@code dtype} ({@code float32}, default, or {@code float64});</li>
 *   <li>{@code synthetic:NAME[:key=value,...]}: a {@link Synthetic} task, e.g.
 *       {@code synthetic:x1x2:d=100,n=2000};</li>
 *   <li>{@code csv:PATH[:key=value,...]}: a {@link Csv} file with a seeded hold-out split; options
 *       {@code label}, {@code regression}, {@code test-fraction}, {@code seed}, {@code standardize}.</li>
 * </ul>
 * Paths may not contain ':'.
 *
 * @param kind {@code fashion-mnist}, {@code synthetic} or {@code csv}
 * @param target the directory, task name or file ({@code null} for the default Fashion-MNIST directory)
 * @param options the {@code key=value} options, in the order given
 */
public record DataSpec(String kind, String target, Map<String, String> options) {
  /** The kinds of data spec. */
  public static final List<String> KINDS = List.of("fashion-mnist", "synthetic", "csv");
  private static final List<String> FASHION_KEYS = List.of("n", "n-test", "shape", "dtype");

  /** Copies the options (null means none); {@link #parse} checks names and values. */
  public DataSpec {
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  /** Parses a spec string; errors name the spec and what is wrong with it. */
  public static DataSpec parse(String spec) {
    if (spec == null || spec.isBlank()) throw new IllegalArgumentException("data spec is empty; expected one of " + usage());
    String[] parts = spec.trim().split(":", -1);
    String kind = parts[0];
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("data spec '" + spec + "': unknown kind '" + kind + "'; expected one of " + usage());
    }
    if (parts.length > 3) {
      throw new IllegalArgumentException("data spec '" + spec + "': too many ':' separated parts (paths may not contain ':'); expected "
          + usage());
    }
    String target = parts.length > 1 ? parts[1] : null;
    String optionList = parts.length > 2 ? parts[2] : null;
    // fashion-mnist:n=100 has options but no directory.
    if (kind.equals("fashion-mnist") && parts.length == 2 && target.contains("=")) {
      optionList = target;
      target = null;
    }
    if (target != null && target.isBlank()) target = null;
    if (target == null && !kind.equals("fashion-mnist")) {
      throw new IllegalArgumentException("data spec '" + spec + "': " + kind + " needs a "
          + (kind.equals("csv") ? "file path (csv:PATH)" : "task name (synthetic:NAME, one of " + String.join(", ", Synthetic.TASKS) + ")"));
    }
    Map<String, String> options = Options.parseList("data spec '" + spec + "'", optionList);
    DataSpec out = new DataSpec(kind, target, options);
    out.validate();
    return out;
  }

  /** Checks names and options without loading anything (so a bad spec fails before a long run starts). */
  private void validate() {
    switch (kind) {
      case "synthetic" -> Synthetic.builder(target).options(options);
      case "fashion-mnist" -> fashionOptions();
      default -> new Options("csv:" + target, options, List.of("label", "regression", "test-fraction", "seed", "standardize"));
    }
  }

  private FashionMnist.Options fashionOptions() {
    Options o = new Options("fashion-mnist", options, FASHION_KEYS);
    int n = o.integer("n", -1, 1);
    int nTest = o.integer("n-test", -1, 1);
    String shape = o.string("shape", "flat");
    if (!shape.equals("flat") && !shape.equals("image")) {
      throw new IllegalArgumentException("fashion-mnist: option shape=" + shape + " must be flat or image");
    }
    String dtype = o.string("dtype", "float32");
    DType type = switch (dtype) {
      case "float32" -> DType.FLOAT32;
      case "float64" -> DType.FLOAT64;
      default -> throw new IllegalArgumentException("fashion-mnist: option dtype=" + dtype + " must be float32 or float64");
    };
    return new FashionMnist.Options(n, nTest, shape.equals("image"), type);
  }

  /** Loads the train/test split this spec names. */
  public Split load() {
    return switch (kind) {
      case "synthetic" -> Synthetic.load(target, options);
      case "fashion-mnist" -> FashionMnist.load(target == null ? FashionMnist.DEFAULT_DIR : Path.of(target), fashionOptions());
      default -> Csv.loadSplit(Path.of(target), options);
    };
  }

  /** {@return the canonical spec string (parses back to an equal spec)} */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(kind);
    if (target != null) sb.append(':').append(target);
    if (!options.isEmpty()) {
      sb.append(':').append(String.join(",", options.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }
    return sb.toString();
  }

  private static String usage() {
    return "fashion-mnist[:DIR][:key=value,...], synthetic:NAME[:key=value,...] (NAME one of "
        + String.join(", ", Synthetic.TASKS) + "), csv:PATH[:label=COL,...]";
  }
}
