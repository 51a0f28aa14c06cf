package ansatz.experiments.cli;

import ansatz.experiments.BaseExperiment;
import ansatz.experiments.Experiment;
import ansatz.experiments.ExperimentResult;
import ansatz.experiments.Experiments;
import ansatz.experiments.ReportWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ansatz reproduce}: runs every claim experiment at its default size and writes
 * {@code results/REPORT.md}. An experiment that crashes is reported and the others still run.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = "Run every experiment at default size and write results/REPORT.md.")
public final class ReproduceCommand implements Callable<Integer> {
  @Option(names = "--out", description = "results directory (default ${DEFAULT-VALUE})")
  Path out = Path.of("results");

  @Option(names = "--only", split = ",", description = "run only these experiments (comma-separated names)")
  List<String> only;

  @Override
  public Integer call() throws Exception {
    List<ExperimentResult> results = new ArrayList<>();
    List<ReportWriter.Failure> failures = new ArrayList<>();
    long t0 = System.nanoTime();
    for (Experiment e : Experiments.all().values()) {
      if (!(e instanceof BaseExperiment be)) continue; // the demo is not a claim
      if (only != null && !only.contains(e.name())) continue;
      System.out.println("== " + e.name() + ": " + e.description());
      long t = System.nanoTime();
      try {
        results.add(be.runWith(new String[0], out.resolve(e.name())));
      } catch (Exception | AssertionError ex) {
        String msg = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        System.out.println("   failed: " + msg);
        failures.add(new ReportWriter.Failure(e.name(), msg, (System.nanoTime() - t) / 1e9));
      }
    }
    if (only != null) {
      for (String n : only) {
        if (Experiments.find(n).isEmpty()) throw new IllegalArgumentException("reproduce: unknown experiment '" + n + "'");
      }
    }
    Path report = ReportWriter.write(out, results, failures, (System.nanoTime() - t0) / 1e9);
    System.out.println("report: " + report);
    return failures.isEmpty() ? 0 : 1;
  }
}
