package ansatz.experiments;

import ansatz.autograd.io.AtomicFiles;
import ansatz.nn.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Base of the claim experiments: picocli parses the options declared as fields of the subclass
 * (so a bad option gets one clear line), the subclass computes an {@link ExperimentResult}, and
 * this class writes {@code summary.json} and prints the claims. Subclasses carry a
 * {@code @Command(name = ..., description = ...)} annotation.
 */
public abstract class BaseExperiment implements Experiment {
  @Option(names = "--out", description = "output directory (default results/NAME)")
  protected Path out;

  @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
  protected long seed = 0;

  /**
   * Runs the experiment and fills in its result.
   *
   * @param dir the output directory (exists)
   * @return the result with config, claims and charts
   * @throws Exception on failure
   */
  protected abstract ExperimentResult execute(Path dir) throws Exception;

  @Override
  public String name() {
    return getClass().getAnnotation(Command.class).name();
  }

  @Override
  public String description() {
    String[] d = getClass().getAnnotation(Command.class).description();
    return d.length == 0 ? "" : d[0];
  }

  @Override
  public final int run(String[] args) throws Exception {
    CommandLine cl = commandLine();
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(name() + ": " + e.getMessage());
    }
    if (cl.isUsageHelpRequested()) {
      cl.usage(System.out);
      return 0;
    }
    runWith(args, null); // a claim that does not hold is a result, not an error: exit 0
    return 0;
  }

  /** This experiment's options as a command line named "ansatz run NAME", with -h/--help. */
  private CommandLine commandLine() {
    CommandLine cl = new CommandLine(this);
    cl.getCommandSpec().mixinStandardHelpOptions(true);
    cl.setCommandName("ansatz run " + name());
    return cl;
  }

  /**
   * Parses {@code args} into this object's options, runs, writes summary.json and prints the claims.
   *
   * @param defaultDir the output directory when --out is absent (null: results/NAME)
   * @return the result
   */
  public final ExperimentResult runWith(String[] args, Path defaultDir) throws Exception {
    CommandLine cl = commandLine();
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(name() + ": " + e.getMessage());
    }
    Path dir = out != null ? out : (defaultDir != null ? defaultDir : Path.of("results", name()));
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    ExperimentResult r = execute(dir);
    r.seconds((System.nanoTime() - t0) / 1e9);
    r.config("seed", seed);
    writeSummary(dir, r);
    print(r);
    return r;
  }

  /** Writes summary.json = {"experiment", "config", "claims": [...], "charts", "seconds"}. */
  static void writeSummary(Path dir, ExperimentResult r) throws java.io.IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("experiment", r.experiment());
    m.put("config", r.config());
    List<Map<String, Object>> claims = r.claims().stream().map(c -> {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("id", c.id());
      cm.put("statement", c.statement());
      cm.put("expected", c.expected());
      cm.put("measured", c.measured());
      cm.put("holds", c.holds());
      return cm;
    }).toList();
    m.put("claims", claims);
    m.put("charts", r.charts().stream().map(Path::toString).toList());
    m.put("notes", r.notes());
    m.put("seconds", r.seconds());
    AtomicFiles.writeString(dir.resolve("summary.json"), Json.pretty(m));
  }

  private static void print(ExperimentResult r) {
    System.out.printf("%s: %d/%d claims hold (%.1f s)%n", r.experiment(),
        r.claims().stream().filter(Claim::holds).count(), r.claims().size(), r.seconds());
    for (Claim c : r.claims()) {
      System.out.printf("  [%s] %s: expected %s, measured %s%n", c.holds() ? "holds" : "FAILS", c.id(), c.expected(), c.measured());
    }
  }
}
