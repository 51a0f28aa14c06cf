package ansatz.experiments.cli;

import ansatz.experiments.Experiment;
import ansatz.experiments.Experiments;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The {@code ./ansatz} command line. Exit codes: 0 success, 2 bad usage or bad input (one clear
 * line, no stack trace), 3 training diverged and stopped cleanly.
 */
@Command(
    name = "ansatz",
    mixinStandardHelpOptions = true,
    version = "ansatz 0.1.0",
    description = "Reverse-mode autodiff networks for measuring feature learning.",
    subcommands = {
      AnsatzMain.ListCommand.class,
      AnsatzMain.RunCommand.class,
      ReproduceCommand.class,
      TrainCommand.class,
      RfmCommand.class,
      DeepRfmCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class AnsatzMain implements Callable<Integer> {
  /** Exit code for bad usage or bad input. */
  public static final int EXIT_BAD_INPUT = 2;
  /** Exit code for training that diverged and stopped cleanly. */
  public static final int EXIT_DIVERGED = 3;

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  /** {@code ansatz list}: one line per experiment. */
  @Command(name = "list", description = "List the experiments.")
  static final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      Map<String, Experiment> all = Experiments.all();
      int w = all.keySet().stream().mapToInt(String::length).max().orElse(4);
      all.values().forEach(e -> System.out.printf("%-" + w + "s  %s%n", e.name(), e.description()));
      return 0;
    }
  }

  /** {@code ansatz run NAME [options]}. */
  @Command(name = "run", description = "Run one experiment: ansatz run NAME [options].")
  static final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "experiment name (see: ansatz list)")
    String name;

    @Parameters(index = "1..*", arity = "0..*", description = "options passed to the experiment")
    String[] rest = new String[0];

    @Override
    public Integer call() throws Exception {
      Experiment e = Experiments.find(name).orElseThrow(() -> new IllegalArgumentException(
          "unknown experiment '" + name + "'; known: " + String.join(", ", Experiments.all().keySet())));
      return e.run(rest == null ? new String[0] : rest);
    }
  }

  /** Runs the command line and returns the exit code (no System.exit, for tests). */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new AnsatzMain());
    cl.setUnmatchedOptionsArePositionalParams(true); // `run NAME --opt` passes --opt to the experiment
    cl.getSubcommands().get("train").setUnmatchedOptionsArePositionalParams(false); // train rejects unknown options
    cl.setParameterExceptionHandler((ex, parsedArgs) -> {
      // One line naming the bad option, no usage dump (the usage is one --help away).
      CommandLine cmd = ex.getCommandLine();
      String name = cmd.getCommandSpec().qualifiedName();
      cmd.getErr().println(name + ": " + ex.getMessage() + " (see: " + name + " --help)");
      return EXIT_BAD_INPUT;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException || ex instanceof java.util.NoSuchElementException) {
        cmd.getErr().println("ansatz: " + ex.getMessage());
        return EXIT_BAD_INPUT;
      }
      throw ex;
    });
    return cl.execute(args);
  }

  /** Entry point of the launcher's jar. */
  public static void main(String[] args) {
    // A probed training: start the probes' warm-up now, not after the command line is parsed (the
    // JVM's start-up and picocli leave a core idle too; TrainCommand's own call then does nothing).
    if (args.length > 0 && args[0].equals("train") && Arrays.stream(args).anyMatch(a -> a.startsWith("--probe"))) {
      ansatz.instrument.record.ProbeWarmup.startInBackground();
    }
    int code = execute(args.length == 0 ? new String[] {"--help"} : args);
    System.out.flush();
    if (Arrays.asList(args).contains("--keep-alive")) return;
    System.exit(code);
  }
}
